package dev.cohort.node.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.node.internal.partition.PartitionProtocol.Answer;
import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.AppendResult;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Read;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.Requests;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunk;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunkWanted;
import dev.cohort.node.internal.partition.PartitionProtocol.Traffic;
import dev.cohort.node.internal.partition.PartitionProtocol.Write;
import dev.cohort.node.internal.wire.WireFormats;
import dev.cohort.node.kv.RequestId;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.persistence.LogEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * Converts between Cohort's message records and the classes generated from {@code cohort_wire.proto},
 * for {@link WireSerializer}. The generated classes go no further than this class and the serializer.
 *
 * <p>Byte arrays are never copied on the way out: Cohort treats payload arrays as immutable once a
 * message holds them, so the generated messages wrap them ({@link UnsafeByteOperations}). On the way
 * in each array is copied once out of the received frame, which the transport reuses.
 */
final class WireCodec {
  private final ActorRefResolver resolver;

  WireCodec(ActorRefResolver resolver) {
    this.resolver = resolver;
  }

  // --- callers <-> the active ----------------------------------------------------------------------

  WireFormats.Requests requests(Requests requests) {
    var builder = WireFormats.Requests.newBuilder().setCaller(resolver.toSerializationFormat(requests.caller()));
    for (Write write : requests.writes()) {
      builder.addWrites(write(write));
    }
    for (Read read : requests.reads()) {
      builder.addReads(read(read));
    }
    return builder.build();
  }

  Requests requests(WireFormats.Requests requests) {
    return new Requests(resolver.resolveActorRef(requests.getCaller()), list(requests.getWritesList(), this::write),
        list(requests.getReadsList(), this::read));
  }

  private WireFormats.Write write(Write write) {
    return WireFormats.Write.newBuilder()
        .setPartition(partitionId(write.partition()))
        .setEpoch(write.epoch())
        .setNumber(write.number())
        .setRequestClient(write.requestId().client())
        .setRequestSequence(write.requestId().sequence())
        .setCommand(wrap(write.command()))
        .build();
  }

  private Write write(WireFormats.Write write) {
    return new Write(partitionId(write.getPartition()), write.getEpoch(), write.getNumber(),
        new RequestId(write.getRequestClient(), write.getRequestSequence()), write.getCommand().toByteArray());
  }

  private WireFormats.Read read(Read read) {
    return WireFormats.Read.newBuilder()
        .setPartition(partitionId(read.partition()))
        .setEpoch(read.epoch())
        .setNumber(read.number())
        .setTable(read.table())
        .setKey(read.key())
        .setLinearizable(read.linearizable())
        .build();
  }

  private Read read(WireFormats.Read read) {
    return new Read(partitionId(read.getPartition()), read.getEpoch(), read.getNumber(), read.getTable(), read.getKey(),
        read.getLinearizable());
  }

  WireFormats.Answers answers(Answers answers) {
    var builder = WireFormats.Answers.newBuilder();
    for (Answer answer : answers.answers()) {
      builder.addAnswers(WireFormats.Answer.newBuilder().setNumber(answer.number()).setReply(reply(answer.reply())));
    }
    return builder.build();
  }

  Answers answers(WireFormats.Answers answers) {
    return new Answers(list(answers.getAnswersList(), answer -> new Answer(answer.getNumber(), reply(answer.getReply()))));
  }

  WireFormats.Reply reply(Reply reply) {
    var builder = WireFormats.Reply.newBuilder()
        .setOutcome(outcome(reply.outcome()))
        .setVersion(reply.version())
        .setSeq(reply.seq());
    // Unset, not empty, when null: the fields are proto3 "optional", so the reader can tell.
    if (reply.value() != null) {
      builder.setValue(wrap(reply.value()));
    }
    if (reply.code() != null) {
      builder.setCode(reply.code());
    }
    if (reply.message() != null) {
      builder.setMessage(reply.message());
    }
    return builder.build();
  }

  Reply reply(WireFormats.Reply reply) {
    return new Reply(outcome(reply.getOutcome()), reply.hasValue() ? reply.getValue().toByteArray() : null,
        reply.getVersion(), reply.getSeq(), reply.hasCode() ? reply.getCode() : null,
        reply.hasMessage() ? reply.getMessage() : null);
  }

