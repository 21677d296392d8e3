package dev.cohort.node.internal.partition;

import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.AppendResult;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunk;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunkWanted;
import dev.cohort.node.internal.partition.PartitionProtocol.ToPartition;
import dev.cohort.node.kv.StateChunks;
import dev.cohort.node.replication.AppendDecision;
import dev.cohort.node.replication.AppendRequest;
import dev.cohort.node.replication.EntryId;
import dev.cohort.node.replication.ReplicaAppend;
import dev.cohort.node.replication.SnapshotAssembly;
import dev.cohort.persistence.LogEntry;
import java.util.List;
import org.slf4j.Logger;

/**
 * A replica's side of the log (DESIGN steps 3 and 7): takes the active's appends when they match its
 * log, appends them, applies what is committed, and answers with what it holds; installs a copy of
 * the active's state (a snapshot) when the entries it needs are gone from the active's log. The
 * decision is {@link
 * ReplicaAppend}'s; this class carries it out on the partition's state.
 */
final class ReplicaRole {
  private final String self;
  private final PartitionState state;
  private final Logger log;
  private final SnapshotAssembly assembly = new SnapshotAssembly();
  private long receivedEntries;
  private long receivedSnapshotBytes;
  private long installingBytes;

  ReplicaRole(String self, PartitionState state, Logger log) {
    this.self = self;
    this.state = state;
    this.log = log;
  }

  /** Carries out {@code append} and returns the answer for its sender. */
  Appended onAppend(Append append) {
    receivedEntries += append.entries().size();
    state.dropLogWhileInstalling();
    List<EntryId> ids = append.entries().stream().map(e -> new EntryId(e.epoch(), e.seq())).toList();
    var request = new AppendRequest(append.epoch(), append.prevSeq(), append.prevEpoch(), ids, append.committedSeq());
    AppendDecision decision = ReplicaAppend.decide(state.promisedEpoch(), state, request);
    if (decision instanceof AppendDecision.StaleEpoch stale) {
      return answer(append, stale.promisedEpoch(), AppendResult.STALE_EPOCH, 0, 0, 0);
    }
    if (decision instanceof AppendDecision.Gap gap) {
      state.promise(gap.promisedEpoch());
      return answer(append, gap.promisedEpoch(), AppendResult.GAP, gap.nextExpectedSeq(), 0, 0);
    }
    if (decision instanceof AppendDecision.Conflict conflict) {
      state.promise(conflict.promisedEpoch());
      state.log().truncateAfter(conflict.truncateAfter());
      return answer(append, conflict.promisedEpoch(), AppendResult.CONFLICT, conflict.conflictSeq(),
          conflict.conflictEpoch(), conflict.conflictEpochFirstSeq());
    }
    var accepted = (AppendDecision.Append) decision;
    state.promise(accepted.promisedEpoch());
    accepted.truncateAfter().ifPresent(seq -> state.log().truncateAfter(seq));
    List<LogEntry> fresh = append.entries().subList(accepted.fromIndex(), append.entries().size());
    if (!fresh.isEmpty()) {
      state.append(fresh);
    }
    state.commitTo(accepted.commitSeq());
    return answer(append, accepted.promisedEpoch(), AppendResult.APPENDED, accepted.ackSeq(), 0, 0);
  }

  /**
   * Takes a chunk of the active's snapshot and installs its pairs; the first chunk empties the state,
   * the last one completes it. Returns the answer for its sender: the chunk wanted next, or, once
   * installed (or if this copy already applied that far), the snapshot's seq acknowledged.
   */
  ToPartition onSnapshotChunk(SnapshotChunk chunk) {
    if (chunk.epoch() < state.promisedEpoch()) {
      return new Appended(chunk.partition(), self, state.promisedEpoch(), AppendResult.STALE_EPOCH, 0, 0, 0,
          chunk.round());
    }
    state.promise(chunk.epoch());
    long seq = chunk.snapshotSeq();
    if (!state.installing() && seq <= state.appliedSeq()) {
      assembly.reset(); // applied entries are committed: this copy's log agrees with the active's up to seq
      return acknowledged(chunk);
    }
    SnapshotAssembly.Step step = assembly.offer(seq, chunk.snapshotEpoch(), chunk.index(), chunk.last());
    if (step instanceof SnapshotAssembly.Want want) {
      return new SnapshotChunkWanted(chunk.partition(), self, chunk.epoch(), seq, want.index(), chunk.round());
    }
    var take = (SnapshotAssembly.Take) step;
    if (take.starts()) {
      state.beginInstall(seq, chunk.snapshotEpoch());
      installingBytes = 0;
    }
    state.installPairs(StateChunks.decode(chunk.bytes()));
    installingBytes += chunk.bytes().length;
    receivedSnapshotBytes += chunk.bytes().length;
    if (!take.completes()) {
      return new SnapshotChunkWanted(chunk.partition(), self, chunk.epoch(), seq, take.next(), chunk.round());
    }
    state.finishInstall();
    log.info("{} installed a snapshot of {} at seq {} from {} ({} bytes in {} chunks)", self, chunk.partition(), seq,
        chunk.from(), installingBytes, take.next());
    return acknowledged(chunk);
  }

  /** Log entries that came in appends from actives since this copy started, repeats and refused ones included. */
  long receivedEntries() {
    return receivedEntries;
  }

  /** Bytes of snapshot chunks from actives installed since this copy started. */
  long receivedSnapshotBytes() {
    return receivedSnapshotBytes;
  }

  private Appended acknowledged(SnapshotChunk chunk) {
    return new Appended(chunk.partition(), self, chunk.epoch(), AppendResult.APPENDED, chunk.snapshotSeq(), 0, 0,
        chunk.round());
  }

  private Appended answer(Append append, long epoch, AppendResult kind, long seq, long conflictEpoch, long firstSeq) {
    return new Appended(append.partition(), self, epoch, kind, seq, conflictEpoch, firstSeq, append.round());
  }
}
