package dev.cohort.node.internal.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.node.ReplicationSettings;
import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.AppendResult;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunk;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunkWanted;
import dev.cohort.node.internal.partition.PartitionProtocol.ToPartition;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.Read;
import dev.cohort.node.internal.partition.PartitionProtocol.ReadCall;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.ReplyTo;
import dev.cohort.node.internal.partition.PartitionProtocol.Write;
import dev.cohort.node.internal.partition.PartitionProtocol.WriteCall;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.KvCommandCodec;
import dev.cohort.node.kv.KvSettings;
import dev.cohort.node.kv.RequestId;
import dev.cohort.node.replication.CommitPolicy;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.persistence.InMemoryLogStorage;
import dev.cohort.persistence.InMemoryStateStorage;
import dev.cohort.persistence.RocksDbStateStorage;
import dev.cohort.persistence.StateStorage;
import dev.cohort.persistence.StateStore;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The active's and the replicas' roles wired together by hand, messages delivered one by one, so
 * that each step of the protocol can be watched: commit, a replica that stops answering, failover
 * with a divergent tail, catch-up of a new replica from the log or from a snapshot, compaction, and
 * linearizable reads.
 */
class ReplicationRolesTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final PartitionId P = new PartitionId("accounts", 0);
  /**
   * Settings under which no copy compacts its log: catch-up goes through the log. Up to 100 batches
   * go to replicas before one commits, so that a test's appends are not gathered unless it says so.
   */
  private static final ReplicationSettings SETTINGS = new ReplicationSettings(CommitPolicy.ALL_IN_SYNC, 100, 1 << 20, 100,
      Duration.ofMillis(100), 1000, Duration.ofSeconds(2), 100, 64, 1_000_000, 0, 1 << 20,
      Duration.ofSeconds(1));
  /** Settings under which copies compact every 100 entries, keep 10 below, and send snapshots in small chunks. */
  private static final ReplicationSettings COMPACTING = new ReplicationSettings(CommitPolicy.ALL_IN_SYNC, 100, 1 << 20, 100,
      Duration.ofMillis(100), 1000, Duration.ofSeconds(2), 100, 64, 100, 10, 512,
      Duration.ofSeconds(1));
  /** {@link #SETTINGS} with one batch in flight at most, as a node has by default. */
  private static final ReplicationSettings ONE_IN_FLIGHT = new ReplicationSettings(CommitPolicy.ALL_IN_SYNC, 100,
      1 << 20, 1, Duration.ofMillis(100), 1000, Duration.ofSeconds(2), 100, 64, 1_000_000, 0, 1 << 20,
      Duration.ofSeconds(1));
  private static final KvSettings KV = new KvSettings(Set.of("kv"), 1024, 100, 100);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** Three nodes' copies of P and the messages between them. */
  private static final class Wire implements Outbox {
    final Map<String, PartitionState> states = new HashMap<>();
    final Map<String, ReplicaRole> replicas = new HashMap<>();
    final Set<String> silent = new HashSet<>();
    final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    final List<String> caughtUp = new ArrayList<>();
    final List<Set<String>> lagging = new ArrayList<>();
    final Map<String, InMemoryLogStorage> logs = new HashMap<>();
    final Map<String, StateStorage> stateStorages = new HashMap<>();
    final ReplicationSettings settings;
    /** Messages to replicas that are lost on the way. */
    Predicate<ToPartition> lose = message -> false;
    /** Log entries delivered to each replica, in appends. */
    final Map<String, Long> entriesSent = new HashMap<>();
    /** The entries of each append to a replica that carried some, in the order sent. */
    final Map<String, List<Integer>> batchesSent = new HashMap<>();
    /** Replicas whose messages wait in {@link #held} until {@link #release()}. */
    final Set<String> holding = new HashSet<>();
    final List<Runnable> held = new ArrayList<>();
    ActiveRole active;
    long now;

    Wire(String... nodes) {
      this(SETTINGS, nodes);
    }

    Wire(ReplicationSettings settings, String... nodes) {
      this.settings = settings;
      for (String node : nodes) {
        logs.put(node, InMemoryLogStorage.create());
        stateStorages.put(node, new InMemoryStateStorage());
        open(node);
      }
    }

    /** Opens {@code node}'s copy on its storage, as a host does when it starts the copy. */
    PartitionState open(String node) {
      var state = new PartitionState(logs.get(node).open(P), stateStorages.get(node), KV, settings);
      state.commitTo(state.committedSeq());
      states.put(node, state);
      replicas.put(node, new ReplicaRole(node, state, LoggerFactory.getLogger(ReplicationRolesTest.class)));
      return state;
    }

    void activate(String node, PartitionEntry entry) {
      active = new ActiveRole(node, entry, states.get(node), settings, this, () -> now);
      run();
    }

    /** Rounds every heartbeat for {@code heartbeats} heartbeats, each carried out to the end. */
    void rounds(int heartbeats) {
      for (int i = 0; i < heartbeats; i++) {
        now += settings.heartbeatInterval().toNanos();
        active.round();
        run();
      }
    }

    /** Delivers the held messages, in the order sent, and carries everything out. */
    void release() {
      holding.clear();
      held.forEach(Runnable::run);
      held.clear();
      run();
    }

    void run() {
      while (!queue.isEmpty()) {
        queue.poll().run();
      }
    }

    @Override
    public void toReplica(String replica, ToPartition message) {
      if (!silent.contains(replica) && !lose.test(message)) {
        if (message instanceof Append append) {
          entriesSent.merge(replica, (long) append.entries().size(), Long::sum);
          if (!append.entries().isEmpty()) {
            batchesSent.computeIfAbsent(replica, r -> new ArrayList<>()).add(append.entries().size());
          }
        }
        if (holding.contains(replica)) {
          held.add(() -> deliver(replica, message));
        } else {
          deliver(replica, message);
        }
      }
    }

    /** Queues {@code message} for {@code replica}, and its answer for the active of now. */
    void deliver(String replica, ToPartition message) {
      ActiveRole sender = active;
      queue.add(() -> {
        ToPartition answer = message instanceof Append append
            ? replicas.get(replica).onAppend(append)
            : replicas.get(replica).onSnapshotChunk((SnapshotChunk) message);
        queue.add(() -> {
          if (answer instanceof Appended appended) {
            sender.onAppended(appended);
          } else {
            sender.onSnapshotChunkWanted((SnapshotChunkWanted) answer);
          }
        });
      });
    }

    @Override
    public void answer(org.apache.pekko.actor.typed.ActorRef<Answers> caller, Answers answers) {
      // One message per answer, so that a test reads them one by one however the active grouped them.
      answers.answers().forEach(answer -> caller.tell(new Answers(List.of(answer))));
    }

    @Override
    public void caughtUp(long epoch, String replica) {
      caughtUp.add(replica);
    }

    @Override
    public void lagging(long epoch, Set<String> replicas, String why) {
      lagging.add(replicas);
    }

    @Override
    public void scheduleFlush() {
      queue.add(() -> active.flush()); // the active of the moment it runs, as a self-message would reach
    }

    @Override
    public void scheduleRound() {
      queue.add(() -> active.round());
    }
  }

  private static PartitionEntry entry(long epoch, List<String> placement, Set<String> inSync) {
    var nodes = placement.stream().map(NodeName::of).toList();
    var sync = new TreeSet<NodeName>();
    inSync.forEach(n -> sync.add(NodeName.of(n)));
    return new PartitionEntry(P, Optional.of(Placement.of(nodes)), sync, new Epoch(epoch));
  }

  private static long sequence;

  private static WriteCall put(String key, String value, TestProbe<Answers> probe) {
    var command = new KvCommand.Put(new RequestId(1, ++sequence), "kv", key, value.getBytes(StandardCharsets.UTF_8));
    return new WriteCall(new Write(P, 1, sequence, command.requestId(), KvCommandCodec.encode(command)),
        new ReplyTo(probe.getRef(), sequence));
  }

  /** The next answer {@code probe} receives. */
  private static Reply replyOf(TestProbe<Answers> probe) {
    return probe.receiveMessage().answers().get(0).reply();
  }

  private static String valueOn(Wire wire, String node, String key) {
    Reply read = wire.states.get(node).read("kv", key);
    return read.outcome() == Outcome.FOUND ? new String(read.value(), StandardCharsets.UTF_8) : null;
  }

  @Test
  void givenThreeInSyncCopies_aWriteIsAnsweredOnlyOnceEveryCopyHasIt_andEveryCopyAppliesIt() {
    var wire = new Wire("a", "b", "c");
    wire.activate("a", entry(1, List.of("a", "b", "c"), Set.of("a", "b", "c")));
    TestProbe<Answers> caller = KIT.createTestProbe();

    wire.active.onWrite(put("x", "1", caller));
    wire.run();

    Reply reply = replyOf(caller);
    assertEquals(Outcome.WRITTEN, reply.outcome());
    assertEquals(2, reply.version(), "seq 1 is the active's opening entry, the write is seq 2");
    wire.active.round(); // carries the commit position to the replicas
    wire.run();
    for (String node : List.of("a", "b", "c")) {
      assertEquals("1", valueOn(wire, node, "x"), "applied on " + node);
    }
  }

  @Test
  void givenABatchAwaitingCommit_laterWritesWait_andGoOutTogetherInOneBatchOnceItCommits() {
    var wire = new Wire(ONE_IN_FLIGHT, "a", "b");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
    TestProbe<Answers> caller = KIT.createTestProbe();
    wire.holding.add("b"); // b's answers are slow: what a sends it stays in flight

    for (int i = 1; i <= 10; i++) {
      wire.active.onWrite(put("k" + i, "v", caller));
      wire.run();
    }
    assertEquals(List.of(1, 1), wire.batchesSent.get("b"), "the opening entry, then k1; k2 to k10 wait");
    assertEquals(2, wire.states.get("a").lastSeq(), "the waiting writes are not in the active's log yet either");
    caller.expectNoMessage(Duration.ofMillis(50));

    wire.release();
    for (int i = 0; i < 10; i++) {
      assertEquals(Outcome.WRITTEN, replyOf(caller).outcome());
    }
    assertEquals(List.of(1, 1, 9), wire.batchesSent.get("b"), "the nine waiting writes went out as one batch");
    wire.rounds(1);
    assertEquals("v", valueOn(wire, "b", "k10"));
  }

  @Test
  void givenASilentInSyncReplica_writesWaitForIt_untilTheCoordinatorDropsItFromTheInSyncSet() {
    var wire = new Wire("a", "b", "c");
    wire.activate("a", entry(1, List.of("a", "b", "c"), Set.of("a", "b", "c")));
    wire.silent.add("c");
    TestProbe<Answers> caller = KIT.createTestProbe();

    wire.active.onWrite(put("x", "1", caller));
    wire.run();
    caller.expectNoMessage(Duration.ofMillis(100));

    for (int i = 0; i < 30; i++) { // a round every heartbeat for 3 s: b keeps answering, c never does
      wire.now += SETTINGS.heartbeatInterval().toNanos();
      wire.active.round();
      wire.run();
    }
    assertEquals(List.of(Set.of("c")), wire.lagging, "the active asks the coordinator to drop c");

    wire.active.reassign(entry(2, List.of("a", "b", "c"), Set.of("a", "b")));
    wire.run();
    assertEquals(Outcome.WRITTEN, replyOf(caller).outcome(), "commits without c once the table says so");
  }

  @Test
  void givenAFailover_theNewActiveKeepsEveryAcknowledgedWrite_andAReplicaDropsTheOldActivesUnacknowledgedTail() {
    var wire = new Wire("a", "b", "c");
    wire.activate("a", entry(1, List.of("a", "b", "c"), Set.of("a", "b", "c")));
    TestProbe<Answers> caller = KIT.createTestProbe();
    wire.active.onWrite(put("x", "acked", caller));
    wire.run();
    assertEquals(Outcome.WRITTEN, replyOf(caller).outcome());

    // a's next write reaches c only, then a dies: it was never acknowledged.
    wire.silent.add("b");
    wire.active.onWrite(put("x", "lost", caller));
    wire.run();
    caller.expectNoMessage(Duration.ofMillis(50));
    assertEquals(3, wire.states.get("c").lastSeq());
    wire.silent.clear();
    wire.silent.add("a");

    // The coordinator promotes b, the first in-sync replica, in epoch 2.
    wire.activate("b", entry(2, List.of("b", "c"), Set.of("b", "c")));
    TestProbe<Answers> next = KIT.createTestProbe();
    wire.active.onWrite(put("y", "after", next));
    wire.run();
    assertEquals(Outcome.WRITTEN, replyOf(next).outcome());
    wire.active.round();
    wire.run();

    for (String node : List.of("b", "c")) {
      assertEquals("acked", valueOn(wire, node, "x"), node + " keeps the acknowledged write, not the lost tail");
      assertEquals("after", valueOn(wire, node, "y"), node);
      assertEquals(2L, wire.states.get(node).log().epochAt(wire.states.get(node).lastSeq()).orElseThrow());
    }
  }

  @Test
  void givenANewReplica_itCatchesUpFromTheLog_andIsReportedCaughtUp() {
    var wire = new Wire("a", "b", "d");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
    TestProbe<Answers> caller = KIT.createTestProbe();
    for (int i = 0; i < 250; i++) {
      wire.active.onWrite(put("k" + i, "v" + i, caller));
    }
    wire.run();
    caller.receiveSeveralMessages(250);

    addReplicaD(wire);
    wire.active.round();
    wire.run();

    assertEquals(List.of("d"), wire.caughtUp);
    assertEquals(wire.states.get("a").lastSeq(), wire.states.get("d").lastSeq());
    assertEquals("v249", valueOn(wire, "d", "k249"));
  }

  @Test
  void givenAReplicaBackWithItsLog_itIsSentOnlyTheEntriesItMissed_evenIfItWasSilentAtFirst() {
    Wire wire = cRestartedAfterMissingThirtyEntries();
    // It is placed back, out of sync, before its copy runs: the first appends to it go unanswered.
    wire.silent.add("c");
    wire.active.reassign(entry(3, List.of("a", "b", "c"), Set.of("a", "b")));
    wire.rounds(1);
    wire.now += 10 * SETTINGS.heartbeatInterval().toNanos(); // long enough to count as stalled
    wire.rounds(1);
    wire.silent.remove("c");
    wire.rounds(3);

    assertEquals(List.of("c"), wire.caughtUp);
    assertSameState(wire, "a", "c");
    assertEquals(30L, wire.entriesSent.get("c"), "c is sent the 30 entries it missed, not the whole log");
  }

  @Test
  void givenAReturningReplicaThatReportsOneGapForManyAppends_itIsSentTheEntriesItMissedOnce() {
    Wire wire = cRestartedAfterMissingThirtyEntries();
    wire.active.reassign(entry(3, List.of("a", "b", "c"), Set.of("a", "b")));
    // Writes go on as it comes back: each reaches c ahead of its log, and c reports the same gap for each.
    TestProbe<Answers> caller = KIT.createTestProbe();
    for (int i = 0; i < 20; i++) {
      wire.active.onWrite(put("late" + i, "v" + i, caller));
      wire.active.flush();
    }
    wire.run();
    wire.rounds(3);

    assertEquals(List.of("c"), wire.caughtUp);
    assertSameState(wire, "a", "c");
    assertEquals(20 + 30 + 20, wire.entriesSent.get("c"),
        "the 20 new entries as they were written, then once the 50 it lacked: not once per gap it reported");
  }

  @Test
  void givenAReplicaThatCameBackEmpty_whenTheRefillAfterItsGapIsLost_aLaterRoundRefillsIt_andItCatchesUp() {
    var wire = new Wire("a", "b", "c");
    wire.activate("a", entry(1, List.of("a", "b", "c"), Set.of("a", "b", "c")));
    writeMany(wire, 20, 10);
    // c's node restarts with nothing (a node in memory): to the active the same replica, which had
    // acknowledged everything, now with an empty log; the table drops it from the in-sync set.
    wire.logs.put("c", InMemoryLogStorage.create());
    wire.stateStorages.put("c", new InMemoryStateStorage());
    wire.open("c");
    wire.active.reassign(entry(2, List.of("a", "b", "c"), Set.of("a", "b")));
    var lost = new AtomicBoolean();
    wire.lose = message -> message instanceof Append append && append.prevSeq() == 0 && !append.entries().isEmpty()
        && lost.compareAndSet(false, true);

    wire.rounds(5);

    assertTrue(lost.get(), "the first refill was lost");
    assertEquals(List.of("c"), wire.caughtUp);
    assertSameState(wire, "a", "c");
  }

  @Test
  void givenAReplicaReportedCaughtUp_writesWaitForItToo_soThatItHoldsEveryCommittedEntryWhenTheTablePutsItInSync() {
    Wire wire = dReportedCaughtUp();

    // The table that puts d in sync is on its way; meanwhile d's answers are slow to come.
    wire.silent.add("d");
    TestProbe<Answers> caller = KIT.createTestProbe();
    wire.active.onWrite(put("x", "1", caller));
    wire.run();
    caller.expectNoMessage(Duration.ofMillis(100));

    wire.silent.remove("d");
    wire.rounds(5); // the append to d was lost: sent again
    assertEquals(Outcome.WRITTEN, replyOf(caller).outcome());
    wire.active.reassign(entry(2, List.of("a", "b", "d"), Set.of("a", "b", "d")));
    assertEquals(wire.states.get("a").committedSeq(), wire.states.get("d").lastSeq(),
        "d holds every committed entry when it is in sync");
    assertEquals(List.of(), wire.lagging, "and the active takes the table as it is");
  }

  @Test
  void givenAReplicaReportedCaughtUpThatFallsSilent_writesStopWaitingForIt_andATableThatPutsItInSyncLateIsRefused() {
    Wire wire = dReportedCaughtUp();
    wire.silent.add("d");
    TestProbe<Answers> caller = KIT.createTestProbe();

    wire.active.onWrite(put("x", "1", caller));
    wire.run();
    wire.rounds(30); // 3 s: longer than lag-max-silence

    assertEquals(Outcome.WRITTEN, replyOf(caller).outcome(), "committed without d once it is silent too long");
    assertEquals(List.of(), wire.lagging, "d was never in sync: nothing to ask the coordinator");

    // The table acting on d's earlier report arrives now: d lacks an entry committed without it.
    wire.active.reassign(entry(2, List.of("a", "b", "d"), Set.of("a", "b", "d")));
    assertEquals(List.of(Set.of("d")), wire.lagging, "the active asks the coordinator at once to drop d again");
  }

  /**
   * a active with b and c in sync after 200 writes; then c's node restarts on its storage: the
   * coordinator drops c, 30 writes go on without it, and c's copy is open again on its log.
   */
  private static Wire cRestartedAfterMissingThirtyEntries() {
    var wire = new Wire("a", "b", "c");
    wire.activate("a", entry(1, List.of("a", "b", "c"), Set.of("a", "b", "c")));
    writeMany(wire, 200, 50);
    wire.states.get("c").log().close();
    wire.active.reassign(entry(2, List.of("a", "b"), Set.of("a", "b")));
    writeMany(wire, 30, 50);
    wire.open("c");
    wire.entriesSent.clear();
    return wire;
  }

  /** a active with b in sync after 50 writes; d placed as a new replica, caught up and reported so. */
  private static Wire dReportedCaughtUp() {
    var wire = new Wire("a", "b", "d");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
    writeMany(wire, 50, 20);
    addReplicaD(wire);
    wire.rounds(2);
    assertEquals(List.of("d"), wire.caughtUp, "d is reported caught up");
    return wire;
  }

  /** Writes {@code count} puts through the active, each answered, cycling over {@code keys} keys. */
  private static void writeMany(Wire wire, int count, int keys) {
    TestProbe<Answers> caller = KIT.createTestProbe();
    for (int i = 0; i < count; i++) {
      wire.active.onWrite(put("k" + (i % keys), "value-" + i, caller));
    }
    wire.run();
    caller.receiveSeveralMessages(count).forEach(answers ->
        assertEquals(Outcome.WRITTEN, answers.answers().get(0).reply().outcome()));
  }

  /**
   * a active with b in sync after 500 writes over 200 keys, so a's log is compacted below a snapshot
   * of several chunks; d holds nothing yet.
   */
  private static Wire compactedLogAndASpareNode() {
    var wire = new Wire(COMPACTING, "a", "b", "d");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
    writeMany(wire, 500, 200);
    return wire;
  }

  /** The coordinator places d as a new, catching-up replica. */
  private static void addReplicaD(Wire wire) {
    wire.active.reassign(entry(1, List.of("a", "b", "d"), Set.of("a", "b")));
  }

  /** The copies hold the same state: the same applied seq and the same pairs in their stores. */
  private static void assertSameState(Wire wire, String expected, String actual) {
    assertEquals(wire.states.get(expected).appliedSeq(), wire.states.get(actual).appliedSeq());
    assertEquals(pairs(wire.states.get(expected)), pairs(wire.states.get(actual)), actual + " holds what " + expected + " holds");
  }

  /** Every pair of a copy's applied state, in hex, in key order. */
  private static List<String> pairs(PartitionState state) {
    HexFormat hex = HexFormat.of();
    try (StateStore.View view = state.view()) {
      return view.scan(new byte[0], null, Integer.MAX_VALUE).stream()
          .map(pair -> hex.formatHex(pair.getKey()) + "=" + hex.formatHex(pair.getValue())).toList();
    }
  }

  @Test
  void givenManyWrites_everyCopyCompactsItsLogBelowItsStateAndKeepsOnlyABoundedLog() {
    var wire = new Wire(COMPACTING, "a", "b");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));

    writeMany(wire, 1000, 20);
    wire.rounds(1);

    for (String node : List.of("a", "b")) {
      PartitionState state = wire.states.get(node);
      long retained = state.lastSeq() - state.baseSeq();
      assertTrue(state.baseSeq() > 0 && retained <= 2 * COMPACTING.compactAfterEntries() + COMPACTING.logRetainEntries(),
          node + " keeps entries (" + state.baseSeq() + ", " + state.lastSeq() + "] of 1001");
      assertTrue(state.appliedSeq() - state.baseSeq() >= COMPACTING.logRetainEntries(),
          node + " keeps the retained entries below its applied state");
    }
    assertSameState(wire, "a", "b");
  }

  @Test
  void givenACopyWhoseStateIsNotDurableYet_itKeepsItsLogUntilTheStateIs_thenCompactsNoFurtherThanThat(
      @TempDir Path dir) {
    var wire = new Wire(COMPACTING, "a", "b");
    wire.states.get("a").log().close();
    // a's state on disk, written out only when synced: what a crash would find of it stays behind.
    StateStorage onDisk = RocksDbStateStorage.open(dir.resolve("a-state"), Duration.ofHours(1));
    try {
      wire.stateStorages.put("a", onDisk);
      wire.open("a");
      wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
      writeMany(wire, 500, 20);
      wire.rounds(1);
      PartitionState a = wire.states.get("a");
      assertEquals(0, a.baseSeq(), "a keeps its whole log: none of its state is durable");
      assertTrue(wire.states.get("b").baseSeq() > 0, "b, whose state is, compacts");

      long durable = onDisk.open(P).appliedSeq();
      onDisk.sync();
      writeMany(wire, 300, 20);
      wire.rounds(1);

      assertTrue(a.baseSeq() > 0 && a.baseSeq() <= durable,
          "a compacts up to its durable state at seq " + durable + ", not past it: base " + a.baseSeq());
      assertSameState(wire, "a", "b");
    } finally {
      onDisk.close();
    }
  }

  @Test
  void givenACompactedLog_aNewReplicaGetsTheSnapshotAndTheLogAfterIt_andIsReportedCaughtUp() {
    var wire = compactedLogAndASpareNode();
    PartitionState a = wire.states.get("a");
    assertTrue(a.baseSeq() > 0, "a compacted its log");
    var chunks = new ArrayList<SnapshotChunk>();
    wire.lose = message -> message instanceof SnapshotChunk chunk && !chunks.add(chunk);

    addReplicaD(wire);
    wire.rounds(1);
    assertTrue(chunks.size() > 1 && chunks.get(chunks.size() - 1).last(), "the snapshot travels in several chunks");
    writeMany(wire, 10, 200); // live writes after the snapshot reach d as appends
    wire.rounds(1);

    assertEquals(List.of("d"), wire.caughtUp);
    PartitionState d = wire.states.get("d");
    assertTrue(d.baseSeq() > 0, "d's log starts after the snapshot it installed, not at seq 1");
    assertEquals(a.lastSeq(), d.lastSeq());
    assertEquals("value-309", valueOn(wire, "d", "k109"), "from the snapshot");
    assertEquals("value-5", valueOn(wire, "d", "k5"), "from the log after it");
    assertSameState(wire, "a", "d");
  }

  @Test
  void givenALostSnapshotChunk_theActiveSendsItAgain_andTheReplicaStillCatchesUp() {
    var wire = compactedLogAndASpareNode();
    var lost = new ArrayList<SnapshotChunk>();
    wire.lose = message -> message instanceof SnapshotChunk chunk && chunk.index() == 1 && lost.isEmpty()
        && lost.add(chunk);

    addReplicaD(wire);
    wire.rounds(1);
    assertEquals(1, lost.size(), "chunk 1 was lost");
    assertEquals(List.of(), wire.caughtUp, "d waits for the lost chunk");
    wire.rounds(5); // the active sees the transfer stall and sends chunk 1 again

    assertEquals(List.of("d"), wire.caughtUp);
    assertSameState(wire, "a", "d");
  }

  @Test
  void givenASnapshotTransferSlowerThanTheSnapshots_theActiveKeepsThatSnapshotAndTheLogAfterIt_andItCompletes() {
    var wire = compactedLogAndASpareNode();
    var starts = new ArrayList<SnapshotChunk>();
    var delayed = new ArrayList<SnapshotChunk>();
    wire.lose = message -> {
      if (message instanceof SnapshotChunk chunk) {
        if (chunk.index() == 0) {
          starts.add(chunk);
        }
        return chunk.index() == 1 && delayed.isEmpty() && delayed.add(chunk);
      }
      return false;
    };

    addReplicaD(wire);
    wire.rounds(1);
    assertEquals(1, delayed.size(), "chunk 1 is on its way, slowly");
    long sending = delayed.get(0).snapshotSeq();
    writeMany(wire, 400, 200); // meanwhile a applies more, and compacts several times
    assertTrue(wire.states.get("a").appliedSeq() > sending + 3 * COMPACTING.compactAfterEntries());
    assertTrue(wire.states.get("a").baseSeq() <= sending, "the log after the snapshot being sent is kept");
    wire.deliver("d", delayed.get(0));
    wire.run();
    wire.rounds(1);

    assertEquals(List.of("d"), wire.caughtUp);
    assertEquals(1, starts.size(), "the transfer went on, it did not start over");
    assertSameState(wire, "a", "d");
  }

  @Test
  void givenACompactedLog_aCopyReopenedOnItsStorageFindsItsStateAsApplied() {
    var wire = new Wire(COMPACTING, "a", "b");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
    writeMany(wire, 450, 30);
    writeMany(wire, 5, 30); // too few for another snapshot
    wire.rounds(1);
    PartitionState before = wire.states.get("b");
    assertTrue(before.baseSeq() > 0, "b compacted its log");
    List<String> state = pairs(before);
    long applied = before.appliedSeq();

    before.writeAll(); // as the copy does when it stops
    before.log().close();
    PartitionState reopened = wire.open("b");

    assertEquals(applied, reopened.appliedSeq());
    assertEquals(state, pairs(reopened));
  }

  /**
   * d, a replica that compacted its own log, is moved away while a compacts past it, then placed
   * again: it must install a's snapshot, and the transfer stalls after chunk 0 while {@code stalled}.
   */
  private static Wire installStalledOnD(AtomicBoolean stalled) {
    var wire = new Wire(COMPACTING, "a", "b", "d");
    wire.activate("a", entry(1, List.of("a", "b", "d"), Set.of("a", "b")));
    writeMany(wire, 300, 50);
    wire.rounds(2); // the commit position reaches d, which applies and compacts
    assertTrue(wire.states.get("d").baseSeq() > 0, "d compacted its own log");
    wire.active.reassign(entry(1, List.of("a", "b"), Set.of("a", "b"))); // d is moved away for a while
    writeMany(wire, 500, 200); // a compacts past what d holds
    wire.lose = message -> stalled.get() && message instanceof SnapshotChunk chunk && chunk.index() == 1;
    wire.caughtUp.clear();
    addReplicaD(wire);
    wire.rounds(5);
    assertTrue(wire.states.get("d").installing(), "d installs a's snapshot, stalled after chunk 0");
    return wire;
  }

  @Test
  void givenAnInstallUnderWay_anAppendThatFitsTheReplicasOldLog_isAnsweredWithAGapAtTheStart_notAcknowledged() {
    var wire = installStalledOnD(new AtomicBoolean(true));
    PartitionState d = wire.states.get("d");
    long oldEnd = d.lastSeq();

    // An append that continues d's log, as a new active whose log still holds those entries sends.
    Appended answer = wire.replicas.get("d").onAppend(new Append(P, 1, "b", oldEnd, d.log().lastEpoch(), List.of(),
        oldEnd, 99));

    assertEquals(AppendResult.GAP, answer.kind(), "its state is gone: the entries of its log cannot be applied");
    assertEquals(1, answer.seq());
    assertEquals(0, d.lastSeq());
  }

  @Test
  void givenAnInstallCutOffByAFailover_theReplicaInstallsTheNewActivesSnapshot() {
    var wire = installStalledOnD(new AtomicBoolean(true));

    wire.silent.add("a");
    wire.lose = message -> false;
    wire.activate("b", entry(2, List.of("b", "d"), Set.of("b")));
    wire.rounds(3);

    assertFalse(wire.states.get("d").installing());
    assertEquals(List.of("d"), wire.caughtUp);
    assertSameState(wire, "b", "d");
  }

  @Test
  void givenACopyRestartedInTheMiddleOfAnInstall_itDropsItsCompactedLog_andInstallsTheSnapshotAfresh() {
    var stalled = new AtomicBoolean(true);
    var wire = installStalledOnD(stalled);

    wire.states.get("d").log().close(); // d's node stops, and starts again on its storage
    PartitionState reopened = wire.open("d");
    assertEquals(0, reopened.appliedSeq(), "the install did not finish: the state is empty");
    assertEquals(0, reopened.lastSeq(), "a log compacted below what the state holds cannot be applied: dropped");
    stalled.set(false);
    wire.rounds(6);

    assertFalse(reopened.installing());
    assertEquals(List.of("d"), wire.caughtUp);
    assertSameState(wire, "a", "d");
  }

  @Test
  void aCopyApplyingBetweenHeartbeats_keepsItsStateForOneLargerWrite_andWritesItAtAHeartbeatWithNothingApplied() {
    var wire = new Wire("a", "b");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
    PartitionState b = wire.states.get("b");

    writeMany(wire, 20, 5); // fewer than state-write-entries
    wire.rounds(1);
    b.writeBehind(); // b's heartbeat, after it applied
    assertTrue(b.kv().unflushedEntries() >= 20, "a copy busy applying does not write its state at every heartbeat");

    writeMany(wire, SETTINGS.stateWriteEntries(), 5);
    wire.rounds(1);
    assertTrue(b.kv().unflushedEntries() < SETTINGS.stateWriteEntries(), "it writes once state-write-entries gather");

    b.writeBehind(); // applied since the last heartbeat: still busy
    b.writeBehind(); // a heartbeat with nothing applied since the one before
    assertEquals(0, b.kv().unflushedEntries(), "a quiet copy writes what it applied");
    assertEquals("value-" + (SETTINGS.stateWriteEntries() - 1), valueOn(wire, "b", "k" + ((SETTINGS.stateWriteEntries() - 1) % 5)));
  }

  @Test
  void givenEntriesAppliedButNotYetWrittenToTheState_aCopyThatCrashesAppliesThemAgainFromItsLog() {
    var wire = new Wire("a", "b");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
    writeMany(wire, 20, 5); // fewer than state-write-entries: applied in memory, the state not written yet
    wire.rounds(1);
    PartitionState b = wire.states.get("b");
    long applied = b.appliedSeq();
    assertEquals("value-19", valueOn(wire, "b", "k4"), "reads see what is applied");

    b.log().close(); // b's process crashes: no write-behind
    PartitionState reopened = wire.open("b");
    wire.rounds(1); // its recorded commit position may be older: the active tells it the current one

    assertEquals(applied, reopened.appliedSeq(), "the committed log after the state's last write is applied again");
    assertEquals("value-19", valueOn(wire, "b", "k4"));
    assertSameState(wire, "a", "b");
  }

  @Test
  void aLinearizableReadIsAnsweredAfterARoundConfirmsTheActive_andReflectsEveryEarlierWrite() {
    var wire = new Wire("a", "b", "c");
    wire.activate("a", entry(1, List.of("a", "b", "c"), Set.of("a", "b", "c")));
    TestProbe<Answers> caller = KIT.createTestProbe();
    wire.active.onWrite(put("x", "1", caller));
    wire.run();
    replyOf(caller);

    wire.active.onRead(new ReadCall(new Read(P, 1, 0, "kv", "x", true), new ReplyTo(caller.getRef(), 0)));
    caller.expectNoMessage(Duration.ofMillis(50));
    wire.run();

    Reply read = replyOf(caller);
    assertEquals(Outcome.FOUND, read.outcome());
    assertEquals("1", new String(read.value(), StandardCharsets.UTF_8));
    assertTrue(read.seq() >= 2);
  }

  @Test
  void aWriteOverTheValueLimitIsRefusedBeforeAnythingIsSequenced() {
    var wire = new Wire("a", "b");
    wire.activate("a", entry(1, List.of("a", "b"), Set.of("a", "b")));
    long before = wire.states.get("a").lastSeq();
    TestProbe<Answers> caller = KIT.createTestProbe();

    wire.active.onWrite(put("x", "y".repeat(2000), caller));
    wire.run();

    Reply reply = replyOf(caller);
    assertEquals(Outcome.REJECTED, reply.outcome());
    assertEquals("too-large", reply.code());
    assertEquals(before, wire.states.get("a").lastSeq(), "nothing written");
  }
}
