package dev.cohort.node.replication;

/**
 * A replica taking in a copy of the active's state (a snapshot) that the active sends in chunks, one
 * at a time and in order (DESIGN step 7); each chunk is installed as it comes, so the replica never
 * holds a whole snapshot in memory. Chunks may be lost, repeated, or belong to a newer snapshot than
 * the one under way: the answer to every chunk is the index the replica wants next, so the active
 * resends, goes on or starts over, and the replica takes in one snapshot at a time. Single-threaded.
 */
public final class SnapshotAssembly {
  private boolean underWay;
  private long seq;
  private long epoch;
  private int next;

  /** What a chunk led to. */
  public sealed interface Step {}

  /** The chunk is not the one wanted: send the chunk at {@code index} next. */
  public record Want(int index) implements Step {}

  /**
   * Install the chunk: it {@code starts} a new snapshot (the install under way, if any, is dropped),
   * and it {@code completes} the snapshot; if not complete, the chunk at {@code next} is wanted next.
   */
  public record Take(boolean starts, boolean completes, int next) implements Step {}

  /**
   * Takes one chunk of the snapshot at {@code (snapshotSeq, snapshotEpoch)}.
   *
   * <p>Chunk 0 of a snapshot other than the one under way starts that one afresh; any other chunk of
   * it asks for chunk 0. Within the snapshot under way, only the next chunk counts; an earlier or later
   * one asks for the next again.
   *
   * @param index the chunk's index, from 0
   * @param last whether it is the snapshot's last chunk
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public Step offer(long snapshotSeq, long snapshotEpoch, int index, boolean last) {
    if (index < 0) {
      throw new IllegalArgumentException("chunk " + index + " of the snapshot at seq " + snapshotSeq
          + ": chunks are indexed from 0");
    }
    boolean starts = !(underWay && seq == snapshotSeq && epoch == snapshotEpoch);
    if (starts) {
      if (index != 0) {
        return new Want(0);
      }
      underWay = true;
      seq = snapshotSeq;
      epoch = snapshotEpoch;
      next = 0;
    }
    if (index != next) {
      return new Want(next);
    }
    next++;
    if (last) {
      underWay = false;
    }
    return new Take(starts, last, next);
  }

  /** Forgets the snapshot under way, if any. */
  public void reset() {
    underWay = false;
  }
}
