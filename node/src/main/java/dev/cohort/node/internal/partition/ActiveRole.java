package dev.cohort.node.internal.partition;

import dev.cohort.api.NodeName;
import dev.cohort.api.Placement;
import dev.cohort.node.ReplicationSettings;
import dev.cohort.node.http.TableJson.SnapshotJson;
import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.AppendResult;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.JournalQuery;
import dev.cohort.node.internal.partition.PartitionProtocol.ReadCall;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.ReplyTo;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunk;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunkWanted;
import dev.cohort.node.internal.partition.PartitionProtocol.WriteCall;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.JournalCommand;
import dev.cohort.node.kv.KvResult;
import dev.cohort.node.kv.MalformedPayloadException;
import dev.cohort.node.kv.PartitionCommand;
import dev.cohort.node.kv.Rejection;
import dev.cohort.node.replication.AppendDecision;
import dev.cohort.node.replication.Backtrack;
import dev.cohort.node.replication.CommitPosition;
import dev.cohort.node.replication.InSyncTracker;
import dev.cohort.node.replication.Sequencer;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.persistence.LogEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The active's side of the log (DESIGN steps 2 and 4): sequences callers' commands, writes each
 * batch to the local log and to the replicas, counts acknowledgements into the commit position,
 * applies what committed and answers the callers; catches lagging or new replicas up from the log,
 * or from a snapshot when the entries they need are compacted away (DESIGN step 7);
 * answers linearizable reads once a round of acknowledgements sent after the read shows it is still
 * the active. Single-threaded; time is passed in.
 */
final class ActiveRole {
  private static final byte[] OPENING_ENTRY = new byte[0];

  private final String self;
  private final NodeName selfName;
  private final PartitionState state;
  private final ReplicationSettings settings;
  private final Outbox outbox;
  private final LongSupplier nanos;
  private final Sequencer<ReplyTo> sequencer;
  private final InSyncTracker tracker;
  private final Map<String, Peer> peers = new LinkedHashMap<>();
  private final List<PendingRead> reads = new ArrayList<>();
  private final long firstOwnSeq;
  private final long firstEpoch;
  private PartitionEntry entry;
  private long committed;
  private long round;
  private boolean flushScheduled;
  /** The last seq of each batch written and sent but not committed yet, oldest first. */
  private final ArrayDeque<Long> batchesInFlight = new ArrayDeque<>();
  /** Whether pending commands wait for a batch in flight to commit, to go out together after it. */
  private boolean flushWaiting;
  private boolean roundScheduled;
  private long lastLagReport = Long.MIN_VALUE;
  private long lastRoundNanos;

  /** What the active knows of one replica. */
  private static final class Peer {
    final NodeName name;
    long sentUpTo;
    long acked;
    /** Whether it has answered in this tenure: until then {@link #acked} says nothing of its log. */
    boolean answered;
    /** The seq a gap it reported was last filled from; 0 if none. */
    long gapFilledFrom;
    /** The round in which that gap was filled: a gap answered to a later round means the fill was lost. */
    long gapFilledRound;
    /**
     * Reported to the coordinator as caught up, not in sync in the table yet: commits wait for it too,
     * so that it holds every committed entry when a table puts it in sync (and may make it active).
     */
    boolean joining;
    long ackedRound;
    long lastSendNanos;
    long lastCaughtUpReport = Long.MIN_VALUE;
    /** The copy of the state being sent to it, while the entries it needs are gone from the log; else null. */
    SnapshotSending snapshot;

    Peer(NodeName name, long sentUpTo) {
      this.name = name;
      this.sentUpTo = sentUpTo;
    }
  }

  /** A {@link ReadCall} or a {@link JournalQuery} waiting for its read index to apply and a round to confirm. */
  private record PendingRead(long readIndex, long needRound, PartitionCopy.Command call) {}

