package dev.cohort.node.internal.partition;

import dev.cohort.api.PartitionId;
import dev.cohort.node.internal.WireMessage;
import dev.cohort.node.kv.EventStreams;
import dev.cohort.node.kv.JournalCommand;
import dev.cohort.node.kv.RequestId;
import dev.cohort.persistence.LogEntry;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The messages of a partition's copies and of the callers that use it. Every message names its
 * partition; a node's {@link PartitionHost} hands it to the copy it holds of that partition.
 */
public final class PartitionProtocol {
  private PartitionProtocol() {}

  /**
   * A message from another node's copy of a partition ({@link Append}, {@link Appended}, {@link
   * SnapshotChunk}, {@link SnapshotChunkWanted}); the host hands it to its copy of that partition.
   */
  public interface ToPartition extends WireMessage, PartitionCopy.Command, PartitionHost.Command {
    /** The partition it is for. */
    PartitionId partition();
  }

  // --- callers -> the active --------------------------------------------------------------------

  /**
   * Callers' requests for partitions of the receiving node, gathered by the calling node so that many
   * requests share one message (and their answers share {@link Answers}).
   *
   * @param caller where the answers go
   * @param writes the writes, in the order the caller sent them
   * @param reads the reads, in the order the caller sent them
   */
  public record Requests(ActorRef<Answers> caller, List<Write> writes, List<Read> reads)
      implements PartitionHost.Command, WireMessage {}

  /**
   * A key-value command for the active of {@code partition}.
   *
   * @param partition the partition
   * @param epoch the epoch in which the caller's table names the receiving node active
   * @param number the caller's number for this attempt, echoed in its {@link Answer}
   * @param requestId the caller's id for the request; a retry reuses it
   * @param command the command in the key-value codec's form
   */
  public record Write(PartitionId partition, long epoch, long number, RequestId requestId, byte[] command) {}

  /**
   * A read of one key.
   *
   * @param partition the partition
   * @param epoch the epoch in which the caller's table names the receiving node active
   * @param number the caller's number for this attempt, echoed in its {@link Answer}
   * @param table the table
   * @param key the key
   * @param linearizable true to read at the active after it confirmed it is still the active;
   *     false to read this copy's applied state, whatever its role
   */
  public record Read(PartitionId partition, long epoch, long number, String table, String key, boolean linearizable) {}

  /** Where the answer to one request goes: the calling node's inbox, and the caller's number for it. */
  public record ReplyTo(ActorRef<Answers> caller, long number) {}

  /** A {@link Write} handed to the copy of its partition, with where to answer. */
  record WriteCall(Write write, ReplyTo replyTo) implements PartitionCopy.Command {}

  /** A {@link Read} handed to the copy of its partition, with where to answer. */
  record ReadCall(Read read, ReplyTo replyTo) implements PartitionCopy.Command {}

  /**
   * Answers to one calling node, gathered: one message for what a batch of commits or a round of
   * reads answers.
   */
  public record Answers(List<Answer> answers) implements WireMessage {}

  /**
   * The answer to the request the caller numbered {@code number}.
   *
   * @param number the request's {@link Write#number()} or {@link Read#number()}
   * @param reply the answer
   */
  public record Answer(long number, Reply reply) {}

  /** How a request ended. */
  public enum Outcome {
    /** A write applied: {@code version} and {@code seq} are set. */
    WRITTEN,
    /** A delete applied: {@code seq} is set. */
    DELETED,
    /** A read found the key: {@code value}, {@code version} and {@code seq} (the applied seq) are set. */
    FOUND,
    /** A read found no such key: {@code seq} is the applied seq. */
    ABSENT,
    /** A compare-and-set found another version: {@code version} is the current one, -1 if absent. */
    CONFLICT,
    /** Refused for what the request is: {@code code} and {@code message} say why (too-large, unknown-table...). */
    REJECTED,
    /** The node is not the active in that epoch: retry at the active the table names. */
    NOT_ACTIVE,
    /** The node cannot see its node group's quorum: {@code message} says which. */
    QUORUM_LOST
  }

  /**
   * The answer to a {@link Write} or {@link Read}; fields that do not apply to the outcome are
   * zero, -1 or null.
   *
   * @param outcome how it ended
   * @param value the value read
   * @param version the key's version
   * @param seq the seq of the write, or the seq the read reflects
   * @param code the error code of a refusal
   * @param message a person-readable explanation of a refusal
   */
  public record Reply(Outcome outcome, byte[] value, long version, long seq, String code, String message)
      implements WireMessage {
    static Reply refused(Outcome outcome, String code, String message) {
      return new Reply(outcome, null, -1, 0, code, message);
    }
  }

  // --- the replicated journal on this node -> the local active ------------------------------------

