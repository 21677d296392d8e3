package dev.cohort.node.replication;

import java.util.List;

/**
 * What an append message from the active tells a replica, reduced to what log matching needs (the
 * payloads travel beside it). With no entries it is a heartbeat that still carries the commit
 * position.
 *
 * @param epoch the sender's epoch as active
 * @param prevSeq the seq just before the first entry (or the sender's last seq in a heartbeat); 0
 *     for the start of the log
 * @param prevEpoch the epoch of the sender's entry at {@code prevSeq}; 0 when {@code prevSeq} is 0
 * @param entries the entries in seq order, contiguous from {@code prevSeq + 1}
 * @param committedSeq the sender's commit position
 */
public record AppendRequest(long epoch, long prevSeq, long prevEpoch, List<EntryId> entries, long committedSeq) {
  /** @throws IllegalArgumentException if the message could not come from a correct active */
  public AppendRequest {
    entries = List.copyOf(entries);
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
    }
    if (prevSeq < 0 || committedSeq < 0) {
      throw new IllegalArgumentException(
          "seqs must be >= 0, got prevSeq " + prevSeq + ", committedSeq " + committedSeq);
    }
    if ((prevSeq == 0) != (prevEpoch == 0) || prevEpoch < 0 || prevEpoch > epoch) {
      throw new IllegalArgumentException(
          "prevEpoch " + prevEpoch + " does not fit prevSeq " + prevSeq + " in epoch " + epoch);
    }
    long expectedSeq = prevSeq + 1;
    long lastEpoch = prevEpoch;
    for (EntryId entry : entries) {
      if (entry.seq() != expectedSeq) {
        throw new IllegalArgumentException("entries must be contiguous from " + (prevSeq + 1) + ": " + entries);
      }
      if (entry.epoch() < lastEpoch || entry.epoch() > epoch) {
        throw new IllegalArgumentException(
            "entry epochs must not decrease and not exceed the message epoch " + epoch + ": " + entries);
      }
      expectedSeq++;
      lastEpoch = entry.epoch();
    }
  }

  /** A message without entries. */
  public static AppendRequest heartbeat(long epoch, long prevSeq, long prevEpoch, long committedSeq) {
    return new AppendRequest(epoch, prevSeq, prevEpoch, List.of(), committedSeq);
  }

  /** The last seq the message covers: its last entry's, or {@code prevSeq} without entries. */
  public long lastSeq() {
    return prevSeq + entries.size();
  }
}
