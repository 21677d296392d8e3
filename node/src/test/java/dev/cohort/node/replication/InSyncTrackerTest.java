package dev.cohort.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lag and catch-up decisions over a manual clock (nanos passed in). */
class InSyncTrackerTest {
  private static final NodeName B = NodeName.of("b");
  private static final NodeName C = NodeName.of("c");
  private static final long MAX_LAG = 100;
  private static final long MAX_SILENCE = 1_000;

  private final InSyncTracker tracker = new InSyncTracker(MAX_LAG, MAX_SILENCE);

  @Test
  void aReplicaThatAcknowledgesInTimeAndKeepsUpDoesNotLag() {
    tracker.watch(B, 0);
    tracker.onAck(B, 950, 900);

    assertEquals(List.of(), tracker.lagging(List.of(B), 1_000, 1_800));
  }

  @Test
  void silenceCountsFromTheStartOfWatching_thenFromTheLastAck() {
    tracker.watch(B, 0);
    assertEquals(List.of(), tracker.lagging(List.of(B), 0, MAX_SILENCE), "exactly at the limit");
    assertEquals(List.of(new InSyncTracker.Lagging(B, 0, MAX_SILENCE + 1)),
        tracker.lagging(List.of(B), 0, MAX_SILENCE + 1));

    tracker.onAck(B, 0, 5_000);
    assertEquals(List.of(), tracker.lagging(List.of(B), 0, 5_000 + MAX_SILENCE));
  }

  @Test
  void timeTheActiveItselfWasPausedIsExcused_notCountedAsTheReplicasSilence() {
    tracker.watch(B, 0);
    tracker.onAck(B, 0, 100);

    tracker.excuse(2_000); // the active did not run from 200 to 2200
    assertEquals(List.of(), tracker.lagging(List.of(B), 0, 2_200), "silent only 100 of the active's running time");
    assertEquals(List.of(new InSyncTracker.Lagging(B, 0, MAX_SILENCE + 1)),
        tracker.lagging(List.of(B), 0, 2_100 + MAX_SILENCE + 1), "silence counts again once the active runs");
    assertThrows(IllegalArgumentException.class, () -> tracker.excuse(-1));
  }

  @Test
  void aGapLowersWhatAReplicaCountsAsHolding_soItIsNeitherCaughtUpNorCountedForCommitsOnItsOldAcks() {
    tracker.watch(B, 0);
    tracker.onAck(B, 50, 10);

    tracker.onGap(B, 1, 20); // its node came back with an empty log

    assertEquals(0, tracker.ackedSeq(B));
    assertFalse(tracker.caughtUp(B, 50, 20));
    tracker.onAck(B, 50, 30);
    assertTrue(tracker.caughtUp(B, 50, 30));
  }

  @Test
  void aReplicaTooFarBehindLags_evenIfItAcknowledgesOften() {
    tracker.watch(B, 0);
    tracker.onAck(B, 400, 10);

    assertEquals(List.of(), tracker.lagging(List.of(B), 400 + MAX_LAG, 20), "exactly at the limit");
    assertEquals(List.of(new InSyncTracker.Lagging(B, MAX_LAG + 1, 10)),
        tracker.lagging(List.of(B), 400 + MAX_LAG + 1, 20));
  }

  @Test
  void aReplicaNotHeardFromYetLagsOnlyBySilence_asWhenANewActiveTakesOverALongLog() {
    tracker.watch(B, 0);

    assertEquals(List.of(), tracker.lagging(List.of(B), 10 * MAX_LAG, MAX_SILENCE), "its log's end is unknown");
    assertEquals(List.of(new InSyncTracker.Lagging(B, 10 * MAX_LAG, MAX_SILENCE + 1)),
        tracker.lagging(List.of(B), 10 * MAX_LAG, MAX_SILENCE + 1), "silent too long");
    tracker.onAck(B, 1, 10);
    assertEquals(List.of(new InSyncTracker.Lagging(B, 10 * MAX_LAG - 1, 10)),
        tracker.lagging(List.of(B), 10 * MAX_LAG, 20), "once it answered, what it holds counts");
  }

  @Test
  void onlyInSyncMembersAreReported_inTheGivenOrder_andAnUnwatchedOneLagsForever() {
    tracker.watch(C, 0);

    assertEquals(
        List.of(new InSyncTracker.Lagging(C, 7, 2_000), new InSyncTracker.Lagging(B, 7, Long.MAX_VALUE)),
        tracker.lagging(List.of(C, B), 7, 2_000));
    assertEquals(List.of(), tracker.lagging(List.of(), 7, 2_000));
  }

  @Test
  void aLateLowerAckShowsLifeButDoesNotMoveTheSeqBack() {
    tracker.watch(B, 0);
    tracker.onAck(B, 50, 10);
    tracker.onAck(B, 20, 900);

    assertEquals(50, tracker.ackedSeq(B));
    assertEquals(Map.of(B, 50L), tracker.ackedSeqs());
    assertEquals(List.of(), tracker.lagging(List.of(B), 50, 1_800));
  }

  @Test
  void aCatchingUpReplicaIsCaughtUpOnceItHasAcknowledgedTheCommitPosition() {
    tracker.watch(B, 0);
    tracker.onAck(B, 41, 10);
    assertFalse(tracker.caughtUp(B, 42, 20));

    tracker.onAck(B, 42, 20);
    assertTrue(tracker.caughtUp(B, 42, 20 + MAX_SILENCE / 4));
    assertFalse(tracker.caughtUp(C, 0, 20), "never watched");
  }

  @Test
  void aReplicaThatFellSilentIsNotCaughtUp_evenIfItOnceAcknowledgedTheCommitPosition() {
    tracker.watch(B, 0);
    tracker.onAck(B, 42, 100);

    assertFalse(tracker.caughtUp(B, 42, 100 + MAX_SILENCE / 4 + 1), "an idle partition's old ack is not enough");
    tracker.onAck(B, 42, 2_000);
    assertTrue(tracker.caughtUp(B, 42, 2_000), "it answers again");
  }

  @Test
  void aForgottenReplicaHasNoProgress() {
    tracker.watch(B, 0);
    tracker.onAck(B, 9, 1);
    tracker.forget(B);

    assertEquals(0, tracker.ackedSeq(B));
    assertEquals(Map.of(), tracker.ackedSeqs());
  }

  @Test
  void thresholdsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new InSyncTracker(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new InSyncTracker(1, 0));
    assertThrows(IllegalArgumentException.class, () -> tracker.onAck(B, -1, 0));
  }
}
