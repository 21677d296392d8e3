package dev.cohort.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition in tests, instead of sleeping: polls until it holds or time runs out. */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(50);

  private Await() {}

  /**
   * Polls {@code value} until it returns a non-null result and returns it. A {@code Boolean} result
   * counts only when true: a condition ending in a {@code Boolean} (such as {@code
   * optional.map(...).orElse(false)}) binds to this method rather than to the {@code BooleanSupplier}
   * one, and must wait all the same.
   *
   * @param what the awaited state, for the failure message
   * @throws AssertionError if {@code timeout} passes first; the message names {@code what} and
   *     the last value's description
   */
  public static <T> T until(String what, Duration timeout, Supplier<T> value) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException lastError = null;
    while (true) {
      try {
        T result = value.get();
        if (result != null && !Boolean.FALSE.equals(result)) {
          return result;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() > deadline) {
        var failure = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        if (lastError != null) {
          failure.initCause(lastError);
        }
        throw failure;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** Polls {@code condition} until it is true. */
  public static void until(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    until(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }
}
