package dev.cohort.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cohort.api.NodeName;
import dev.cohort.api.Placement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decisions wired together the way the actors will use them: the sequencer batches, the
 * replicas match and acknowledge, the tracker collects, the commit position answers callers; a
 * silent replica holds commits until the coordinator drops it from the in-sync set (DESIGN step 5).
 */
class ReplicationRoundTest {
  private static final NodeName A = NodeName.of("a");
  private static final NodeName B = NodeName.of("b");
  private static final NodeName C = NodeName.of("c");
  private static final Placement PLACEMENT = Placement.of(List.of(A, B, C));
  private static final long SECOND = 1_000_000_000L;

  private final Sequencer<String> sequencer = new Sequencer<>(5, 0, 0, 0, 64, 1 << 20);
  private final InSyncTracker tracker = new InSyncTracker(10_000, 2 * SECOND);
  private final TestLog activeLog = TestLog.of();
  private final Map<NodeName, TestLog> replicaLogs = Map.of(B, TestLog.of(), C, TestLog.of());
  private Set<NodeName> inSync = Set.of(B, C);
  private long committed;

  @Test
  void writesAreAnsweredOnceEveryInSyncReplicaHasThem_andASilentOneHoldsThemUntilTheCoordinatorDropsIt() {
    tracker.watch(B, 0);
    tracker.watch(C, 0);

    sequencer.submit(new byte[] {1}, "w1");
    sequencer.submit(new byte[] {2}, "w2");
    AppendRequest first = send();
    deliver(B, first, 1);
    assertEquals(List.of(), commit(), "C has not acknowledged yet");
    deliver(C, first, 2);
    assertEquals(List.of(new Sequencer.Answer<>(1, "w1"), new Sequencer.Answer<>(2, "w2")), commit());

    // C falls silent: w3 reaches only B and waits.
    sequencer.submit(new byte[] {3}, "w3");
    AppendRequest second = send();
    deliver(B, second, SECOND + 1);
    assertEquals(List.of(), commit());
    assertEquals(List.of(), tracker.lagging(List.of(B, C), sequencer.lastSeq(), 2 * SECOND), "not yet");
    assertEquals(List.of(new InSyncTracker.Lagging(C, 1, 3 * SECOND - 2)),
        tracker.lagging(List.of(B, C), sequencer.lastSeq(), 3 * SECOND));

    // The coordinator writes a table without C in the in-sync set, with epoch 6.
    inSync = Set.of(B);
    sequencer.changeEpoch(6);
    assertEquals(List.of(new Sequencer.Answer<>(3, "w3")), commit());
  }

  private AppendRequest send() {
    Sequencer.Batch batch = sequencer.drain();
    batch.ids().forEach(id -> activeLog.append(id.epoch()));
    return new AppendRequest(batch.epoch(), batch.prevSeq(), batch.prevEpoch(), batch.ids(), committed);
  }

  private void deliver(NodeName replica, AppendRequest message, long nowNanos) {
    TestLog log = replicaLogs.get(replica);
    var decision = (AppendDecision.Append) ReplicaAppend.decide(message.epoch(), log, message);
    log.apply(decision, message);
    tracker.onAck(replica, decision.ackSeq(), nowNanos);
  }

  private List<Sequencer.Answer<String>> commit() {
    long position = CommitPosition.of(
        CommitPolicy.ALL_IN_SYNC, PLACEMENT, inSync, activeLog.lastSeq(), tracker.ackedSeqs(), 1);
    committed = Math.max(committed, position);
    return sequencer.commitTo(committed);
  }
}
