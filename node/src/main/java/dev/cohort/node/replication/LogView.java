package dev.cohort.node.replication;

/**
 * The part of a node's partition log that log matching reads: where the retained entries start
 * and end, and the epoch of each. The storage seam can offer this directly; an actor may keep it in
 * memory as a list of epoch runs, since epochs change rarely.
 *
 * <p>Entries up to {@link #baseSeq()} are not retained (a snapshot covers them); they were
 * committed, so they are the same in every log that has them.
 */
public interface LogView {
  /** The seq just before the first retained entry; 0 if the log starts at 1. */
  long baseSeq();

  /** The last seq in the log; {@link #baseSeq()} if no entry is retained. */
  long lastSeq();

  /**
   * The epoch of the entry at {@code seq}, for {@code baseSeq() <= seq <= lastSeq()}; at {@code
   * baseSeq()} it is the epoch of the entry just before the first retained one (0 when the base is 0).
   */
  long epochAt(long seq);
}
