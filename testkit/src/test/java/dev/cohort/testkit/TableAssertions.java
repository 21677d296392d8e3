package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What tables must show after a node is lost. */
final class TableAssertions {
  private TableAssertions() {}

  /**
   * Each partition's placement (active and replicas in order), ignoring which copies are in sync
   * and the epochs: a replica that stops answering for a while leaves the in-sync set and returns to
   * it without the placement changing.
   */
  static Map<PartitionId, Optional<Placement>> placements(PartitionTable table) {
    var placements = new TreeMap<PartitionId, Optional<Placement>>();
    table.partitions().forEach(entry -> placements.put(entry.id(), entry.placement()));
    return placements;
  }

  /**
   * Between the two tables: partitions whose active was {@code lost} are now active on their
   * previous first replica; every other partition keeps its active; a partition's epoch grows
   * exactly when its active or in-sync set changed (once per table that changed them: dropping the
   * lost copy, then adding its caught-up replacement), and {@code lost} is placed nowhere.
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
      if (was.active().equals(is.active()) && old.inSync().equals(now.inSync())) {
        assertEquals(old.epoch(), now.epoch(), old.id() + " kept its active and in-sync set, and its epoch");
      } else {
        assertTrue(now.epoch().compareTo(old.epoch()) > 0, old.id() + " changed " + old + " -> " + now + ": epoch grows");
      }
    }
    assertNotEquals(before, after);
  }
}