  /**
   * A question about the replicated journal, from a plugin on this node to its copy of {@code
   * partition}: answered only by the active, from its applied state, once a round of
   * acknowledgements shows it is still the active (like a linearizable read). Never sent to another
   * node: an entity runs on its partition's active, and replays the copy there.
   *
   * @param partition the persistence id's partition
   * @param persistenceId the persistence id
   * @param fromSeqNr the first event wanted
   * @param toSeqNr the last event wanted
   * @param maxEvents at most this many events; 0 for none (only the highest sequence number)
   * @param snapshot which snapshot is wanted, the latest it selects; null for none
   * @param replyTo where the answer goes
   */
  public record JournalQuery(PartitionId partition, String persistenceId, long fromSeqNr, long toSeqNr, int maxEvents,
      JournalCommand.SnapshotCriteria snapshot, ActorRef<JournalAnswer> replyTo)
      implements PartitionHost.Command, PartitionCopy.Command {
    void answerFrom(EventStreams journal) {
      replyTo.tell(new JournalAnswer(journal.events(persistenceId, fromSeqNr, toSeqNr, maxEvents),
          journal.highestSeqNr(persistenceId),
          snapshot == null ? Optional.empty() : journal.latestSnapshot(persistenceId, snapshot), null));
    }

    void refuse(String reason) {
      replyTo.tell(new JournalAnswer(List.of(), 0, Optional.empty(), reason));
    }
  }

  /**
   * The answer to a {@link JournalQuery}.
   *
   * @param events the events found, in order
   * @param highestSeqNr the persistence id's highest sequence number
   * @param snapshot the latest snapshot selected, if one was asked for and found
   * @param refusal why the query was not answered (this node is not the active, or is fenced); null if it was
   */
  public record JournalAnswer(List<EventStreams.Event> events, long highestSeqNr, Optional<EventStreams.Snapshot> snapshot,
      String refusal) {}

  // --- the active <-> its replicas ---------------------------------------------------------------

  /**
   * Entries (possibly none: a heartbeat) from the active of {@code epoch}.
   *
   * @param partition the partition
   * @param epoch the sender's epoch
   * @param from the sending node's name, so the replica answers the sender
   * @param prevSeq the seq just before the first entry
   * @param prevEpoch the epoch of the entry at {@code prevSeq} in the sender's log
   * @param entries the entries, contiguous from {@code prevSeq + 1}
   * @param committedSeq the sender's commit position
   * @param round the sender's heartbeat round, echoed in the answer (confirms it is still active)
   */
  public record Append(PartitionId partition, long epoch, String from, long prevSeq, long prevEpoch,
      List<LogEntry> entries, long committedSeq, long round) implements ToPartition {}

  /**
   * A replica's answer to an {@link Append}.
   *
   * @param partition the partition
   * @param replica the answering node
   * @param epoch the epoch the replica has promised
   * @param kind what happened
   * @param seq for {@code APPENDED}: the seq acknowledged as durable; for {@code GAP}: the next seq
   *     the replica needs; for {@code CONFLICT}: the disagreeing seq
   * @param conflictEpoch for {@code CONFLICT}: the replica's epoch at {@code seq}
   * @param conflictEpochFirstSeq for {@code CONFLICT}: where the replica's run of that epoch begins
   * @param round the round of the append answered
   */
  public record Appended(PartitionId partition, String replica, long epoch, AppendResult kind, long seq,
      long conflictEpoch, long conflictEpochFirstSeq, long round) implements ToPartition {}

  /**
   * One chunk of a copy of the active's state as of {@code snapshotSeq} (a snapshot), for a replica
   * that needs entries the active's log no longer holds (DESIGN step 7). Chunks go one at a time: the
   * replica installs each and answers with the {@link SnapshotChunkWanted} next, and the last one with
   * an {@link Appended} of {@code snapshotSeq}; then the log after the snapshot follows as appends.
   *
   * @param partition the partition
   * @param epoch the sender's epoch
   * @param from the sending node's name, so the replica answers the sender
   * @param snapshotSeq the last entry the snapshot covers
   * @param snapshotEpoch the epoch of the entry at {@code snapshotSeq}
   * @param index this chunk's index, from 0
   * @param last whether this chunk ends the snapshot
   * @param bytes the chunk's pairs of the state, in key order ({@link dev.cohort.node.kv.StateChunks})
   * @param round the sender's heartbeat round, echoed in the answer
   */
  public record SnapshotChunk(PartitionId partition, long epoch, String from, long snapshotSeq, long snapshotEpoch,
      int index, boolean last, byte[] bytes, long round) implements ToPartition {}

  /**
   * A replica's answer to a {@link SnapshotChunk} that did not complete the snapshot.
   *
   * @param partition the partition
   * @param replica the answering node
   * @param epoch the epoch the replica has promised
   * @param snapshotSeq the snapshot the answered chunk belongs to
   * @param index the chunk the replica wants next
   * @param round the round of the chunk answered
   */
  public record SnapshotChunkWanted(PartitionId partition, String replica, long epoch, long snapshotSeq, int index,
      long round) implements ToPartition {}

  /**
   * The appends and their answers one node's copies send to another node's copies at about the same
   * time, gathered by the sending node's host into one message (DESIGN: batching on every hop); the
   * receiving host hands each to its copy, in order.
   *
   * @param appends appends from actives on the sending node
   * @param appended answers from replicas on the sending node
   */
  public record Traffic(List<Append> appends, List<Appended> appended) implements PartitionHost.Command, WireMessage {}

  /** What a replica made of an append. */
  public enum AppendResult {
    /** Appended (or already had) the entries; {@code seq} is acknowledged. */
    APPENDED,
    /** The append starts past the replica's log; send from {@code seq}. */
    GAP,
    /** The replica's log disagrees at {@code seq}; back up. */
    CONFLICT,
    /** The replica follows a newer epoch: the sender is no longer the active. */
    STALE_EPOCH
  }
}