  /** Becomes the active of {@code entry}'s epoch, continuing the log {@code state} holds. */
  ActiveRole(String self, PartitionEntry entry, PartitionState state, ReplicationSettings settings, Outbox outbox,
      LongSupplier nanos) {
    this.self = self;
    this.selfName = NodeName.of(self);
    this.entry = entry;
    this.state = state;
    this.settings = settings;
    this.outbox = outbox;
    this.nanos = nanos;
    long epoch = entry.epoch().value();
    state.promise(epoch);
    long lastSeq = state.log().lastSeq();
    this.sequencer = new Sequencer<>(epoch, lastSeq, state.log().lastEpoch(), state.committedSeq(),
        settings.maxBatchEntries(), settings.maxBatchBytes());
    this.tracker = new InSyncTracker(settings.lagMaxEntries(), settings.lagMaxSilence().toNanos());
    this.committed = state.committedSeq();
    this.firstEpoch = epoch;
    peers(entry).forEach(replica -> watch(replica, lastSeq));
    // The opening entry lets the entries inherited from earlier actives commit at once.
    this.firstOwnSeq = sequencer.submitUnanswered(OPENING_ENTRY);
    scheduleFlush();
  }

  long epoch() {
    return sequencer.epoch();
  }

  /** The table changed while this node stays the active (a new epoch, or replicas came or went). */
  void reassign(PartitionEntry next) {
    if (next.epoch().value() > sequencer.epoch()) {
      sequencer.changeEpoch(next.epoch().value());
      state.promise(next.epoch().value());
    }
    Set<NodeName> wasInSync = entry.inSync();
    this.entry = next;
    Set<String> current = peers(next);
    for (Iterator<String> it = peers.keySet().iterator(); it.hasNext(); ) {
      String replica = it.next();
      if (!current.contains(replica)) {
        stopSnapshot(peers.get(replica));
        it.remove();
        tracker.forget(NodeName.of(replica));
      }
    }
    holdSnapshots();
    var lacking = new TreeSet<String>();
    peers.forEach((replica, peer) -> {
      if (next.inSync().contains(peer.name)) {
        if (!wasInSync.contains(peer.name) && peer.acked < committed) {
          lacking.add(replica); // stopped joining after its report: entries were committed without it
        }
        peer.joining = false;
      }
    });
    if (!lacking.isEmpty()) {
      outbox.lagging(sequencer.epoch(), lacking, "put in sync by the table while lacking entries committed up to seq "
          + committed);
    }
    current.forEach(replica -> {
      if (!peers.containsKey(replica)) {
        // Sent from the end of the log: the replica answers with where its own log ends (a restarted
        // node keeps its data), so it gets only the tail it lacks.
        watch(replica, state.lastSeq());
      }
    });
    advanceCommit();
  }

  // --- callers ---------------------------------------------------------------------------------

  void onWrite(WriteCall call) {
    PartitionCommand command;
    try {
      command = PartitionCommand.decode(call.write().command());
    } catch (MalformedPayloadException e) {
      answerNow(call.replyTo(), Reply.refused(Outcome.REJECTED, "malformed", e.getMessage()));
      return;
    }
    Rejection refusal = check(command);
    if (refusal != null) {
      answerNow(call.replyTo(), state.rejected(refusal));
      return;
    }
    sequencer.submit(call.write().command(), call.replyTo());
    scheduleFlush();
  }

  private void answerNow(ReplyTo to, Reply reply) {
    outbox.answer(to.caller(), Answering.one(to, reply));
  }

  /** Answers gathered per caller, sent through the outbox. */
  private Answering answering() {
    return new Answering(settings.maxBatchBytes(), outbox::answer);
  }

