package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.SortedSet;

/**
 * Where a node keeps the logs of the partitions it holds: one {@link PartitionLog} per partition.
 *
 * <p>A log, once created by {@link #open}, stays in the storage until {@link #delete}d, whether a
 * handle on it is open or not; closing a handle and opening the log again sees everything that was
 * durable. At most one handle per partition is open at a time, because a log has one writer.
 *
 * <p>All methods may be called from any thread.
 */
public interface LogStorage extends AutoCloseable {

  /**
   * Opens the log of {@code partition}, creating an empty one (base seq 0, epoch 0, {@link
   * PartitionMeta#EMPTY}) if the storage holds none.
   *
   * @throws IllegalStateException if a handle on that log is already open, or the storage is closed
   */
  PartitionLog open(PartitionId partition);

  /** The partitions whose logs this storage holds, open or not, in order. */
  SortedSet<PartitionId> partitions();

  /**
   * Deletes the log of {@code partition} with its entries and meta, for a partition moved away from
   * this node. Nothing happens if the storage holds no such log.
   *
   * @throws IllegalStateException if a handle on that log is open, or the storage is closed
   */
  void delete(PartitionId partition);

  /** Closes every open log handle and the storage; later calls except {@code close} throw. */
  @Override
  void close();
}
