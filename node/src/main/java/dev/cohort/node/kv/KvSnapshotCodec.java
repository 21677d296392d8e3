package dev.cohort.node.kv;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The binary form of a whole {@link KvStateMachine}: values and request memory. Tables and keys are
 * written in sorted order, so equal states give equal bytes.
 *
 * <p>Format 1: the format byte {@code 1}; the last applied seq (long); the number of tables (varint)
 * and for each its name (varint length + UTF-8), its number of keys, and for each key the key, the
 * version (long) and the value (varint length + bytes); then the number of remembered clients, least
 * recent first, and for each the client (long), its number of results, and for each the sequence
 * (long) and the result (a tag byte: 1 written, 2 deleted, 3 conflict, 4 unknown table, 5 too large,
 * then the result's fields).
 *
 * <p>Format 2 is format 1 followed by the journal ({@link EventStreams}): the number of persistence
 * ids, and for each in sorted order the id, its highest sequence number (long), its number of events
 * and for each the sequence number (long) and the event bytes, its number of snapshots and for each
 * the sequence number, the timestamp (longs) and the bytes. Nothing follows. Both formats are read.
 */
final class KvSnapshotCodec {
  static final int FORMAT = 2;
  private static final int FORMAT_WITHOUT_JOURNAL = 1;

  private static final int WRITTEN = 1;
  private static final int DELETED = 2;
  private static final int CONFLICT = 3;
  private static final int UNKNOWN_TABLE = 4;
  private static final int TOO_LARGE = 5;

  private KvSnapshotCodec() {}

  static byte[] write(KvStateMachine machine) {
    var out = new WireWriter(4096);
    out.writeByte(FORMAT);
    out.writeLong(machine.lastAppliedSeq());
    var tables = new TreeMap<>(machine.tables());
    out.writeVarInt(tables.size());
    for (var table : tables.entrySet()) {
      out.writeString(table.getKey(), "table name");
      var rows = new TreeMap<>(table.getValue());
      out.writeVarInt(rows.size());
      for (var row : rows.entrySet()) {
        out.writeString(row.getKey(), "key");
        out.writeLong(row.getValue().version());
        out.writeBytes(row.getValue().value());
      }
    }
    Map<Long, TreeMap<Long, KvResult>> clients = machine.requests().byClient();
    out.writeVarInt(clients.size());
    for (var client : clients.entrySet()) {
      out.writeLong(client.getKey());
      out.writeVarInt(client.getValue().size());
      for (var remembered : client.getValue().entrySet()) {
        out.writeLong(remembered.getKey());
        writeResult(out, remembered.getValue());
      }
    }
    var streams = new TreeMap<>(machine.journal().streams());
    out.writeVarInt(streams.size());
    for (var stream : streams.entrySet()) {
      out.writeString(stream.getKey(), "persistence id");
      out.writeLong(stream.getValue().highestSeqNr);
      out.writeVarInt(stream.getValue().events.size());
      for (var event : stream.getValue().events.entrySet()) {
        out.writeLong(event.getKey());
        out.writeBytes(event.getValue());
      }
      out.writeVarInt(stream.getValue().snapshots.size());
      for (EventStreams.Snapshot snapshot : stream.getValue().snapshots.values()) {
        out.writeLong(snapshot.seqNr());
        out.writeLong(snapshot.timestamp());
        out.writeBytes(snapshot.bytes());
      }
    }
    return out.toByteArray();
  }

  static void readInto(byte[] snapshot, KvStateMachine machine) {
    var in = new WireReader(snapshot, "kv snapshot");
    if (snapshot.length == 0) {
      throw in.malformed("the snapshot is empty");
    }
    int format = in.readByte("format");
    if (format != FORMAT && format != FORMAT_WITHOUT_JOURNAL) {
      throw in.malformed("unsupported format " + format + "; this node reads formats " + FORMAT_WITHOUT_JOURNAL
          + " and " + FORMAT);
    }
    long lastApplied = in.readLong("last applied seq");
    if (lastApplied < 0) {
      throw in.malformed("negative last applied seq " + lastApplied);
    }
    machine.restoreLastAppliedSeq(lastApplied);
    int tableCount = in.readCount("table count", 2);
    for (int t = 0; t < tableCount; t++) {
      String table = in.readString("table name");
      int rowCount = in.readCount("key count of table " + table, 10);
      for (int r = 0; r < rowCount; r++) {
        String key = in.readString("key");
        long version = in.readLong("version of " + table + "/" + key);
        byte[] value = in.readBytes("value of " + table + "/" + key);
        machine.restoreValue(table, key, new KvStateMachine.Stored(value, version));
      }
    }
    int clientCount = in.readCount("client count", 9);
    for (int c = 0; c < clientCount; c++) {
      long client = in.readLong("client");
      int resultCount = in.readCount("result count of client " + client, 9);
      var window = new TreeMap<Long, KvResult>();
      for (int r = 0; r < resultCount; r++) {
        long sequence = in.readLong("request sequence");
        window.put(sequence, readResult(in));
      }
      machine.requests().keep(client, window);
    }
    if (format == FORMAT) {
      readJournal(in, machine.journal());
    }
    in.expectEnd();
  }

  private static void readJournal(WireReader in, EventStreams journal) {
    int streamCount = in.readCount("persistence id count", 11);
    for (int s = 0; s < streamCount; s++) {
      String id = in.readString("persistence id");
      var stream = new EventStreams.Stream();
      stream.highestSeqNr = in.readLong("highest sequence number of " + id);
      int eventCount = in.readCount("event count of " + id, 9);
      for (int e = 0; e < eventCount; e++) {
        stream.events.put(in.readLong("event sequence number"), in.readBytes("event of " + id));
      }
      int snapshotCount = in.readCount("snapshot count of " + id, 17);
      for (int n = 0; n < snapshotCount; n++) {
        long seqNr = in.readLong("snapshot sequence number");
        stream.snapshots.put(seqNr, new EventStreams.Snapshot(seqNr, in.readLong("snapshot timestamp"),
            in.readBytes("snapshot of " + id)));
      }
      journal.streams().put(id, stream);
    }
  }

  private static void writeResult(WireWriter out, KvResult result) {
    if (result instanceof KvResult.Written w) {
      out.writeByte(WRITTEN);
      out.writeLong(w.version());
      out.writeLong(w.seq());
    } else if (result instanceof KvResult.Deleted d) {
      out.writeByte(DELETED);
      out.writeLong(d.seq());
    } else if (result instanceof KvResult.Conflict c) {
      out.writeByte(CONFLICT);
      out.writeLong(c.expectedVersion());
      out.writeByte(c.currentVersion().isPresent() ? 1 : 0);
      out.writeLong(c.currentVersion().orElse(0));
    } else {
      Rejection rejection = ((KvResult.Rejected) result).rejection();
      if (rejection instanceof Rejection.UnknownTable u) {
        out.writeByte(UNKNOWN_TABLE);
        out.writeString(u.table(), "table name");
      } else if (rejection instanceof Rejection.TooLarge t) {
        out.writeByte(TOO_LARGE);
        out.writeLong(t.size());
        out.writeLong(t.max());
      } else {
        // Expired requests are answered but never remembered.
        throw new IllegalStateException("not a remembered result: " + result);
      }
    }
  }

  private static KvResult readResult(WireReader in) {
    int tag = in.readByte("result tag");
    if (tag == WRITTEN) {
      return new KvResult.Written(in.readLong("version"), in.readLong("seq"));
    }
    if (tag == DELETED) {
      return new KvResult.Deleted(in.readLong("seq"));
    }
    if (tag == CONFLICT) {
      long expected = in.readLong("expected version");
      int present = in.readByte("current version present");
      long current = in.readLong("current version");
      if (present > 1) {
        throw in.malformed("current version present flag " + present + " is not 0 or 1");
      }
      return new KvResult.Conflict(expected, present == 1 ? OptionalLong.of(current) : OptionalLong.empty());
    }
    if (tag == UNKNOWN_TABLE) {
      return new KvResult.Rejected(new Rejection.UnknownTable(in.readString("table name")));
    }
    if (tag == TOO_LARGE) {
      return new KvResult.Rejected(new Rejection.TooLarge(in.readLong("size"), in.readLong("max")));
    }
    throw in.malformed("unknown result tag " + tag);
  }
}
