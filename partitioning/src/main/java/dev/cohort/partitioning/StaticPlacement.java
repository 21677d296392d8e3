package dev.cohort.partitioning;

import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionGroupSettings;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Places the partitions of one static group: each keeps its configured nodes that are live, in
 * configured order, except that the first of them that is in sync acts. Configured nodes that came
 * back without the data are replicas catching up. A partition never placed is placed once one of
 * its nodes is live, every copy in sync; a partition none of whose in-sync nodes is live is
 * unavailable, and stays so.
 */
final class StaticPlacement {
  private StaticPlacement() {}

  /**
   * The group's next entries, by index.
   *
   * @param live the live roster nodes
   * @param previous each partition's entry in the previous table, by index, if it had one
   */
  static List<PartitionEntry> place(
      PartitionGroupSettings.Static group, Set<NodeName> live, List<Optional<PartitionEntry>> previous) {
    var next = new ArrayList<PartitionEntry>();
    for (int index = 0; index < group.partitions().size(); index++) {
      List<NodeName> configured = group.partitions().get(index).nodes().stream().filter(live::contains).toList();
      var id = new PartitionId(group.name(), index);
      next.add(previous.get(index)
          .map(before -> next(before, configured))
          .orElseGet(() -> configured.isEmpty()
              ? new PartitionEntry(id, Optional.empty(), new TreeSet<>(), Epoch.FIRST)
              : PartitionEntry.allInSync(id, Placement.of(configured), Epoch.FIRST)));
    }
    return next;
  }

  private static PartitionEntry next(PartitionEntry before, List<NodeName> configured) {
    if (!before.available()) {
      boolean neverPlaced = before.inSync().isEmpty();
      return neverPlaced && !configured.isEmpty()
          ? before.next(Optional.of(Placement.of(configured)), new TreeSet<>(configured), Optional.empty())
          : before;
    }
    var inSync = new TreeSet<>(before.inSync());
    inSync.retainAll(configured);
    Optional<NodeName> active = configured.stream().filter(inSync::contains).findFirst();
    if (active.isEmpty()) {
      return before.next(Optional.empty(), before.inSync(), Optional.empty());
    }
    var nodes = new ArrayList<NodeName>();
    nodes.add(active.get());
    configured.stream().filter(node -> !node.equals(active.get())).forEach(nodes::add);
    return before.next(Optional.of(Placement.of(nodes)), inSync, Optional.empty());
  }
}
