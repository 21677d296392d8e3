package dev.cohort.node.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link JournalCommand} in a log entry's payload.
 *
 * <p>Format 2: the format byte {@code 2}; a kind byte (1 append events, 2 delete events, 3 save
 * snapshot, 4 delete snapshots); the request id's client and sequence as 8-byte big-endian longs;
 * the persistence id as a varint length and UTF-8; then for an append the first sequence number
 * (long), the number of events (varint) and each event as a varint length and its bytes; for a
 * delete of events the highest sequence number to delete (long); for a snapshot its sequence number
 * and timestamp (longs) and its bytes (varint length); for a delete of snapshots the criteria's
 * minimum and maximum sequence numbers and timestamps (longs). Nothing follows.
 */
final class JournalCommandCodec {
  /** The format byte of journal commands (key-value commands are format 1). */
  static final int FORMAT = 2;

  private static final int APPEND_EVENTS = 1;
  private static final int DELETE_EVENTS = 2;
  private static final int SAVE_SNAPSHOT = 3;
  private static final int DELETE_SNAPSHOTS = 4;

  private JournalCommandCodec() {}

  static byte[] encode(JournalCommand command) {
    var out = new WireWriter(64 + (int) Math.min(Integer.MAX_VALUE - 64, command.payloadBytes()));
    out.writeByte(FORMAT);
    out.writeByte(kindOf(command));
    out.writeLong(command.requestId().client());
    out.writeLong(command.requestId().sequence());
    out.writeString(command.persistenceId(), "persistence id");
    if (command instanceof JournalCommand.AppendEvents append) {
      out.writeLong(append.firstSeqNr());
      out.writeVarInt(append.events().size());
      append.events().forEach(out::writeBytes);
    } else if (command instanceof JournalCommand.DeleteEvents delete) {
      out.writeLong(delete.toSeqNr());
    } else if (command instanceof JournalCommand.SaveSnapshot save) {
      out.writeLong(save.seqNr());
      out.writeLong(save.timestamp());
      out.writeBytes(save.snapshot());
    } else {
      JournalCommand.SnapshotCriteria criteria = ((JournalCommand.DeleteSnapshots) command).criteria();
      out.writeLong(criteria.minSeqNr());
      out.writeLong(criteria.maxSeqNr());
      out.writeLong(criteria.minTimestamp());
      out.writeLong(criteria.maxTimestamp());
    }
    return out.toByteArray();
  }

  /** @throws MalformedPayloadException if the bytes are not a journal command of format 2 */
  static JournalCommand decode(byte[] payload) {
    var in = new WireReader(payload, "journal command");
    int format = in.readByte("format");
    if (format != FORMAT) {
      throw in.malformed("unsupported format " + format + "; journal commands are format " + FORMAT);
    }
    int kind = in.readByte("kind");
    var id = new RequestId(in.readLong("client"), in.readLong("sequence"));
    if (id.sequence() < 0) {
      throw in.malformed("negative request sequence " + id.sequence());
    }
    String persistenceId = in.readString("persistence id");
    JournalCommand command;
    if (kind == APPEND_EVENTS) {
      long first = in.readLong("first sequence number");
      int count = in.readCount("event count", 1);
      List<byte[]> events = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        events.add(in.readBytes("event " + i));
      }
      if (count == 0 || first < 1) {
        throw in.malformed("an append of " + count + " events from sequence number " + first);
      }
      command = new JournalCommand.AppendEvents(id, persistenceId, first, events);
    } else if (kind == DELETE_EVENTS) {
      command = new JournalCommand.DeleteEvents(id, persistenceId, in.readLong("to sequence number"));
    } else if (kind == SAVE_SNAPSHOT) {
      long seqNr = in.readLong("snapshot sequence number");
      long timestamp = in.readLong("snapshot timestamp");
      command = new JournalCommand.SaveSnapshot(id, persistenceId, seqNr, timestamp, in.readBytes("snapshot"));
    } else if (kind == DELETE_SNAPSHOTS) {
      command = new JournalCommand.DeleteSnapshots(id, persistenceId, new JournalCommand.SnapshotCriteria(
          in.readLong("min sequence number"), in.readLong("max sequence number"), in.readLong("min timestamp"),
          in.readLong("max timestamp")));
    } else {
      throw in.malformed("unknown journal command kind " + kind
          + " (1 append events, 2 delete events, 3 save snapshot, 4 delete snapshots)");
    }
    in.expectEnd();
    return command;
  }

  private static int kindOf(JournalCommand command) {
    if (command instanceof JournalCommand.AppendEvents) {
      return APPEND_EVENTS;
    }
    if (command instanceof JournalCommand.DeleteEvents) {
      return DELETE_EVENTS;
    }
    return command instanceof JournalCommand.SaveSnapshot ? SAVE_SNAPSHOT : DELETE_SNAPSHOTS;
  }
}