  private static WireFormats.Outcome outcome(Outcome outcome) {
    return switch (outcome) {
      case WRITTEN -> WireFormats.Outcome.OUTCOME_WRITTEN;
      case DELETED -> WireFormats.Outcome.OUTCOME_DELETED;
      case FOUND -> WireFormats.Outcome.OUTCOME_FOUND;
      case ABSENT -> WireFormats.Outcome.OUTCOME_ABSENT;
      case CONFLICT -> WireFormats.Outcome.OUTCOME_CONFLICT;
      case REJECTED -> WireFormats.Outcome.OUTCOME_REJECTED;
      case NOT_ACTIVE -> WireFormats.Outcome.OUTCOME_NOT_ACTIVE;
      case QUORUM_LOST -> WireFormats.Outcome.OUTCOME_QUORUM_LOST;
    };
  }

  private static Outcome outcome(WireFormats.Outcome outcome) {
    return switch (outcome) {
      case OUTCOME_WRITTEN -> Outcome.WRITTEN;
      case OUTCOME_DELETED -> Outcome.DELETED;
      case OUTCOME_FOUND -> Outcome.FOUND;
      case OUTCOME_ABSENT -> Outcome.ABSENT;
      case OUTCOME_CONFLICT -> Outcome.CONFLICT;
      case OUTCOME_REJECTED -> Outcome.REJECTED;
      case OUTCOME_NOT_ACTIVE -> Outcome.NOT_ACTIVE;
      case OUTCOME_QUORUM_LOST -> Outcome.QUORUM_LOST;
      case OUTCOME_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("reply without a known outcome: " + outcome + " (sent by a newer node?)");
    };
  }

  // --- the active <-> its replicas -----------------------------------------------------------------

  WireFormats.Traffic traffic(Traffic traffic) {
    var builder = WireFormats.Traffic.newBuilder();
    for (Append append : traffic.appends()) {
      builder.addAppends(append(append));
    }
    for (Appended appended : traffic.appended()) {
      builder.addAppended(appended(appended));
    }
    return builder.build();
  }

  Traffic traffic(WireFormats.Traffic traffic) {
    return new Traffic(list(traffic.getAppendsList(), this::append), list(traffic.getAppendedList(), this::appended));
  }

  WireFormats.Append append(Append append) {
    var builder = WireFormats.Append.newBuilder()
        .setPartition(partitionId(append.partition()))
        .setEpoch(append.epoch())
        .setFrom(append.from())
        .setPrevSeq(append.prevSeq())
        .setPrevEpoch(append.prevEpoch())
        .setCommittedSeq(append.committedSeq())
        .setRound(append.round());
    for (LogEntry entry : append.entries()) {
      builder.addEntries(WireFormats.LogEntry.newBuilder()
          .setEpoch(entry.epoch())
          .setSeq(entry.seq())
          // The entry's own bytes, read-only and without the copy payload() would make.
          .setPayload(UnsafeByteOperations.unsafeWrap(entry.payloadBuffer())));
    }
    return builder.build();
  }

  Append append(WireFormats.Append append) {
    // LogEntry copies the array it is given, so the payload is copied twice on the way in.
    List<LogEntry> entries =
        list(append.getEntriesList(), entry -> new LogEntry(entry.getEpoch(), entry.getSeq(), entry.getPayload().toByteArray()));
    return new Append(partitionId(append.getPartition()), append.getEpoch(), append.getFrom(), append.getPrevSeq(),
        append.getPrevEpoch(), entries, append.getCommittedSeq(), append.getRound());
  }

  WireFormats.Appended appended(Appended appended) {
    return WireFormats.Appended.newBuilder()
        .setPartition(partitionId(appended.partition()))
        .setReplica(appended.replica())
        .setEpoch(appended.epoch())
        .setKind(appendResult(appended.kind()))
        .setSeq(appended.seq())
        .setConflictEpoch(appended.conflictEpoch())
        .setConflictEpochFirstSeq(appended.conflictEpochFirstSeq())
        .setRound(appended.round())
        .build();
  }

  Appended appended(WireFormats.Appended appended) {
    return new Appended(partitionId(appended.getPartition()), appended.getReplica(), appended.getEpoch(),
        appendResult(appended.getKind()), appended.getSeq(), appended.getConflictEpoch(),
        appended.getConflictEpochFirstSeq(), appended.getRound());
  }

  private static WireFormats.AppendResult appendResult(AppendResult result) {
    return switch (result) {
      case APPENDED -> WireFormats.AppendResult.APPEND_RESULT_APPENDED;
      case GAP -> WireFormats.AppendResult.APPEND_RESULT_GAP;
      case CONFLICT -> WireFormats.AppendResult.APPEND_RESULT_CONFLICT;
      case STALE_EPOCH -> WireFormats.AppendResult.APPEND_RESULT_STALE_EPOCH;
    };
  }