  /** Refuses before sequencing what the state machine would refuse anyway: nothing gets written. */
  private Rejection check(PartitionCommand partitionCommand) {
    int max = state.kv().settings().maxValueBytes();
    if (partitionCommand instanceof JournalCommand journal) {
      return journal.payloadBytes() > max ? new Rejection.TooLarge(journal.payloadBytes(), max) : null;
    }
    KvCommand command = (KvCommand) partitionCommand;
    if (!state.kv().settings().tables().contains(command.table())) {
      return new Rejection.UnknownTable(command.table());
    }
    byte[] value = command instanceof KvCommand.Put put ? put.value()
        : command instanceof KvCommand.CompareAndSet cas ? cas.value() : null;
    return value != null && value.length > max ? new Rejection.TooLarge(value.length, max) : null;
  }

  /** A linearizable read or a journal query: answered once applied up to now and confirmed still active. */
  void onRead(PartitionCopy.Command read) {
    reads.add(new PendingRead(sequencer.lastSeq(), round + 1, read));
    if (confirmingReplicas().isEmpty()) {
      answerReads();
    } else if (!roundScheduled) {
      roundScheduled = true;
      outbox.scheduleRound();
    }
  }

  // --- sending -------------------------------------------------------------------------------

  /**
   * Writes what is pending, batch by batch, to the log and to the replicas that are up to date, as
   * long as fewer than {@link ReplicationSettings#maxBatchesInFlight()} batches await commit; the
   * rest waits for a commit, gathering what arrives meanwhile into fewer, larger batches.
   */
  void flush() {
    flushScheduled = false;
    while (!batchesInFlight.isEmpty() && batchesInFlight.peekFirst() <= committed) {
      batchesInFlight.pollFirst();
    }
    while (sequencer.hasPending() && batchesInFlight.size() < settings.maxBatchesInFlight()) {
      Sequencer.Batch batch = sequencer.drain();
      batchesInFlight.addLast(batch.lastSeq());
      List<LogEntry> entries = batch.entries().stream()
          .map(e -> new LogEntry(batch.epoch(), e.seq(), e.payload()))
          .toList();
      state.append(entries);
      peers.forEach((replica, peer) -> {
        if (peer.snapshot == null && peer.sentUpTo == batch.prevSeq()) {
          send(replica, peer, batch.prevSeq(), batch.prevEpoch(), entries);
        }
      });
    }
    flushWaiting = sequencer.hasPending();
    advanceCommit();
  }

  /** A round: every replica gets an append (entries if it is behind, else a heartbeat). */
  void round() {
    roundScheduled = false;
    round++;
    long now = nanos.getAsLong();
    // Rounds come every heartbeat; a longer gap means this node was not running and heard nothing.
    long late = now - lastRoundNanos - 2 * settings.heartbeatInterval().toNanos();
    if (round > 1 && late > 0) {
      tracker.excuse(late);
    }
    lastRoundNanos = now;
    peers.forEach((replica, peer) -> {
      boolean stalled = peer.sentUpTo > peer.acked
          && now - peer.lastSendNanos > 4 * settings.heartbeatInterval().toNanos();
      if (peer.snapshot != null) {
        if (stalled) {
          sendChunk(replica, peer, peer.snapshot.chunkIndex()); // the chunk or its answer was lost
        }
        return;
      }
      if (stalled) {
        // An append or its answer was lost: send again from what is acknowledged, or, to a replica that
        // never answered, probe from the end of the log again, as at first.
        peer.sentUpTo = peer.answered ? peer.acked : state.lastSeq();
      }
      if (peer.sentUpTo < state.lastSeq()) {
        // Catching up goes one batch at a time: the next when this one is acknowledged, so that a slow
        // replica is not sent more than it can take (and the answers' pumps do the rest).
        if (peer.acked >= peer.sentUpTo) {
          pump(replica, peer);
        }
      } else {
        send(replica, peer, state.lastSeq(), state.log().lastEpoch(), List.of());
      }
    });
    reportLagging(now);
  }

  private void pump(String replica, Peer peer) {
    long from = peer.sentUpTo + 1;
    if (from > state.lastSeq()) {
      return;
    }
    if (from <= state.baseSeq()) {
      sendSnapshot(replica, peer);
      return;
    }
    List<LogEntry> entries = state.log().read(from, settings.catchUpBatchEntries(), settings.maxBatchBytes());
    long prevSeq = from - 1;
    send(replica, peer, prevSeq, prevSeq == 0 ? 0 : state.epochAt(prevSeq), entries);
  }

