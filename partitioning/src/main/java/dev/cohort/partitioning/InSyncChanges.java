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

  /**
   * {@code nodes} came back as new incarnations (restarted processes) before the table noticed they
   * were gone: they may have missed committed entries, so they leave every in-sync set, but they
   * keep their places as replicas catching up, so that a node restarted on its storage catches up
   * the tail it missed on the partitions it held instead of being given others. Where one of them
   * was active, the first live in-sync node of the placement takes over in its slot. A partition
   * left with no live copy in sync becomes unavailable, remembering all its in-sync holders (these
   * nodes too), until one of them reports the data it kept ({@link #revived}).
   *
   * @param live the nodes that are up, {@code nodes} among them
   * @return the next table, or {@code table} itself if none of {@code nodes} was in sync anywhere
   */
  public static PartitionTable restarted(PartitionTable table, Set<NodeName> nodes, Set<NodeName> live) {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(live, "live");
    var entries = new ArrayList<PartitionEntry>();
    boolean changed = false;
    for (PartitionEntry entry : table.partitions()) {
      if (!entry.available() || entry.inSync().stream().noneMatch(nodes::contains)) {
        entries.add(entry);
        continue;
      }
      changed = true;
      var inSync = new TreeSet<>(entry.inSync());
      inSync.removeAll(nodes);
      var placement = new ArrayList<>(entry.placement().orElseThrow().nodes());
      Optional<NodeName> successor = placement.stream().filter(node -> inSync.contains(node) && live.contains(node))
          .findFirst();
      if (successor.isEmpty()) {
        entries.add(entry.next(Optional.empty(), entry.inSync(), Optional.empty()));
        continue;
      }
      NodeName acting = successor.get();
      placement.set(placement.indexOf(acting), placement.get(0));
      placement.set(0, acting);
      entries.add(entry.next(Optional.of(Placement.of(placement)), inSync, entry.target()));
    }
    return changed ? table.next(entries) : table;
  }

  private static PartitionTable replace(PartitionTable table, PartitionEntry changed) {
    var entries = new ArrayList<>(table.partitions());
    entries.replaceAll(entry -> entry.id().equals(changed.id()) ? changed : entry);
    return table.next(entries);
  }
}