  private static AppendResult appendResult(WireFormats.AppendResult result) {
    return switch (result) {
      case APPEND_RESULT_APPENDED -> AppendResult.APPENDED;
      case APPEND_RESULT_GAP -> AppendResult.GAP;
      case APPEND_RESULT_CONFLICT -> AppendResult.CONFLICT;
      case APPEND_RESULT_STALE_EPOCH -> AppendResult.STALE_EPOCH;
      case APPEND_RESULT_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("append answer without a known kind: " + result + " (sent by a newer node?)");
    };
  }

  WireFormats.SnapshotChunk snapshotChunk(SnapshotChunk chunk) {
    return WireFormats.SnapshotChunk.newBuilder()
        .setPartition(partitionId(chunk.partition()))
        .setEpoch(chunk.epoch())
        .setFrom(chunk.from())
        .setSnapshotSeq(chunk.snapshotSeq())
        .setSnapshotEpoch(chunk.snapshotEpoch())
        .setIndex(chunk.index())
        .setLast(chunk.last())
        .setBytes(wrap(chunk.bytes()))
        .setRound(chunk.round())
        .build();
  }

  SnapshotChunk snapshotChunk(WireFormats.SnapshotChunk chunk) {
    return new SnapshotChunk(partitionId(chunk.getPartition()), chunk.getEpoch(), chunk.getFrom(), chunk.getSnapshotSeq(),
        chunk.getSnapshotEpoch(), chunk.getIndex(), chunk.getLast(), chunk.getBytes().toByteArray(), chunk.getRound());
  }

  WireFormats.SnapshotChunkWanted snapshotChunkWanted(SnapshotChunkWanted wanted) {
    return WireFormats.SnapshotChunkWanted.newBuilder()
        .setPartition(partitionId(wanted.partition()))
        .setReplica(wanted.replica())
        .setEpoch(wanted.epoch())
        .setSnapshotSeq(wanted.snapshotSeq())
        .setIndex(wanted.index())
        .setRound(wanted.round())
        .build();
  }

  SnapshotChunkWanted snapshotChunkWanted(WireFormats.SnapshotChunkWanted wanted) {
    return new SnapshotChunkWanted(partitionId(wanted.getPartition()), wanted.getReplica(), wanted.getEpoch(),
        wanted.getSnapshotSeq(), wanted.getIndex(), wanted.getRound());
  }

  // --- reports to the coordinator ------------------------------------------------------------------

  WireFormats.ReplicaCaughtUp replicaCaughtUp(Coordinator.ReplicaCaughtUp caughtUp) {
    return WireFormats.ReplicaCaughtUp.newBuilder()
        .setPartition(partitionId(caughtUp.partition()))
        .setEpoch(caughtUp.epoch())
        .setReplica(caughtUp.replica())
        .build();
  }

  Coordinator.ReplicaCaughtUp replicaCaughtUp(WireFormats.ReplicaCaughtUp caughtUp) {
    return new Coordinator.ReplicaCaughtUp(partitionId(caughtUp.getPartition()), caughtUp.getEpoch(), caughtUp.getReplica());
  }

  WireFormats.ReplicasLagging replicasLagging(Coordinator.ReplicasLagging lagging) {
    return WireFormats.ReplicasLagging.newBuilder()
        .setPartition(partitionId(lagging.partition()))
        .setEpoch(lagging.epoch())
        .addAllReplicas(lagging.replicas())
        .build();
  }

  Coordinator.ReplicasLagging replicasLagging(WireFormats.ReplicasLagging lagging) {
    Set<String> replicas = Collections.unmodifiableSet(new LinkedHashSet<>(lagging.getReplicasList()));
    return new Coordinator.ReplicasLagging(partitionId(lagging.getPartition()), lagging.getEpoch(), replicas);
  }

  WireFormats.ForceEmpty forceEmpty(Coordinator.ForceEmpty force) {
    return WireFormats.ForceEmpty.newBuilder()
        .setPartition(partitionId(force.partition()))
        .setRequestedAt(force.requestedAt())
        .build();
  }

  Coordinator.ForceEmpty forceEmpty(WireFormats.ForceEmpty force) {
    return new Coordinator.ForceEmpty(partitionId(force.getPartition()), force.getRequestedAt());
  }

  WireFormats.CopiesKept copiesKept(Coordinator.CopiesKept kept) {
    var builder = WireFormats.CopiesKept.newBuilder().setNode(kept.node()).setIncarnation(kept.incarnation());
    kept.partitions().forEach(partition -> builder.addPartitions(partitionId(partition)));
    return builder.build();
  }

  Coordinator.CopiesKept copiesKept(WireFormats.CopiesKept kept) {
    return new Coordinator.CopiesKept(kept.getNode(), kept.getIncarnation(),
        kept.getPartitionsList().stream().map(id -> partitionId(id)).toList());
  }

