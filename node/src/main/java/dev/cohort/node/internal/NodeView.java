package dev.cohort.node.internal;

import dev.cohort.api.NodeGroup;
import dev.cohort.api.PartitionId;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.quorum.QuorumState;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What this node currently knows, written by its actors and read from any thread (HTTP, tests):
 * the latest partition table it has received, its quorum state per node group, and how far its
 * partition copies are.
 */
public final class NodeView {
  private final AtomicReference<PartitionTable> table = new AtomicReference<>(PartitionTable.EMPTY);
  private final AtomicReference<SortedMap<NodeGroup, QuorumState>> quorum =
      new AtomicReference<>(Collections.emptySortedMap());

  private final ConcurrentMap<PartitionId, CopyProgress> copies = new ConcurrentHashMap<>();

  /** The latest partition table this node has received; version 0 before the first one. */
  public PartitionTable table() {
    return table.get();
  }

  /** This node's view of the quorum of every node group. */
  public SortedMap<NodeGroup, QuorumState> quorum() {
    return quorum.get();
  }

  /** How far each partition copy this node holds is, by partition. */
  public SortedMap<PartitionId, CopyProgress> copies() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(copies));
  }

  /** Publishes the progress of this node's copy of {@code partition}. */
  public void publishCopy(PartitionId partition, CopyProgress progress) {
    copies.put(partition, progress);
  }

  /** This node no longer holds a copy of {@code partition}. */
  public void removeCopy(PartitionId partition) {
    copies.remove(partition);
  }

  /** Keeps {@code next} if it is newer than what this node holds. */
  void offerTable(PartitionTable next) {
    table.accumulateAndGet(next, (current, offered) -> offered.version() > current.version() ? offered : current);
  }

  void setQuorum(SortedMap<NodeGroup, QuorumState> states) {
    quorum.set(Collections.unmodifiableSortedMap(new TreeMap<>(states)));
  }
}
