package dev.cohort.node.internal.client;

import dev.cohort.api.ClusterScope;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.Epoch;
import dev.cohort.api.MapperSpec;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.api.NodeSpec;
import dev.cohort.api.PartitionGroupSettings;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.node.ClientSettings;
import dev.cohort.node.TableSettings;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Settings, tables and answers for the client tests: three ledger nodes, a group "kvg" of 4 partitions. */
final class Fixtures {
  static final NodeName A = NodeName.of("node-a");
  static final NodeName B = NodeName.of("node-b");
  static final NodeName C = NodeName.of("node-c");
  static final NodeGroup LEDGER = NodeGroup.of("ledger");
  static final String GROUP = "kvg";
  static final String TABLE = "kv";
  static final int MAX_VALUE = 16;

  static final CohortSettings COHORT = cohort();
  static final TableSettings TABLES = new TableSettings(
      new TreeMap<>(Map.of(TABLE, GROUP, "seq", "rr")), MAX_VALUE, 100, 100);
  static final ClientSettings CLIENT =
      new ClientSettings(Duration.ofSeconds(5), 3, Duration.ofMillis(50), Duration.ofSeconds(1),
          Duration.ofMillis(20));

  private Fixtures() {}

  private static CohortSettings cohort() {
    var nodes = new TreeMap<NodeName, NodeSpec>();
    for (NodeName node : List.of(A, B, C)) {
      nodes.put(node, new NodeSpec(node, Set.of(LEDGER), Optional.empty()));
    }
    return new CohortSettings(nodes,
        Map.of("main", new ClusterScope("main", Set.of(LEDGER))),
        Map.of(GROUP, new PartitionGroupSettings.Dynamic(GROUP, "main", 4, 1, new MapperSpec.ConsistentHash()),
            "rr", new PartitionGroupSettings.Dynamic("rr", "main", 4, 1, new MapperSpec.RoundRobin())));
  }

  static PartitionId partition(int index) {
    return new PartitionId(GROUP, index);
  }

  /** An available entry: {@code active} then {@code replicas}, all in sync. */
  static PartitionEntry entry(int index, long epoch, NodeName active, NodeName... replicas) {
    return PartitionEntry.allInSync(partition(index), new Placement(active, List.of(replicas)), new Epoch(epoch));
  }

  /** An entry with no active, last in sync on {@code inSync}. */
  static PartitionEntry unavailable(int index, long epoch, NodeName... inSync) {
    return new PartitionEntry(partition(index), Optional.empty(), new TreeSet<>(List.of(inSync)), new Epoch(epoch));
  }

  static PartitionTable table(long version, PartitionEntry... entries) {
    return new PartitionTable(version, List.of(entries));
  }

  static Reply reply(Outcome outcome, long version, long seq) {
    return new Reply(outcome, null, version, seq, null, null);
  }

  static Reply refused(Outcome outcome, String code, String message) {
    return new Reply(outcome, null, -1, 0, code, message);
  }

  static Reply found(byte[] value, long version, long seq) {
    return new Reply(Outcome.FOUND, value, version, seq, null, null);
  }
}
