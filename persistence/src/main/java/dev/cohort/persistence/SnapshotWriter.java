package dev.cohort.persistence;

import dev.cohort.api.PartitionId;

/**
 * Writes one snapshot, chunk by chunk, so that a snapshot larger than the heap can be streamed into
 * the store (from the local state machines, or as it arrives from the active). Nothing of it is
 * visible until {@link #commit()}; closing the writer without committing discards it.
 *
 * <p>One thread uses a writer at a time.
 */
public interface SnapshotWriter extends AutoCloseable {

  /** The partition whose snapshot this is. */
  PartitionId partition();

  /** The last entry the snapshot covers. */
  long seq();

  /** The epoch of the entry at {@link #seq()}. */
  long epoch();

  /**
   * Adds the next chunk. The store keeps its own copy. Chunk sizes are the writer's choice; readers
   * must not rely on them.
   *
   * @throws IllegalArgumentException on an empty chunk
   * @throws IllegalStateException after {@link #commit()} or {@link #close()}
   */
  void write(byte[] chunk);

  /**
   * Makes the snapshot durable and visible as the partition's {@link SnapshotStore#latest}; returns
   * only once it is durable, whatever the storage's fsync policy, because callers compact the log
   * right after.
   *
   * @return the committed snapshot
   * @throws IllegalStateException if the writer is already committed or closed, or a snapshot at the
   *     same or a later seq was committed meanwhile
   */
  SnapshotInfo commit();

  /** Discards the snapshot unless it was committed. Closing twice does nothing. */
  @Override
  void close();
}
