package dev.cohort.node.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  private final Deadline deadline = Deadline.after(1_000, Duration.ofNanos(500));

  @Test
  void anAttemptGetsItsTimeoutWhileEnoughTimeIsLeft() {
    assertEquals(Optional.of(Duration.ofNanos(100)), deadline.attemptTimeout(1_000, Duration.ofNanos(100)));
  }

  @Test
  void anAttemptOrWaitIsCutToTheTimeLeft() {
    assertEquals(Optional.of(Duration.ofNanos(50)), deadline.attemptTimeout(1_450, Duration.ofNanos(100)));
    assertEquals(Optional.of(Duration.ofNanos(50)), deadline.backoff(1_450, Duration.ofNanos(100)));
  }

  @Test
  void nothingIsLeftAtOrPastTheEnd() {
    assertEquals(Optional.empty(), deadline.attemptTimeout(1_500, Duration.ofNanos(100)));
    assertEquals(Optional.empty(), deadline.backoff(2_000, Duration.ofNanos(100)));
  }

  @Test
  void nanoTimeMayWrapAround() {
    var wrapping = Deadline.after(Long.MAX_VALUE - 10, Duration.ofNanos(100));

    assertEquals(Optional.of(Duration.ofNanos(50)), wrapping.backoff(Long.MAX_VALUE - 10 + 50, Duration.ofNanos(60)));
    assertEquals(Duration.ofNanos(50), wrapping.elapsed(Long.MAX_VALUE - 10 + 50));
  }
}
