package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.SortedSet;

/**
 * Where a node keeps the applied state of its partitions' state machines: one {@link StateStore}
 * per partition, beside the partition's log ({@link LogStorage}). Unlike a snapshot, the state is
 * kept up to date entry by entry, so it may be far larger than the heap.
 *
 * <p>Thread-safe. Closing it closes every store it opened; using one after that throws {@link
 * IllegalStateException}.
 */
public interface StateStorage extends AutoCloseable {
  /**
   * The state of {@code partition}, created empty ({@link StateStore#appliedSeq()} 0) if there is
   * none; the same partition gives the same store until it is deleted or this storage closes.
   */
  StateStore open(PartitionId partition);

  /** The partitions that have state here, opened or not. */
  SortedSet<PartitionId> partitions();

  /** Deletes the state of {@code partition}; its open store must not be used afterwards. */
  void delete(PartitionId partition);

  /**
   * Makes everything applied so far durable, so that it survives a machine crash: afterwards each
   * store's {@link StateStore#durableSeq()} is at least its applied seq of before the call. Applies
   * become durable without it too, at the storage's own pace.
   */
  void sync();

  /** Closes the storage and every store it opened; idempotent. */
  @Override
  void close();
}
