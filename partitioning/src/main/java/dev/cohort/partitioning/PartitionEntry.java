package dev.cohort.partitioning;

import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One row of the {@link PartitionTable}: where a partition lives, which of its copies hold its
 * data, where the planner is taking it, and in which epoch.
 *
 * @param id the partition
 * @param placement its active and ordered replicas, or empty when it is unavailable: no live node
 *     holds its data (or no live node could ever host it)
 * @param inSync the nodes that hold every committed entry of the partition. While it is available,
 *     the active is among them and they are all in the placement; the other replicas are catching
 *     up. While it is unavailable, the nodes that were in sync when it lost its last live copy, so
 *     that operators and a later recovery know where the data is; empty if it never had a copy
 * @param target where the planner is taking the partition while the placement cannot be there yet,
 *     because the target's active or some of its replicas are still catching up. The placement then
 *     holds every node of the target, plus the acting active and the in-sync copies that stay until
 *     the target's copies are in sync. Empty when the placement is where the partition should be
 *     (a target equal to the placement is dropped)
 * @param epoch grows by one at every change of the active or of the in-sync set, counting becoming
 *     unavailable or available again; a change of the replicas that are not in sync, of their
 *     order, or of the target keeps it
 */
public record PartitionEntry(
    PartitionId id, Optional<Placement> placement, SortedSet<NodeName> inSync, Optional<Placement> target, Epoch epoch) {
  /**
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if the partition is available and its active is not in sync, a
   *     node in sync is not in its placement, or a target node is not in its placement
   */
  public PartitionEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(epoch, "epoch");
    inSync = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(inSync, "inSync")));
    if (target.equals(placement)) {
      target = Optional.empty();
    }
    if (placement.isPresent()) {
      Placement nodes = placement.get();
      if (!inSync.contains(nodes.active())) {
        throw new IllegalArgumentException(id + ": active " + nodes.active() + " is not in the in-sync set " + inSync);
      }
      for (NodeName node : inSync) {
        if (!nodes.contains(node)) {
          throw new IllegalArgumentException(id + ": in-sync node " + node + " is not in placement " + nodes.nodes());
        }
      }
    }
    if (target.isPresent() && !target.get().nodes().stream().allMatch(node -> placement.map(p -> p.contains(node)).orElse(false))) {
      throw new IllegalArgumentException(id + ": target " + target.get().nodes() + " is not within placement "
          + placement.map(Placement::nodes).orElse(List.of()));
    }
  }

  /** An entry without a target: the placement is where the partition should be. */
  public PartitionEntry(PartitionId id, Optional<Placement> placement, SortedSet<NodeName> inSync, Epoch epoch) {
    this(id, placement, inSync, Optional.empty(), epoch);
  }

  /** An entry whose every placed node is in sync, as at a partition's first placement. */
  public static PartitionEntry allInSync(PartitionId id, Placement placement, Epoch epoch) {
    return new PartitionEntry(id, Optional.of(placement), new TreeSet<>(placement.nodes()), epoch);
  }

  /** Whether the partition has an active. */
  public boolean available() {
    return placement.isPresent();
  }

  /** The active node, if the partition is available. */
  public Optional<NodeName> active() {
    return placement.map(Placement::active);
  }

  /** Whether {@code node} holds the partition, as active or as replica, in sync or catching up. */
  public boolean heldBy(NodeName node) {
    return placement.map(p -> p.contains(node)).orElse(false);
  }

  /** Whether {@code node} holds every committed entry of the partition (see {@link #inSync()}). */
  public boolean isInSync(NodeName node) {
    return inSync.contains(node);
  }

  /** The replicas still catching up, in placement order; empty if the partition is unavailable. */
  public List<NodeName> outOfSyncReplicas() {
    return placement.map(p -> p.replicas().stream().filter(node -> !inSync.contains(node)).toList()).orElse(List.of());
  }

  /**
   * The entry that follows this one: the same epoch if the active and the in-sync set stay, else
   * the next one.
   */
  PartitionEntry next(Optional<Placement> nextPlacement, Set<NodeName> nextInSync, Optional<Placement> nextTarget) {
    boolean sameEpoch = active().equals(nextPlacement.map(Placement::active)) && inSync.equals(nextInSync);
    return new PartitionEntry(id, nextPlacement, new TreeSet<>(nextInSync), nextTarget, sameEpoch ? epoch : epoch.next());
  }

  /** For example {@code accounts#3@4[n01, n02, n03~] -> [n03, n02]}: n03 is catching up to take over. */
  @Override
  public String toString() {
    return id + "@" + epoch
        + placement.map(p -> p.nodes().stream().map(this::marked).toList().toString())
            .orElse("[unavailable, in sync: " + inSync + "]")
        + target.map(t -> " -> " + t.nodes()).orElse("");
  }

  private String marked(NodeName node) {
    return inSync.contains(node) ? node.value() : node.value() + "~";
  }
}
