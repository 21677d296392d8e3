package dev.cohort.partitioning;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionGroupSettings;
import dev.cohort.api.Placement;
import dev.cohort.api.StableHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/** Places the partitions of one dynamic group over the live nodes of its cluster. */
final class DynamicPlacement {
  private DynamicPlacement() {}

  /**
   * The next placement of each of the group's partitions, by index.
   *
   * @param hosts the live roster nodes of the group's cluster
   * @param previous each partition's placement in the previous table, by index, if it had one
   */
  static List<Optional<Placement>> place(
      CohortSettings settings,
      PartitionGroupSettings.Dynamic group,
      SortedSet<NodeName> hosts,
      List<Optional<Placement>> previous) {
    if (hosts.isEmpty()) {
      return previous.stream().map(ignored -> Optional.<Placement>empty()).toList();
    }
    List<NodeName> nodes = tieBreakOrder(group.name(), hosts);
    List<Optional<String>> zones = nodes.stream().map(node -> settings.nodes().get(node).zone()).toList();
    int replicas = Math.min(group.replicas(), nodes.size() - 1);
    var layout = new GroupLayout(nodes, zones, replicas, previous);
    new ActiveBalancer(layout).run();
    new ReplicaBalancer(layout).run();
    return layout.placements();
  }

  /**
   * The order in which equal candidates are preferred: by a hash of group and node name, so that
   * it is the same on every node and run, and different groups favour different nodes with their
   * rounding remainders.
   */
  private static List<NodeName> tieBreakOrder(String group, SortedSet<NodeName> hosts) {
    var nodes = new ArrayList<>(hosts);
    nodes.sort(Comparator.<NodeName>comparingLong(node -> StableHash.of(group + '/' + node.value()))
        .thenComparing(Comparator.naturalOrder()));
    return nodes;
  }
}
