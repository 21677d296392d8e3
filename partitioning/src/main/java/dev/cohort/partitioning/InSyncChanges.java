package dev.cohort.partitioning;

import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Changes of a partition's in-sync set, as the coordinator applies them when an active reports that
 * a replica caught up or fell behind. Each is a pure function of the table in force: it returns the
 * next table (version + 1, the partition's epoch + 1) or, when nothing changes, the same table.
 * The coordinator then plans again ({@link PlacementPlanner#plan}), since a replica that caught up
 * may let the planner finish a move, and writes the result.
 */
public final class InSyncChanges {
  private InSyncChanges() {}

  /**
   * {@code node} now holds every committed entry of {@code partition}: it joins the in-sync set.
   *
   * @return the next table, or {@code table} itself if the partition is unknown or unavailable,
   *     {@code node} is not one of its replicas, or it is in sync already
   */
  public static PartitionTable caughtUp(PartitionTable table, PartitionId partition, NodeName node) {
    Objects.requireNonNull(node, "node");
    Optional<PartitionEntry> entry = table.entry(partition);
    if (entry.isEmpty() || !entry.get().heldBy(node) || entry.get().isInSync(node)) {
      return table;
    }
    var inSync = new TreeSet<>(entry.get().inSync());
    inSync.add(node);
    return replace(table, entry.get().next(entry.get().placement(), inSync, entry.get().target()));
  }

  /**
   * {@code nodes} stopped acknowledging {@code partition}'s entries: they leave its in-sync set and
   * the active may commit without them once the table is written. The active never leaves; to
   * replace it, the coordinator plans without it.
   *
   * @return the next table, or {@code table} itself if the partition is unknown or unavailable, or
   *     none of {@code nodes} is an in-sync replica
   */
  public static PartitionTable lagging(PartitionTable table, PartitionId partition, Set<NodeName> nodes) {
    Objects.requireNonNull(nodes, "nodes");
    Optional<PartitionEntry> entry = table.entry(partition);
    if (entry.isEmpty() || !entry.get().available()) {
      return table;
    }
    var inSync = new TreeSet<>(entry.get().inSync());
    nodes.stream().filter(node -> !entry.get().active().orElseThrow().equals(node)).forEach(inSync::remove);
    if (inSync.equals(entry.get().inSync())) {
      return table;
    }
    return replace(table, entry.get().next(entry.get().placement(), inSync, entry.get().target()));
  }

  /**
   * An operator gives up the data of an unavailable {@code partition}: its entry forgets the nodes
   * that held it, so that the next plan places it afresh, empty (as a partition that never had a
   * copy). Nothing else changes.
   *
   * @return the next table, or {@code table} itself if the partition is unknown or available
   */
  public static PartitionTable forceEmpty(PartitionTable table, PartitionId partition) {
    Optional<PartitionEntry> entry = table.entry(partition);
    if (entry.isEmpty() || entry.get().available()) {
      return table;
    }
    return replace(table, entry.get().next(Optional.empty(), Set.of(), Optional.empty()));
  }

  /**
   * {@code node}, one of the in-sync holders an unavailable {@code partition} lost, is back with its
   * data (a node restarted on its storage): it becomes the partition's active, alone in sync, in a
   * new epoch. The next plan gives it replicas, which catch up from it.
   *
   * @return the next table, or {@code table} itself if the partition is unknown or available, or
   *     {@code node} was not in its in-sync set
   */
  public static PartitionTable revived(PartitionTable table, PartitionId partition, NodeName node) {
    Objects.requireNonNull(node, "node");
    Optional<PartitionEntry> entry = table.entry(partition);
    if (entry.isEmpty() || entry.get().available() || !entry.get().isInSync(node)) {
      return table;
    }
    return replace(table, entry.get().next(Optional.of(Placement.of(List.of(node))), Set.of(node), Optional.empty()));
  }

  private static PartitionTable replace(PartitionTable table, PartitionEntry changed) {
    var entries = new ArrayList<>(table.partitions());
    entries.replaceAll(entry -> entry.id().equals(changed.id()) ? changed : entry);
    return table.next(entries);
  }
}
