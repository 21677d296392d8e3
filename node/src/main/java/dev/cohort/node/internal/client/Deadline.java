package dev.cohort.node.internal.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The time a request has, from its start to {@code cohort.client.request-timeout} later, and the
 * share of it the next attempt or wait may take. Times are {@link System#nanoTime()} readings passed
 * in, never read here.
 *
 * @param startNanos when the request started
 * @param endNanos when it must have ended
 */
record Deadline(long startNanos, long endNanos) {

  /** A deadline {@code timeout} after {@code nowNanos}. */
  static Deadline after(long nowNanos, Duration timeout) {
    return new Deadline(nowNanos, nowNanos + timeout.toNanos());
  }

  /** How long an attempt started at {@code nowNanos} may wait for its answer; empty if time is up. */
  Optional<Duration> attemptTimeout(long nowNanos, Duration attemptTimeout) {
    return within(nowNanos, attemptTimeout);
  }

  /** How long to wait before the next attempt, from {@code nowNanos}; empty if time is up. */
  Optional<Duration> backoff(long nowNanos, Duration backoff) {
    return within(nowNanos, backoff);
  }

  /** How long the request has run at {@code nowNanos}. */
  Duration elapsed(long nowNanos) {
    return Duration.ofNanos(nowNanos - startNanos);
  }

  /** {@code wanted}, cut to the time left; empty if none is left. */
  private Optional<Duration> within(long nowNanos, Duration wanted) {
    long left = endNanos - nowNanos; // differences of nanoTime readings, as nanoTime requires
    if (left <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.min(left, wanted.toNanos())));
  }
}
