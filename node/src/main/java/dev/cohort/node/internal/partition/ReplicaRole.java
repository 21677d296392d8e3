package dev.cohort.node.internal.partition;

import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.AppendResult;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.replication.AppendDecision;
import dev.cohort.node.replication.AppendRequest;
import dev.cohort.node.replication.EntryId;
import dev.cohort.node.replication.ReplicaAppend;
import dev.cohort.persistence.LogEntry;
import java.util.List;

/**
 * A replica's side of the log (DESIGN step 3): takes the active's appends when they match its log,
 * appends them, applies what is committed, and answers with what it holds. The decision is {@link
 * ReplicaAppend}'s; this class carries it out on the partition's state.
 */
final class ReplicaRole {
  private final String self;
  private final PartitionState state;

  ReplicaRole(String self, PartitionState state) {
    this.self = self;
    this.state = state;
  }

  /** Carries out {@code append} and returns the answer for its sender. */
  Appended onAppend(Append append) {
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
      state.log().append(fresh);
    }
    state.commitTo(accepted.commitSeq());
    return answer(append, accepted.promisedEpoch(), AppendResult.APPENDED, accepted.ackSeq(), 0, 0);
  }

  private Appended answer(Append append, long epoch, AppendResult kind, long seq, long conflictEpoch, long firstSeq) {
    return new Appended(append.partition(), self, epoch, kind, seq, conflictEpoch, firstSeq, append.round());
  }
}
