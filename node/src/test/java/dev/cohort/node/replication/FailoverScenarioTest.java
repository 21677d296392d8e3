package dev.cohort.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Scripted exchanges between an active and a replica, read top to bottom. */
class FailoverScenarioTest {

  /**
   * The old active wrote seqs 1–10 in epoch 3; 1–7 reached both replicas and committed, 8–10
   * reached only replica R1. The coordinator promotes R2 (which has 1–7) with epoch 4.
   */
  @Test
  void theReplicaHoldingTheOldActivesTailDropsItWhenTheNewActiveWritesOverIt() {
    TestLog r1 = TestLog.of(3, 3, 3, 3, 3, 3, 3, 3, 3, 3);
    long r1Promised = 3;
    TestLog newActive = TestLog.of(3, 3, 3, 3, 3, 3, 3);

    // The new active's first message: a heartbeat after its last entry.
    AppendRequest hello = AppendRequest.heartbeat(4, 7, 3, 7);
    var first = (AppendDecision.Append) ReplicaAppend.decide(r1Promised, r1, hello);
    assertEquals(new AppendDecision.Append(4, OptionalLong.empty(), 0, 7, 7), first);
    r1Promised = first.promisedEpoch();

    // The old active, cut off but still sending, is refused from now on.
    AppendRequest fromOldActive = ReplicaAppendTest.msg(3, 10, 3, 7);
    assertEquals(new AppendDecision.StaleEpoch(4), ReplicaAppend.decide(r1Promised, r1, fromOldActive));

    // The new active continues from 7: its entries 8 and 9 replace the old tail.
    newActive.append(4);
    newActive.append(4);
    AppendRequest batch = newActive.message(4, 7, 10, 7);
    var second = (AppendDecision.Append) ReplicaAppend.decide(r1Promised, r1, batch);
    assertEquals(new AppendDecision.Append(4, OptionalLong.of(7), 0, 9, 7), second);
    r1.apply(second, batch);

    assertEquals(newActive.toString(), r1.toString());
  }

  @Test
  void whenTheNewActivesFirstBatchStartsPastTheOldTail_theConflictIsResolvedInOneMoreRoundTrip() {
    TestLog r1 = TestLog.of(3, 3, 3, 3, 3, 3, 3, 3, 3, 3);
    TestLog newActive = TestLog.of(3, 3, 3, 3, 3, 3, 3, 4, 4);

    AppendRequest guess = AppendRequest.heartbeat(4, 9, 4, 7);
    var conflict = (AppendDecision.Conflict) ReplicaAppend.decide(3, r1, guess);
    assertEquals(new AppendDecision.Conflict(4, 8, 9, 3, 1), conflict);
    r1.truncateAfter(conflict.truncateAfter());

    // The active has epoch-3 entries up to 7, so the replica's entry 7 matches: restart there.
    long prevSeq = Backtrack.nextPrevSeq(conflict, newActive);
    assertEquals(7, prevSeq);

    AppendRequest retry = newActive.message(4, prevSeq, 10, 7);
    var append = (AppendDecision.Append) ReplicaAppend.decide(conflict.promisedEpoch(), r1, retry);
    assertEquals(new AppendDecision.Append(4, OptionalLong.of(7), 0, 9, 7), append);
    r1.apply(append, retry);
    assertEquals(newActive.toString(), r1.toString());
  }

  @Test
  void lostAndReorderedBatchesEndInTheSameLog_andALateDuplicateChangesNothing() {
    TestLog active = TestLog.of(1, 1, 1, 1, 1, 1, 1, 1, 1);
    AppendRequest b1 = active.message(1, 0, 3, 0);
    AppendRequest b2 = active.message(1, 3, 3, 3);
    AppendRequest b3 = active.message(1, 6, 3, 6);
    TestLog replica = TestLog.of();

    assertEquals(new AppendDecision.Gap(1, 1), ReplicaAppend.decide(1, replica, b2), "b2 overtook b1");
    var a1 = (AppendDecision.Append) ReplicaAppend.decide(1, replica, b1);
    replica.apply(a1, b1);
    assertEquals(3, a1.ackSeq());
    assertEquals(new AppendDecision.Gap(1, 4), ReplicaAppend.decide(1, replica, b3), "b2 is still missing");

    AppendRequest resend = active.message(1, 3, 10, 6);
    var a2 = (AppendDecision.Append) ReplicaAppend.decide(1, replica, resend);
    replica.apply(a2, resend);
    assertEquals(new AppendDecision.Append(1, OptionalLong.empty(), 0, 9, 6), a2);

    var late = (AppendDecision.Append) ReplicaAppend.decide(1, replica, b2);
    assertEquals(new AppendDecision.Append(1, OptionalLong.empty(), 3, 6, 3), late);
    replica.apply(late, b2);
    assertEquals(active.toString(), replica.toString());
  }

  @Test
  void aReplicaThatAcceptedEntriesOfAnEpochThatNeverWonDropsThemWhenTheWinnerWritesOverThem() {
    // Epochs 5 and 6 were both started; epoch 5's active wrote 4–6 to this replica only, then
    // epoch 6's active (which never saw them) writes 4 onwards.
    TestLog replica = TestLog.of(2, 2, 2, 5, 5, 5);
    TestLog active = TestLog.of(2, 2, 2, 6, 6);

    AppendRequest message = active.message(6, 3, 10, 3);
    var decision = (AppendDecision.Append) ReplicaAppend.decide(5, replica, message);
    assertEquals(new AppendDecision.Append(6, OptionalLong.of(3), 0, 5, 3), decision);
    replica.apply(decision, message);
    assertEquals(active.toString(), replica.toString());
  }

  @Test
  void backtrackingSkipsTheReplicasWholeForeignRun_orPointsBelowTheActivesBaseWhenItNeedsASnapshot() {
    // Seqs 10–13 of epoch 3 never won; epoch 4's active wrote 10–14.
    TestLog replica = TestLog.of(2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3);
    AppendRequest probe = AppendRequest.heartbeat(4, 13, 4, 13);
    var conflict = (AppendDecision.Conflict) ReplicaAppend.decide(3, replica, probe);
    assertEquals(new AppendDecision.Conflict(4, 12, 13, 3, 10), conflict);

    TestLog active = TestLog.compacted(9, 2, 4, 4, 4, 4, 4);
    assertEquals(9, Backtrack.nextPrevSeq(conflict, active), "before the run: the active has no epoch 3");

    TestLog compactedFurther = TestLog.compacted(11, 4, 4, 4, 4);
    long next = Backtrack.nextPrevSeq(conflict, compactedFurther);
    assertTrue(next < compactedFurther.baseSeq(), "entries the replica needs are compacted away: " + next);
  }
}
