package dev.cohort.persistence;

import dev.cohort.api.PartitionId;

/**
 * What every {@link SnapshotWriter} does alike: it knows its snapshot's position, refuses empty
 * chunks and use after commit or close, and counts chunks and bytes; a store supplies where the
 * chunks go, how they are committed and how an abandoned snapshot is discarded. One thread at a
 * time, as {@link SnapshotWriter} says.
 */
abstract class ChunkedSnapshotWriter implements SnapshotWriter {
  final PartitionId partition;
  final long seq;
  final long epoch;
  int chunks;
  long size;
  private boolean done;

  ChunkedSnapshotWriter(PartitionId partition, long seq, long epoch) {
    this.partition = partition;
    this.seq = seq;
    this.epoch = epoch;
  }

  @Override
  public final PartitionId partition() {
    return partition;
  }

  @Override
  public final long seq() {
    return seq;
  }

  @Override
  public final long epoch() {
    return epoch;
  }

  @Override
  public final void write(byte[] chunk) {
    requireNotDone();
    LogRules.checkChunk(partition, seq, chunk);
    store(chunk);
    chunks++;
    size += chunk.length;
  }

  @Override
  public final SnapshotInfo commit() {
    requireNotDone();
    done = true;
    return committed();
  }

  @Override
  public final void close() {
    if (!done) {
      done = true;
      discard();
    }
  }

  /** Keeps chunk number {@link #chunks} (the caller may reuse the array afterwards). */
  abstract void store(byte[] chunk);

  /** Makes the snapshot visible and durable, or throws if a newer one was committed meanwhile. */
  abstract SnapshotInfo committed();

  /** Drops the chunks of a snapshot closed without commit. */
  abstract void discard();

  private void requireNotDone() {
    if (done) {
      throw new IllegalStateException("the snapshot writer of " + partition + " at seq " + seq
          + " is already committed or closed");
    }
  }
}
