package dev.cohort.node.replication;

import java.util.List;
import java.util.OptionalLong;

/**
 * Log matching on a replica (DESIGN step 3, and step 6 for the tail after a failover), in the
 * manner of Raft's AppendEntries: a pure decision from the replica's promised epoch, its log and
 * one append message.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>A message of an epoch below the promised one is refused ({@link AppendDecision.StaleEpoch}).
 *       Otherwise the replica promises the message's epoch, if newer, whatever follows: once it has
 *       heard from a newer active it takes nothing more from the older one.
 *   <li>If {@code prevSeq} is beyond the replica's last seq, it asks for the entries from its last
 *       seq + 1 ({@link AppendDecision.Gap}). This covers lost and reordered messages.
 *   <li>If the replica's entry at {@code prevSeq} has another epoch, that entry and its tail are
 *       dropped and the active is told where ({@link AppendDecision.Conflict}).
 *   <li>Otherwise the entries are compared one by one: those the replica has with the same epoch are
 *       skipped (redelivery); at the first one with another epoch, the replica's tail from there is
 *       dropped; the rest is appended ({@link AppendDecision.Append}).
 * </ol>
 *
 * <p>Seqs up to the replica's {@link LogView#baseSeq()} are committed and taken as matching without
 * a look.
 */
public final class ReplicaAppend {
  private ReplicaAppend() {}

  /**
   * What the replica does with {@code message}.
   *
   * @param promisedEpoch the highest epoch the replica has accepted a message of (0 if none)
   * @param log the replica's log as it is now
   * @param message the append message
   */
  public static AppendDecision decide(long promisedEpoch, LogView log, AppendRequest message) {
    if (message.epoch() < promisedEpoch) {
      return new AppendDecision.StaleEpoch(promisedEpoch);
    }
    long epoch = message.epoch();
    long prevSeq = message.prevSeq();
    if (prevSeq > log.lastSeq()) {
      return new AppendDecision.Gap(epoch, log.lastSeq() + 1);
    }
    if (prevSeq > log.baseSeq()) {
      long ownEpoch = log.epochAt(prevSeq);
      if (ownEpoch != message.prevEpoch()) {
        long runStart = firstSeqOfRun(log, prevSeq, ownEpoch);
        return new AppendDecision.Conflict(epoch, prevSeq - 1, prevSeq, ownEpoch, runStart);
      }
    }
    return append(epoch, log, message);
  }

  private static AppendDecision append(long epoch, LogView log, AppendRequest message) {
    List<EntryId> entries = message.entries();
    OptionalLong truncateAfter = OptionalLong.empty();
    int fromIndex = 0;
    while (fromIndex < entries.size()) {
      EntryId entry = entries.get(fromIndex);
      if (entry.seq() > log.lastSeq()) {
        break;
      }
      if (entry.seq() > log.baseSeq() && log.epochAt(entry.seq()) != entry.epoch()) {
        truncateAfter = OptionalLong.of(entry.seq() - 1);
        break;
      }
      fromIndex++;
    }
    long ackSeq = message.lastSeq();
    return new AppendDecision.Append(epoch, truncateAfter, fromIndex, ackSeq, Math.min(message.committedSeq(), ackSeq));
  }

  /**
   * The first seq of the run of {@code runEpoch} entries that ends at {@code endSeq}. Epochs never
   * decrease along a log, so a binary search finds it.
   */
  private static long firstSeqOfRun(LogView log, long endSeq, long runEpoch) {
    long low = log.baseSeq() + 1;
    long high = endSeq;
    while (low < high) {
      long mid = low + (high - low) / 2;
      if (log.epochAt(mid) < runEpoch) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
