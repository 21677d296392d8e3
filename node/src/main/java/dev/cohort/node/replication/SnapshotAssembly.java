package dev.cohort.node.replication;

import java.io.ByteArrayOutputStream;

/**
 * A replica putting together a snapshot that the active sends in chunks, one at a time and in order
 * (DESIGN step 7). Chunks may be lost, repeated, or belong to a newer snapshot than the one under way:
 * the answer to every chunk is the index the replica wants next, so the active resends, goes on or
 * starts over, and the replica never holds more than one snapshot in the making. Single-threaded.
 */
public final class SnapshotAssembly {
  private ByteArrayOutputStream bytes;
  private long seq;
  private long epoch;
  private int count;
  private int next;

  /** What a chunk led to. */
  public sealed interface Step {}

  /** The snapshot is not complete: send the chunk at {@code index} next. */
  public record Want(int index) implements Step {}

  /** The last chunk arrived: {@code snapshot} is the whole snapshot, to install. */
  public record Complete(byte[] snapshot) implements Step {}

  /**
   * Takes one chunk of the snapshot at {@code (snapshotSeq, snapshotEpoch)}.
   *
   * <p>Chunk 0 of a snapshot other than the one under way starts that one afresh; any other chunk of
   * it asks for chunk 0. Within the snapshot under way, only the next chunk counts; an earlier or later
   * one asks for the next again.
   *
   * @param index the chunk's index, from 0
   * @param count how many chunks the snapshot has, from 1
   * @throws IllegalArgumentException if {@code index} is not in {@code [0, count)}
   */
  public Step offer(long snapshotSeq, long snapshotEpoch, int index, int count, byte[] chunk) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("chunk " + index + " of " + count + " of the snapshot at seq " + snapshotSeq
          + ": a snapshot has at least one chunk, indexed from 0");
    }
    boolean underWay = bytes != null && seq == snapshotSeq && epoch == snapshotEpoch && this.count == count;
    if (!underWay) {
      if (index != 0) {
        return new Want(0);
      }
      bytes = new ByteArrayOutputStream();
      seq = snapshotSeq;
      epoch = snapshotEpoch;
      this.count = count;
      next = 0;
    }
    if (index != next) {
      return new Want(next);
    }
    bytes.writeBytes(chunk);
    next++;
    if (next < count) {
      return new Want(next);
    }
    byte[] snapshot = bytes.toByteArray();
    bytes = null;
    return new Complete(snapshot);
  }

  /** Forgets the snapshot under way, if any. */
  public void reset() {
    bytes = null;
  }
}
