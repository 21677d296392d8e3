package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cohort.api.NodeName;
import dev.cohort.api.Placement;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;

/** What tables must show after a node is lost. */
final class TableAssertions {
  private TableAssertions() {}

  /**
   * Between the two tables: partitions whose active was {@code lost} are now active on their
   * previous first replica; every other partition keeps its active; a partition's epoch grows by
   * one exactly when its placement changed, and {@code lost} is placed nowhere.
   */
  static void assertFailoverOnlyFor(NodeName lost, PartitionTable before, PartitionTable after) {
    for (PartitionEntry old : before.partitions()) {
      PartitionEntry now = after.entry(old.id()).orElseThrow();
      Placement was = old.placement().orElseThrow();
      Placement is = now.placement().orElseThrow(() -> new AssertionError(old.id() + " became unavailable"));
      assertFalse(is.contains(lost), old.id() + " still placed on " + lost + ": " + is);
      if (was.active().equals(lost)) {
        assertEquals(was.replicas().get(0), is.active(), old.id() + " fails over to its first replica");
      } else {
        assertEquals(was.active(), is.active(), old.id() + " keeps its active");
      }
      if (was.equals(is)) {
        assertEquals(old.epoch(), now.epoch(), old.id() + " unchanged keeps its epoch");
      } else {
        assertEquals(old.epoch().next(), now.epoch(), old.id() + " changed " + was + " -> " + is + ": epoch bumped");
      }
    }
    assertNotEquals(before, after);
  }
}