  WireFormats.CopyHeld copyHeld(Coordinator.CopyHeld held) {
    return WireFormats.CopyHeld.newBuilder()
        .setPartition(partitionId(held.partition()))
        .setEpoch(held.epoch())
        .setNode(held.node())
        .setLastEpoch(held.lastEpoch())
        .setLastSeq(held.lastSeq())
        .build();
  }

  Coordinator.CopyHeld copyHeld(WireFormats.CopyHeld held) {
    return new Coordinator.CopyHeld(partitionId(held.getPartition()), held.getEpoch(), held.getNode(),
        held.getLastEpoch(), held.getLastSeq());
  }

  // --- the partition table -------------------------------------------------------------------------

  WireFormats.PublishedTable publishedTable(PublishedTable published) {
    PartitionTable table = published.table();
    var tableBuilder = WireFormats.PartitionTable.newBuilder().setVersion(table.version());
    for (PartitionEntry entry : table.partitions()) {
      tableBuilder.addPartitions(partitionEntry(entry));
    }
    // In node order (the map is sorted), so that equal tables give equal bytes.
    for (Map.Entry<NodeName, Long> incarnation : table.incarnations().entrySet()) {
      tableBuilder.addIncarnations(
          WireFormats.Incarnation.newBuilder().setNode(incarnation.getKey().value()).setUid(incarnation.getValue()));
    }
    return WireFormats.PublishedTable.newBuilder().setTable(tableBuilder).setCommitted(published.committed()).build();
  }

  PublishedTable publishedTable(WireFormats.PublishedTable published) {
    WireFormats.PartitionTable table = published.getTable();
    var incarnations = new TreeMap<NodeName, Long>();
    for (WireFormats.Incarnation incarnation : table.getIncarnationsList()) {
      incarnations.put(new NodeName(incarnation.getNode()), incarnation.getUid());
    }
    var partitions = list(table.getPartitionsList(), WireCodec::partitionEntry);
    return new PublishedTable(new PartitionTable(table.getVersion(), partitions, incarnations), published.getCommitted());
  }

  private static WireFormats.PartitionEntry partitionEntry(PartitionEntry entry) {
    var builder = WireFormats.PartitionEntry.newBuilder()
        .setId(partitionId(entry.id()))
        .setEpoch(entry.epoch().value());
    // An empty Optional leaves the field unset; message fields keep their presence.
    entry.placement().ifPresent(placement -> builder.setPlacement(placement(placement)));
    entry.target().ifPresent(target -> builder.setTarget(placement(target)));
    for (NodeName node : entry.inSync()) {
      builder.addInSync(node.value());
    }
    return builder.build();
  }

  private static PartitionEntry partitionEntry(WireFormats.PartitionEntry entry) {
    var inSync = new TreeSet<NodeName>();
    for (String node : entry.getInSyncList()) {
      inSync.add(new NodeName(node));
    }
    Optional<Placement> placement = entry.hasPlacement() ? Optional.of(placement(entry.getPlacement())) : Optional.empty();
    Optional<Placement> target = entry.hasTarget() ? Optional.of(placement(entry.getTarget())) : Optional.empty();
    return new PartitionEntry(partitionId(entry.getId()), placement, inSync, target, new Epoch(entry.getEpoch()));
  }

  private static WireFormats.Placement placement(Placement placement) {
    var builder = WireFormats.Placement.newBuilder().setActive(placement.active().value());
    for (NodeName replica : placement.replicas()) {
      builder.addReplicas(replica.value());
    }
    return builder.build();
  }

  private static Placement placement(WireFormats.Placement placement) {
    return new Placement(new NodeName(placement.getActive()), list(placement.getReplicasList(), NodeName::new));
  }

  // --- shared values -------------------------------------------------------------------------------

  private static WireFormats.PartitionId partitionId(PartitionId id) {
    return WireFormats.PartitionId.newBuilder().setGroup(id.group()).setIndex(id.index()).build();
  }

  private static PartitionId partitionId(WireFormats.PartitionId id) {
    return new PartitionId(id.getGroup(), id.getIndex());
  }

  /** The array itself, not a copy: Cohort never changes an array once a message holds it. */
  private static ByteString wrap(byte[] bytes) {
    return UnsafeByteOperations.unsafeWrap(bytes);
  }

  /** An unmodifiable list of {@code from}'s elements converted, sized once. */
  private static <P, R> List<R> list(List<P> from, Function<P, R> convert) {
    var to = new ArrayList<R>(from.size());
    for (P element : from) {
      to.add(convert.apply(element));
    }
    return Collections.unmodifiableList(to);
  }
}