  /**
   * Starts sending a copy of the state as it is now applied: the replica needs entries the log no
   * longer holds.
   */
  private void sendSnapshot(String replica, Peer peer) {
    stopSnapshot(peer);
    var view = state.view();
    peer.snapshot = new SnapshotSending(view, state.epochAt(view.appliedSeq()), settings.snapshotChunkBytes());
    peer.sentUpTo = view.appliedSeq();
    holdSnapshots();
    sendChunk(replica, peer, 0);
  }

  /** Ends the copy of the state on its way to {@code peer}, if any, releasing its view. */
  private void stopSnapshot(Peer peer) {
    if (peer.snapshot != null) {
      peer.snapshot.close();
      peer.snapshot = null;
    }
  }

  /** Keeps the log after the copies being sent until the replicas have them. */
  private void holdSnapshots() {
    state.hold(peers.values().stream().filter(peer -> peer.snapshot != null)
        .mapToLong(peer -> peer.snapshot.seq()).min().orElse(Long.MAX_VALUE));
  }

  private void sendChunk(String replica, Peer peer, int index) {
    SnapshotSending.Chunk chunk = peer.snapshot.chunk(index);
    outbox.toReplica(replica, new SnapshotChunk(state.log().partition(), sequencer.epoch(), self, peer.snapshot.seq(),
        peer.snapshot.epoch(), chunk.index(), chunk.last(), chunk.bytes(), round));
    peer.lastSendNanos = nanos.getAsLong();
  }

  /**
   * A replica's answer to a snapshot chunk: it wants another.
   *
   * @return false if the replica follows a newer epoch: this node is no longer the active
   */
  boolean onSnapshotChunkWanted(SnapshotChunkWanted answer) {
    if (answer.epoch() > sequencer.epoch()) {
      return false;
    }
    Peer peer = peers.get(answer.replica());
    if (peer != null && peer.snapshot != null && answer.snapshotSeq() == peer.snapshot.seq()
        && answer.epoch() >= firstEpoch) {
      peer.ackedRound = Math.max(peer.ackedRound, answer.round());
      sendChunk(answer.replica(), peer, answer.index());
      answerReads();
    }
    return true;
  }

  private void send(String replica, Peer peer, long prevSeq, long prevEpoch, List<LogEntry> entries) {
    outbox.toReplica(replica, new Append(state.log().partition(), sequencer.epoch(), self, prevSeq, prevEpoch,
        entries, committed, round));
    peer.sentUpTo = prevSeq + entries.size();
    peer.lastSendNanos = nanos.getAsLong();
  }

  // --- answers from replicas -----------------------------------------------------------------

