package dev.cohort.node.internal.client;

import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.ReadConsistency;
import dev.cohort.partitioning.PartitionEntry;
import java.util.Optional;

/** Where the next attempt of a request goes, decided from the newest table this node holds. */
sealed interface Target {

  /**
   * Send to {@code node}.
   *
   * @param node the node whose partition host gets the attempt
   * @param epoch the partition's epoch in the table
   * @param linearizable for a read: whether the node must answer as the confirmed active
   * @param local whether {@code node} is this node, answering from its own copy (a replica read)
   */
  record Send(NodeName node, long epoch, boolean linearizable, boolean local) implements Target {}

  /** The table says no node can serve the partition: fail now, saying why. */
  record Unavailable(String reason) implements Target {}

  /** This node's table has no entry for the partition yet (it is starting): wait and look again. */
  record NotYet(String reason) implements Target {}

  /**
   * Where {@code request} goes next.
   *
   * @param entry the partition's entry in the newest table, if it has one
   * @param self this node
   * @param request the request
   * @param localRefused whether this node's copy already refused the request (it has no copy after
   *     all), so a replica read must go to the active
   */
  static Target of(Optional<PartitionEntry> entry, NodeName self, Request request, boolean localRefused) {
    PartitionId partition = request.partition();
    if (entry.isEmpty()) {
      return new NotYet("no partition table naming " + partition + " has reached " + self + " yet");
    }
    PartitionEntry e = entry.get();
    boolean replicaRead = request instanceof Request.Read read && read.consistency() == ReadConsistency.ANY_REPLICA;
    // A copy is kept where the table places the partition, and where its last in-sync data is while
    // it has no active; either may answer a replica read.
    if (replicaRead && !localRefused && (e.heldBy(self) || e.isInSync(self))) {
      return new Send(self, e.epoch().value(), false, true);
    }
    if (e.active().isEmpty()) {
      return new Unavailable(e.inSync().isEmpty()
          ? "no live node can host it (epoch " + e.epoch() + ")"
          : "no node holding its data is live; it was last in sync on " + e.inSync() + " (epoch " + e.epoch() + ")");
    }
    return new Send(e.active().get(), e.epoch().value(), !replicaRead, false);
  }
}
