package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FsyncPolicyTest {
  @Test
  void onlyAlwaysSyncsEveryWrite() {
    assertTrue(FsyncPolicy.ALWAYS.syncsEveryWrite());
    assertFalse(FsyncPolicy.NEVER.syncsEveryWrite());
    assertFalse(FsyncPolicy.interval(Duration.ofMillis(100)).syncsEveryWrite());
  }

  @Test
  void theIntervalPolicyNeedsAPositivePeriod() {
    assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.interval(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.interval(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.interval(null));
    assertEquals(Duration.ofSeconds(1), FsyncPolicy.interval(Duration.ofSeconds(1)).period());
  }

  @Test
  void theOtherPoliciesHaveNoPeriod() {
    assertThrows(IllegalArgumentException.class, () -> new FsyncPolicy(FsyncPolicy.Kind.ALWAYS, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new FsyncPolicy(FsyncPolicy.Kind.NEVER, Duration.ofSeconds(1)));
    assertEquals(FsyncPolicy.NEVER, new FsyncPolicy(FsyncPolicy.Kind.NEVER, Duration.ZERO));
  }

  @Test
  void itPrintsAsConfigured() {
    assertEquals("always", FsyncPolicy.ALWAYS.toString());
    assertEquals("never", FsyncPolicy.NEVER.toString());
    assertEquals("interval, every 100 ms", FsyncPolicy.interval(Duration.ofMillis(100)).toString());
  }
}