  /**
   * An answer from a replica.
   *
   * @return false if the replica follows a newer epoch: this node is no longer the active
   */
  boolean onAppended(Appended answer) {
    Peer peer = peers.get(answer.replica());
    if (peer == null) {
      return true;
    }
    if (answer.kind() == AppendResult.STALE_EPOCH || answer.epoch() > sequencer.epoch()) {
      return false;
    }
    if (answer.epoch() < firstEpoch) {
      return true; // an answer to an earlier tenure of this node
    }
    peer.answered = true;
    switch (answer.kind()) {
      case APPENDED -> {
        peer.acked = Math.max(peer.acked, answer.seq());
        if (peer.snapshot != null && peer.acked >= peer.snapshot.seq()) {
          stopSnapshot(peer); // installed: the log after it follows
          holdSnapshots();
        }
        peer.ackedRound = Math.max(peer.ackedRound, answer.round());
        tracker.onAck(peer.name, answer.seq(), nanos.getAsLong());
        if (peer.acked >= peer.sentUpTo) {
          pump(answer.replica(), peer);
        }
        advanceCommit();
      }
      case GAP -> {
        if (peer.snapshot != null) {
          return true; // an answer sent before the snapshot: the snapshot settles it
        }
        // Its log ends before the gap, whatever it acknowledged before (its node may have come back empty).
        peer.acked = Math.min(peer.acked, answer.seq() - 1);
        tracker.onGap(peer.name, answer.seq(), nanos.getAsLong());
        if (answer.seq() == peer.gapFilledFrom && peer.sentUpTo >= answer.seq() && answer.round() <= peer.gapFilledRound) {
          return true; // the same gap, reported again for appends sent before it was filled: sent already
        }
        peer.gapFilledFrom = answer.seq();
        peer.gapFilledRound = round;
        peer.sentUpTo = Math.min(peer.sentUpTo, answer.seq() - 1);
        pump(answer.replica(), peer);
      }
      case CONFLICT -> {
        if (peer.snapshot != null) {
          return true;
        }
        var conflict = new AppendDecision.Conflict(answer.epoch(), answer.seq() - 1, answer.seq(),
            answer.conflictEpoch(), answer.conflictEpochFirstSeq());
        peer.sentUpTo = Math.min(Backtrack.nextPrevSeq(conflict, state), state.lastSeq());
        pump(answer.replica(), peer);
      }
      default -> throw new IllegalStateException("unexpected answer " + answer);
    }
    return true;
  }

  // --- commit ----------------------------------------------------------------------------------

  private void advanceCommit() {
    Set<NodeName> inSync = committingReplicas();
    Placement placement = entry.placement().orElseThrow();
    long position = CommitPosition.of(settings.commitPolicy(), placement, inSync, state.lastSeq(),
        tracker.ackedSeqs(), firstOwnSeq);
    if (position > committed) {
      committed = position;
      Map<Long, KvResult> results = state.commitTo(committed);
      Answering answers = answering();
      for (Sequencer.Answer<ReplyTo> answer : sequencer.commitTo(committed)) {
        KvResult result = results.get(answer.seq());
        answers.add(answer.requester(), result == null
            ? Reply.refused(Outcome.REJECTED, "internal", "no result for entry " + answer.seq())
            : state.reply(result));
      }
      answers.send();
      if (flushWaiting) {
        flushWaiting = false;
        scheduleFlush(); // after the messages queued meanwhile, which join the batch
      }
    }
    answerReads();
    reportCaughtUp();
  }

  private void answerReads() {
    Set<NodeName> confirming = confirmingReplicas();
    Answering answers = answering();
    for (Iterator<PendingRead> it = reads.iterator(); it.hasNext(); ) {
      PendingRead pending = it.next();
      boolean confirmed = confirming.stream().allMatch(r -> peers.get(r.value()).ackedRound >= pending.needRound());
      if (confirmed && state.kv().lastAppliedSeq() >= pending.readIndex()) {
        if (pending.call() instanceof ReadCall read) {
          answers.add(read.replyTo(), state.read(read.read().table(), read.read().key()));
        } else {
          ((JournalQuery) pending.call()).answerFrom(state.kv().journal());
        }
        it.remove();
      }
    }
    answers.send();
  }

  /** The replicas whose acknowledgement confirms that this node is still the active. */
  private Set<NodeName> confirmingReplicas() {
    return inSyncReplicas().stream().filter(r -> peers.containsKey(r.value())).collect(Collectors.toSet());
  }

  private void reportCaughtUp() {
    long now = nanos.getAsLong();
    peers.forEach((replica, peer) -> {
      NodeName name = peer.name;
      if (!entry.inSync().contains(name) && committed > 0 && tracker.caughtUp(name, committed, now)
          && reportDue(peer.lastCaughtUpReport, now)) {
        peer.lastCaughtUpReport = now;
        peer.joining = true;
        outbox.caughtUp(sequencer.epoch(), replica);
      }
    });
  }

