package dev.cohort.node.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import dev.cohort.node.internal.cli.DemoKvHttp.Versioned;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's decisions without a cluster: what a read must show, and which node to kill. */
class DemoRulesTest {

  @Test
  void aReadMustShowTheAcknowledgedWriteOrANewerOne() {
    Versioned acked = new Versioned(7, "w42");
    assertNull(DemoCheck.staleness("k", acked, new Versioned(7, "w42")), "the acknowledged write itself");
    assertNull(DemoCheck.staleness("k", acked, new Versioned(9, "w50")), "a newer write");
    assertNull(DemoCheck.staleness("k", null, null), "nothing acknowledged, nothing found");
    assertNull(DemoCheck.staleness("k", null, new Versioned(3, "w1")), "nothing acknowledged, an unacknowledged write");
    assertEquals("k: not found, but version 7 (w42) was acknowledged", DemoCheck.staleness("k", acked, null));
    assertEquals("k: read version 5 (w40), older than the acknowledged version 7 (w42)",
        DemoCheck.staleness("k", acked, new Versioned(5, "w40")));
    assertEquals("k: version 7 holds w41, but the acknowledged write of that version was w42",
        DemoCheck.staleness("k", acked, new Versioned(7, "w41")));
  }

  @Test
  void theVictimIsTheNodeActiveForTheMostPartitionsOfTheGroup_tiesToTheFirstName() {
    TableJson table = table(
        partition("accounts", 0, "node-b", "node-a"),
        partition("accounts", 1, "node-c", "node-a"),
        partition("accounts", 2, "node-c", "node-b"),
        partition("audit", 0, "node-a", "node-b"),
        partition("audit", 1, "node-a", "node-c"));
    assertEquals("node-c", DemoFailover.victim(table, "accounts"));
    assertEquals("node-a", DemoFailover.victim(table, "audit"));
    TableJson tie = table(partition("accounts", 0, "node-c", "node-a"), partition("accounts", 1, "node-b", "node-a"));
    assertEquals("node-b", DemoFailover.victim(tie, "accounts"));
  }

  @Test
  void fullyInSyncNeedsEveryPlacedNodeInTheInSyncSet() {
    assertTrue(DemoFailover.fullyInSync(table(partition("accounts", 0, "node-a", "node-b"))));
    var catchingUp = new PartitionJson("accounts", 0, "node-a", List.of("node-b"), List.of("node-a"), null, 3, null, null, null, null);
    assertFalse(DemoFailover.fullyInSync(new TableJson(1, List.of(catchingUp), null, null)));
    var unavailable = new PartitionJson("accounts", 0, null, List.of(), List.of("node-a"), null, 3, null, null, null, null);
    assertFalse(DemoFailover.fullyInSync(new TableJson(1, List.of(unavailable), null, null)));
  }

  private static TableJson table(PartitionJson... partitions) {
    return new TableJson(1, List.of(partitions), null, null);
  }

  private static PartitionJson partition(String group, int index, String active, String replica) {
    return new PartitionJson(group, index, active, List.of(replica), List.of(active, replica), null, 2, null, null, null, null);
  }
}
