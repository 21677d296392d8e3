package dev.cohort.testkit.history;

import java.util.Objects;

/**
 * An operation recorded by {@link History#invoke} and awaiting its outcome: complete it exactly once
 * with {@link #ok}, {@link #fail} or {@link #unknown}. One never completed counts as unknown.
 */
public final class Invocation {
  private final History history;
  private final int index;
  private final Op op;

  Invocation(History history, int index, Op op) {
    this.history = history;
    this.index = index;
    this.op = op;
  }

  /** Its position in the history's invocation order. */
  public int index() {
    return index;
  }

  /** What was asked. */
  public Op op() {
    return op;
  }

  /**
   * It was applied and returned {@code result}.
   *
   * @throws IllegalArgumentException if {@code result} cannot answer this operation
   * @throws IllegalStateException if it was already completed
   */
  public void ok(Result result) {
    Objects.requireNonNull(result, "result");
    if (!op.accepts(result)) {
      throw new IllegalArgumentException(op.describe() + " cannot return " + result.describe());
    }
    history.complete(index, new Outcome.Ok(result));
  }

  /**
   * It was definitely not applied. Only say so when the service guarantees it, e.g. a refusal before
   * any effect; a timeout is {@link #unknown}.
   *
   * @throws IllegalStateException if it was already completed
   */
  public void fail(String reason) {
    history.complete(index, new Outcome.Fail(reason));
  }

  /**
   * It may or may not have been applied, e.g. it timed out or the connection was lost.
   *
   * @throws IllegalStateException if it was already completed
   */
  public void unknown(String reason) {
    history.complete(index, new Outcome.Unknown(reason));
  }
}
