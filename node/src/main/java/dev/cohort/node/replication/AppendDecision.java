package dev.cohort.node.replication;

import java.util.OptionalLong;

/**
 * What a replica does with an append message: see {@link ReplicaAppend#decide}. Every outcome but
 * {@link StaleEpoch} carries the epoch the replica has promised from now on, which it persists
 * before it answers.
 */
public sealed interface AppendDecision {

  /**
   * The message comes from an active of an older epoch (for example, the old active after a
   * failover): nothing changes, and the sender is told the newer epoch so that it steps down.
   *
   * @param promisedEpoch the replica's epoch, newer than the message's
   */
  record StaleEpoch(long promisedEpoch) implements AppendDecision {}

  /**
   * The message starts beyond the replica's log: nothing is appended; the replica asks the active
   * for the entries from {@code nextExpectedSeq} on.
   *
   * @param promisedEpoch the replica's epoch from now on
   * @param nextExpectedSeq the replica's last seq + 1
   */
  record Gap(long promisedEpoch, long nextExpectedSeq) implements AppendDecision {}

  /**
   * The replica's entry at the message's {@code prevSeq} has another epoch than the active's: that
   * entry and everything after it are a tail the active lacks. The replica drops them and tells the
   * active where it disagreed, so that the active can pick the next {@code prevSeq} with {@link
   * Backtrack#nextPrevSeq} instead of stepping back one entry per round trip.
   *
   * @param promisedEpoch the replica's epoch from now on
   * @param truncateAfter keep entries up to this seq, drop the rest (the message's prevSeq - 1)
   * @param conflictSeq the message's prevSeq, where the epochs disagreed
   * @param conflictEpoch the epoch of the replica's entry at {@code conflictSeq}
   * @param conflictEpochFirstSeq the first seq of the replica's run of {@code conflictEpoch} entries
   *     that ends at {@code conflictSeq} (not below the replica's first retained entry)
   */
  record Conflict(
      long promisedEpoch, long truncateAfter, long conflictSeq, long conflictEpoch, long conflictEpochFirstSeq)
      implements AppendDecision {}

  /**
   * The message fits the replica's log. The replica drops its tail after {@code truncateAfter} if
   * present (an incoming entry disagreed with its entry at that seq + 1), appends the message's
   * entries from index {@code fromIndex} on (entries before it it already has), and once they are
   * durable acknowledges {@code ackSeq}. It may apply committed entries up to {@code commitSeq}.
   *
   * @param promisedEpoch the replica's epoch from now on
   * @param truncateAfter if present, keep entries up to this seq and drop the rest before appending
   * @param fromIndex the index in the message's entries of the first one to append; equal to the
   *     number of entries when there is nothing to append
   * @param ackSeq the seq to acknowledge: the message's last seq, which now matches the active's log
   *     (entries the replica holds past it are not yet known to match, so they are not acknowledged)
   * @param commitSeq {@code min(committedSeq, ackSeq)}; the replica keeps the maximum of this and
   *     what it had
   */
  record Append(long promisedEpoch, OptionalLong truncateAfter, int fromIndex, long ackSeq, long commitSeq)
      implements AppendDecision {}
}
