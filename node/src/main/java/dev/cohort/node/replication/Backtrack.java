package dev.cohort.node.replication;

/**
 * The active's side of a {@link AppendDecision.Conflict}: from which {@code prevSeq} to send to the
 * replica next, skipping the replica's whole disagreeing run of entries in one step (Raft's fast
 * log backtracking, in Cohort's terms).
 */
public final class Backtrack {
  private Backtrack() {}

  /**
   * The {@code prevSeq} of the next append message to the replica that reported the conflict.
   *
   * <p>If the active holds entries of the replica's conflicting epoch, the replica's entry at the
   * active's last one of them matches (one writer per epoch), so the next message starts there.
   * Otherwise every entry of that epoch on the replica is foreign to the active, and the next message
   * starts before the replica's run of them. Each step moves strictly below {@code conflictSeq}, so
   * repeated conflicts end.
   *
   * @param conflict what the replica reported
   * @param activeLog the active's log
   * @return the next {@code prevSeq}; when it is below {@code activeLog.baseSeq()}, the entries the
   *     replica needs are gone from the active's log and it must be sent a snapshot (DESIGN step 7)
   */
  public static long nextPrevSeq(AppendDecision.Conflict conflict, LogView activeLog) {
    long conflictEpoch = conflict.conflictEpoch();
    long upTo = Math.min(conflict.conflictSeq() - 1, activeLog.lastSeq());
    long lastAtOrBelow = lastSeqWithEpochAtMost(activeLog, upTo, conflictEpoch);
    if (lastAtOrBelow >= activeLog.baseSeq() && activeLog.epochAt(lastAtOrBelow) == conflictEpoch) {
      return lastAtOrBelow;
    }
    return conflict.conflictEpochFirstSeq() - 1;
  }

  /**
   * The highest seq in {@code [baseSeq, upTo]} whose epoch is at most {@code epoch}, or {@code
   * baseSeq - 1} if there is none. Epochs never decrease along a log, so a binary search finds it.
   */
  private static long lastSeqWithEpochAtMost(LogView log, long upTo, long epoch) {
    long low = log.baseSeq();
    long high = upTo;
    if (high < low || log.epochAt(low) > epoch) {
      return log.baseSeq() - 1;
    }
    while (low < high) {
      long mid = low + (high - low + 1) / 2;
      if (log.epochAt(mid) <= epoch) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }
}
