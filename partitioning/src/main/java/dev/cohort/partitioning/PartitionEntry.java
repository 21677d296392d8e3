package dev.cohort.partitioning;

import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the {@link PartitionTable}: where a partition lives and in which epoch.
 *
 * @param id the partition
 * @param placement its active and ordered replicas, or empty when no live node can host it: the
 *     partition is unavailable
 * @param epoch grows by one at every change of the placement (active, replica set or replica
 *     order, or becoming unavailable or available again)
 */
public record PartitionEntry(PartitionId id, Optional<Placement> placement, Epoch epoch) {
  /** @throws NullPointerException if a component is null */
  public PartitionEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(epoch, "epoch");
  }

  /** Whether some live node hosts the partition. */
  public boolean available() {
    return placement.isPresent();
  }

  /** The active node, if the partition is available. */
  public Optional<NodeName> active() {
    return placement.map(Placement::active);
  }

  /** Whether {@code node} holds the partition, as active or as replica. */
  public boolean heldBy(NodeName node) {
    return placement.map(p -> p.contains(node)).orElse(false);
  }

  @Override
  public String toString() {
    return id + "@" + epoch + placement.map(p -> p.nodes().toString()).orElse("[unavailable]");
  }
}
