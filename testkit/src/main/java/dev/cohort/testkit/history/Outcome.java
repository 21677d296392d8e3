package dev.cohort.testkit.history;

import java.util.Objects;

/**
 * How an operation ended, as its client saw it.
 *
 * <ul>
 *   <li>{@link Ok}: applied, with what it returned;
 *   <li>{@link Fail}: definitely not applied (refused before any effect, e.g. a version mismatch or
 *       a fenced partition); checkers leave it out;
 *   <li>{@link Unknown}: the client cannot tell (timeout, connection lost, never completed): it may
 *       or may not have been applied, and may take effect at any time after its invocation, even
 *       after the history ends.
 * </ul>
 */
public sealed interface Outcome {
  /** A short printable form, e.g. {@code ok v3} or {@code unknown: timeout}. */
  String describe();

  /** Applied; {@code result} is what it returned. */
  record Ok(Result result) implements Outcome {
    /** @throws NullPointerException if {@code result} is null */
    public Ok {
      Objects.requireNonNull(result, "result");
    }

    @Override
    public String describe() {
      return "ok " + result.describe();
    }
  }

  /** Definitely not applied, for {@code reason}. */
  record Fail(String reason) implements Outcome {
    /** @throws NullPointerException if {@code reason} is null */
    public Fail {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "fail: " + reason;
    }
  }

  /** Perhaps applied, perhaps not, perhaps later, for {@code reason} (e.g. "timeout"). */
  record Unknown(String reason) implements Outcome {
    /** @throws NullPointerException if {@code reason} is null */
    public Unknown {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "unknown: " + reason;
    }
  }
}
