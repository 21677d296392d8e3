package dev.cohort.partitioning;

import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one partition differs between two tables.
 *
 * @param id the partition
 * @param before its entry in the previous table; empty if the partition is new (a new group or a
 *     larger partition count)
 * @param after its entry in the next table; empty if the partition no longer exists
 */
public record PartitionChange(PartitionId id, Optional<PartitionEntry> before, Optional<PartitionEntry> after) {
  /** @throws NullPointerException if a component is null */
  public PartitionChange {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  /** Whether the active node differs, counting a partition that gains or loses its active. */
  public boolean activeChanged() {
    return !activeOf(before).equals(activeOf(after));
  }

  /** Whether the in-sync set differs, counting a partition that is new or no longer exists. */
  public boolean inSyncChanged() {
    return !before.map(PartitionEntry::inSync).equals(after.map(PartitionEntry::inSync));
  }

  /**
   * The nodes that hold the partition after but not before, as active or replica: each must
   * receive its data (a data move), and is a replica out of sync until it has.
   */
  public List<NodeName> addedNodes() {
    List<NodeName> old = nodesOf(before);
    return nodesOf(after).stream().filter(node -> !old.contains(node)).toList();
  }

  /** The nodes that held the partition before but no longer do. */
  public List<NodeName> removedNodes() {
    List<NodeName> next = nodesOf(after);
    return nodesOf(before).stream().filter(node -> !next.contains(node)).toList();
  }

  /**
   * Replica slots whose node changed: positions of the replica list (first replica, second, ...)
   * that hold a different node, or exist on one side only. A reorder counts; a move of the active
   * does not, unless it shifts the replicas.
   */
  public int replicaSlotChanges() {
    List<NodeName> old = replicasOf(before);
    List<NodeName> next = replicasOf(after);
    int changes = 0;
    for (int slot = 0; slot < Math.max(old.size(), next.size()); slot++) {
      if (slot >= old.size() || slot >= next.size() || !old.get(slot).equals(next.get(slot))) {
        changes++;
      }
    }
    return changes;
  }

  private static Optional<NodeName> activeOf(Optional<PartitionEntry> entry) {
    return entry.flatMap(PartitionEntry::active);
  }

  private static List<NodeName> nodesOf(Optional<PartitionEntry> entry) {
    return entry.flatMap(PartitionEntry::placement).map(Placement::nodes).orElse(List.of());
  }

  private static List<NodeName> replicasOf(Optional<PartitionEntry> entry) {
    return entry.flatMap(PartitionEntry::placement).map(Placement::replicas).orElse(List.of());
  }
}