  private void reportLagging(long now) {
    // A joining replica that falls silent or behind stops holding commits up; it is reported caught up
    // again once it has caught up again.
    for (InSyncTracker.Lagging lag : tracker.lagging(joiningReplicas(), state.lastSeq(), now)) {
      peers.get(lag.replica().value()).joining = false;
    }
    var lagging = new TreeSet<String>();
    var why = new StringBuilder();
    for (InSyncTracker.Lagging lag : tracker.lagging(inSyncReplicas(), state.lastSeq(), now)) {
      String replica = lag.replica().value();
      lagging.add(replica);
      Peer peer = peers.get(replica);
      why.append(String.format("%s%s: acknowledged seq %d of %d, silent %d ms, sent up to %d", why.length() == 0 ? "" : "; ",
          replica, peer == null ? 0 : peer.acked, state.lastSeq(), lag.silentNanos() / 1_000_000,
          peer == null ? 0 : peer.sentUpTo));
    }
    if (!lagging.isEmpty() && reportDue(lastLagReport, now)) {
      lastLagReport = now;
      outbox.lagging(sequencer.epoch(), lagging, why.toString());
    }
  }

  /** Reports repeat (a report or the table it causes may be lost), but not at every round. */
  private boolean reportDue(long lastReport, long now) {
    return lastReport == Long.MIN_VALUE || now - lastReport > settings.lagMaxSilence().toNanos() / 2;
  }

  /** Stops being the active: every caller still waiting is told to retry at the new active. */
  void abandon(String reason) {
    Reply notActive = Reply.refused(Outcome.NOT_ACTIVE, "not-active", reason);
    Answering answers = answering();
    sequencer.abandon().forEach(requester -> answers.add(requester, notActive));
    for (PendingRead read : reads) {
      if (read.call() instanceof ReadCall call) {
        answers.add(call.replyTo(), notActive);
      } else {
        ((JournalQuery) read.call()).refuse(reason);
      }
    }
    answers.send();
    reads.clear();
    peers.values().forEach(this::stopSnapshot);
    state.hold(Long.MAX_VALUE);
  }

  private void scheduleFlush() {
    if (!flushScheduled && !flushWaiting) {
      flushScheduled = true;
      outbox.scheduleFlush();
    }
  }

  private Set<NodeName> inSyncReplicas() {
    var inSync = new TreeSet<NodeName>(entry.inSync());
    inSync.remove(selfName);
    inSync.retainAll(entry.placement().orElseThrow().replicas());
    return inSync;
  }

  private Set<NodeName> joiningReplicas() {
    return peers.values().stream().filter(peer -> peer.joining).map(peer -> peer.name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The replicas whose acknowledgements an entry needs to commit: the in-sync ones and the joining ones. */
  private Set<NodeName> committingReplicas() {
    Set<NodeName> replicas = inSyncReplicas();
    replicas.addAll(joiningReplicas());
    return replicas;
  }

  private static Set<String> peers(PartitionEntry entry) {
    return entry.placement().orElseThrow().replicas().stream().map(NodeName::value)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private void watch(String replica, long sentUpTo) {
    var peer = new Peer(NodeName.of(replica), sentUpTo);
    peers.put(replica, peer);
    tracker.watch(peer.name, nanos.getAsLong());
  }

  /** For HTTP: the snapshots on their way to replicas, and how far each is. */
  Map<String, SnapshotJson> snapshotsSending() {
    var sending = new HashMap<String, SnapshotJson>();
    peers.forEach((replica, peer) -> {
      if (peer.snapshot != null) {
        sending.put(replica, new SnapshotJson(peer.snapshot.seq(), peer.snapshot.chunkIndex(), peer.snapshot.pairsSent()));
      }
    });
    return sending;
  }

  /** For HTTP: what the active knows of each replica's position. */
  Map<String, Long> ackedSeqs() {
    var acked = new HashMap<String, Long>();
    peers.forEach((replica, peer) -> acked.put(replica, peer.acked));
    return acked;
  }
}
