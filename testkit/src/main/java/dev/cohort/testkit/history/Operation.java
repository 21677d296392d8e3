package dev.cohort.testkit.history;

import java.util.Objects;

/**
 * One recorded operation: who asked what of which node, when, and how it ended.
 *
 * <p>Times are nanoseconds from the recorder's clock; only differences between them mean anything.
 *
 * @param index position in invocation order within its history, from 0
 * @param process the client that issued it; a client has at most one operation in flight
 * @param node the node it was sent to, for reports (any text, e.g. a node name)
 * @param op what was asked
 * @param invokedAt when the client sent it
 * @param completedAt when the client saw its outcome, or {@link #NEVER} if it never did
 * @param outcome how it ended; an operation never completed is {@link Outcome.Unknown}
 */
public record Operation(
    int index, int process, String node, Op op, long invokedAt, long completedAt, Outcome outcome) {
  /** The completion time of an operation that never completed. */
  public static final long NEVER = Long.MAX_VALUE;

  /**
   * @throws IllegalArgumentException if it completes before it is invoked, if only an unknown
   *     outcome lacks a completion time, or if an ok result does not fit the operation
   */
  public Operation {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(outcome, "outcome");
    if (completedAt < invokedAt) {
      throw new IllegalArgumentException("operation #" + index + " completes before it is invoked");
    }
    if (completedAt == NEVER && !(outcome instanceof Outcome.Unknown)) {
      throw new IllegalArgumentException("operation #" + index + " never completed, so its outcome is unknown");
    }
    if (outcome instanceof Outcome.Ok ok && !op.accepts(ok.result())) {
      throw new IllegalArgumentException(
          "operation #" + index + ": " + op.describe() + " cannot return " + ok.result().describe());
    }
  }

  /** Whether it was applied and returned a result. */
  public boolean isOk() {
    return outcome instanceof Outcome.Ok;
  }

  /** Whether it was definitely not applied. */
  public boolean isFail() {
    return outcome instanceof Outcome.Fail;
  }

  /** Whether it may or may not have been applied. */
  public boolean isUnknown() {
    return outcome instanceof Outcome.Unknown;
  }

  /** What it returned; only for an ok operation. */
  public Result result() {
    if (outcome instanceof Outcome.Ok ok) {
      return ok.result();
    }
    throw new IllegalStateException("operation #" + index + " has no result: " + outcome.describe());
  }

  /**
   * The latest time it may take effect: its completion if the client saw it applied or refused,
   * {@link #NEVER} if its outcome is unknown.
   */
  public long effectDeadline() {
    return isUnknown() ? NEVER : completedAt;
  }

  /**
   * Whether it took effect, if at all, before {@code other} was invoked, so that any order of the
   * two must put it first. An unknown operation precedes nothing: it may take effect at any time.
   */
  public boolean precedes(Operation other) {
    return effectDeadline() < other.invokedAt;
  }

  /** Whether neither of the two precedes the other. */
  public boolean concurrentWith(Operation other) {
    return !precedes(other) && !other.precedes(this);
  }

  /**
   * One line for a report: invocation and completion in ms after {@code origin}, process, operation,
   * outcome and node, e.g. {@code #3  1.000  2.500  p2  write x="a"  ok v2  @node-a}.
   */
  public String format(long origin) {
    return OperationTable.line(this, origin);
  }

  /** A compact form without times, e.g. {@code #3 p2 write x="a" -> ok v2 @node-a}. */
  @Override
  public String toString() {
    return "#" + index + " p" + process + " " + op.describe() + " -> " + outcome.describe() + " @" + node;
  }
}
