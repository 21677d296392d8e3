package dev.cohort.persistence;

import dev.cohort.api.PartitionId;

/**
 * A committed snapshot of a partition's state: which entries it covers and how it is stored.
 *
 * @param partition the partition
 * @param seq the last entry the snapshot covers: the state after applying every entry up to it
 * @param epoch the epoch of the entry at {@code seq}, for the log's base after {@link
 *     PartitionLog#resetTo}
 * @param sizeInBytes the snapshot's total size, the sum of its chunks
 * @param chunkCount how many chunks it was written in; read them by index from 0
 */
public record SnapshotInfo(PartitionId partition, long seq, long epoch, long sizeInBytes, int chunkCount) {
  /** @throws IllegalArgumentException on a missing partition, a seq or epoch below 1, or a negative size */
  public SnapshotInfo {
    if (partition == null) {
      throw new IllegalArgumentException("a snapshot needs a partition");
    }
    checkPoint(partition, seq, epoch);
    if (sizeInBytes < 0 || chunkCount < 0) {
      throw new IllegalArgumentException("snapshot of " + partition + " at seq " + seq
          + ": size and chunk count must be >= 0, got " + sizeInBytes + " bytes in " + chunkCount + " chunks");
    }
  }

  /** Checks a snapshot's position, for the record and for stores checking {@link SnapshotStore#create}. */
  static void checkPoint(PartitionId partition, long seq, long epoch) {
    if (seq < 1 || epoch < 1) {
      throw new IllegalArgumentException("a snapshot of partition " + partition
          + " needs a seq and an epoch from 1, got seq " + seq + ", epoch " + epoch);
    }
  }
}
