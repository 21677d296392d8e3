package dev.cohort.partitioning;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionGroupSettings;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.api.StableHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Places the partitions of one dynamic group over the live nodes of its cluster.
 *
 * <p>Each partition is new (or was never placed: it holds no data), or placed with an in-sync copy
 * still live, or lost (no in-sync copy is live, now or before). The balancers lay out the first two
 * kinds, counting a partition's target as where it is; {@link DataFirst} then holds back what the
 * data does not allow yet. Lost partitions stay unavailable and take no part.
 */
final class DynamicPlacement {
  private DynamicPlacement() {}

  /**
   * The group's next entries, by index.
   *
   * @param hosts the live roster nodes of the group's cluster
   * @param previous each partition's entry in the previous table, by index, if it had one
   * @param kept nodes that keep copies on their storage outside the previous placements, by partition
   */
  static List<PartitionEntry> place(
      CohortSettings settings,
      PartitionGroupSettings.Dynamic group,
      SortedSet<NodeName> hosts,
      List<Optional<PartitionEntry>> previous,
      Map<PartitionId, Set<NodeName>> kept) {
    int count = previous.size();
    var next = new PartitionEntry[count];
    var starts = new Start[count];
    var placeable = new ArrayList<Integer>();
    for (int index = 0; index < count; index++) {
      Optional<PartitionEntry> before = previous.get(index);
      if (before.isEmpty() || neverPlaced(before.get())) {
        placeable.add(index);
      } else if (!before.get().available()) {
        next[index] = before.get(); // its data was lost before: it stays unavailable
      } else {
        Optional<Start> start = Start.of(before.get(), hosts, kept.getOrDefault(before.get().id(), Set.of()));
        if (start.isEmpty()) {
          next[index] = before.get().next(Optional.empty(), before.get().inSync(), Optional.empty());
        } else {
          starts[index] = start.get();
          placeable.add(index);
        }
      }
    }
    if (hosts.isEmpty()) {
      placeable.forEach(index -> next[index] = unplaced(group, index, previous.get(index)));
      return List.of(next);
    }
    List<NodeName> nodes = tieBreakOrder(group.name(), hosts);
    int replicas = Math.min(group.replicas(), nodes.size() - 1);
    List<Optional<String>> zones = nodes.stream().map(node -> settings.nodes().get(node).zone()).toList();
    var layout = new GroupLayout(nodes, zones, replicas, placeable.stream().map(index -> starts[index]).toList());
    new ActiveBalancer(layout).run();
    new ReplicaBalancer(layout).run();
    List<List<NodeName>> targets = layout.placements();
    for (int p = 0; p < placeable.size(); p++) {
      int index = placeable.get(p);
      next[index] = starts[index] == null
          ? placedFirst(group, index, previous.get(index), targets.get(p))
          : follow(previous.get(index).orElseThrow(), starts[index], targets.get(p), replicas + 1);
    }
    return List.of(next);
  }

  /** An unavailable entry whose in-sync set is empty never had a copy: nothing can be lost by placing it. */
  private static boolean neverPlaced(PartitionEntry entry) {
    return !entry.available() && entry.inSync().isEmpty();
  }

  /** No live node to place a partition without data on. */
  private static PartitionEntry unplaced(PartitionGroupSettings group, int index, Optional<PartitionEntry> before) {
    return before.orElseGet(() -> new PartitionEntry(new PartitionId(group.name(), index), Optional.empty(),
        new TreeSet<>(), Epoch.FIRST));
  }

  /** A first placement: there is no data yet, so every copy is in sync. */
  private static PartitionEntry placedFirst(
      PartitionGroupSettings group, int index, Optional<PartitionEntry> before, List<NodeName> target) {
    Placement placement = Placement.of(target);
    return before
        .map(entry -> entry.next(Optional.of(placement), new TreeSet<>(target), Optional.empty()))
        .orElseGet(() -> PartitionEntry.allInSync(new PartitionId(group.name(), index), placement, Epoch.FIRST));
  }

  private static PartitionEntry follow(PartitionEntry before, Start start, List<NodeName> target, int copies) {
    List<NodeName> nodes = DataFirst.follow(start, target, copies);
    var inSync = new TreeSet<>(start.inSync());
    inSync.retainAll(nodes);
    return before.next(Optional.of(Placement.of(nodes)), inSync, Optional.of(Placement.of(target)));
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
