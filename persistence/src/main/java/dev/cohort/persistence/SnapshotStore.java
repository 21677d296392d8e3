package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Where a node keeps snapshots of its partitions' state: the state after applying every log entry up
 * to a seq, as bytes, so that the log can be compacted below it and a replica can start from it.
 *
 * <p>A snapshot is written in chunks through a {@link SnapshotWriter} and read back chunk by chunk by
 * index, so that neither side needs the whole snapshot in memory; {@link #save} and {@link #readAll}
 * are the shortcuts for small states. A snapshot is visible only once committed, and then durable.
 * Snapshots of a partition are committed in increasing seq order: a new one must cover more than the
 * latest.
 *
 * <p>All methods may be called from any thread. Reading a snapshot while a newer one is written is
 * fine; reading one that {@link #deleteBefore} or {@link #delete} removed throws {@link
 * SnapshotDeletedException}.
 */
public interface SnapshotStore extends AutoCloseable {

  /**
   * Starts a snapshot of {@code partition} at {@code (seq, epoch)}.
   *
   * @param seq the last entry the snapshot covers, from 1
   * @param epoch the epoch of the entry at {@code seq}, from 1
   * @throws IllegalArgumentException if {@code seq} or {@code epoch} is below 1, or {@code seq} is not
   *     above the latest committed snapshot's
   * @throws IllegalStateException if the store is closed
   */
  SnapshotWriter create(PartitionId partition, long seq, long epoch);

  /**
   * Stores a snapshot held in one array: {@link #create}, one chunk (none if {@code state} is empty),
   * {@link SnapshotWriter#commit}.
   */
  default SnapshotInfo save(PartitionId partition, long seq, long epoch, byte[] state) {
    try (SnapshotWriter writer = create(partition, seq, epoch)) {
      if (state.length > 0) {
        writer.write(state);
      }
      return writer.commit();
    }
  }

  /** The committed snapshot of {@code partition} with the highest seq, if any. */
  Optional<SnapshotInfo> latest(PartitionId partition);

  /**
   * A copy of one chunk of a committed snapshot.
   *
   * @param index from 0 to {@link SnapshotInfo#chunkCount()} - 1
   * @throws SnapshotDeletedException if the snapshot is no longer stored
   * @throws IndexOutOfBoundsException on an index outside the snapshot's chunks
   */
  byte[] readChunk(SnapshotInfo snapshot, int index);

  /**
   * The whole snapshot in one array: its chunks in order.
   *
   * @throws SnapshotDeletedException if the snapshot is no longer stored
   * @throws IllegalStateException if the snapshot is too large for one array; read it by chunk
   */
  default byte[] readAll(SnapshotInfo snapshot) {
    if (snapshot.sizeInBytes() > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("the snapshot of " + snapshot.partition() + " at seq " + snapshot.seq() + " has "
          + snapshot.sizeInBytes() + " bytes, too many for one array; read it chunk by chunk");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) snapshot.sizeInBytes());
    for (int i = 0; i < snapshot.chunkCount(); i++) {
      out.writeBytes(readChunk(snapshot, i));
    }
    return out.toByteArray();
  }

  /**
   * Deletes the committed snapshots of {@code partition} whose seq is below {@code seq}; snapshots at
   * or above it stay. {@code deleteBefore(p, latest.seq())} keeps only the latest.
   */
  void deleteBefore(PartitionId partition, long seq);

  /** Deletes every snapshot of {@code partition}, for a partition moved away from this node. */
  void delete(PartitionId partition);

  /** Closes the store; later calls except {@code close} throw {@link IllegalStateException}. */
  @Override
  void close();
}
