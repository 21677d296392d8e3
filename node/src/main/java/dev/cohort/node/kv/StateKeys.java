package dev.cohort.node.kv;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where a partition's state machine keeps each part of its state in the partition's {@link
 * dev.cohort.persistence.StateStore}: a tag byte, then the part's own key. Strings are written with
 * their length first, so that one persistence id's keys never run into another's.
 *
 * <ul>
 *   <li>{@code [1] table key}: a key-value row; the value is the version (long) and the value bytes.
 *   <li>{@code [2] client sequence}: a remembered request result ({@link KvResultCodec}).
 *   <li>{@code [3] client}: the seq of the entry that carried the client's last new request (long),
 *       which orders the clients for forgetting the least recent.
 *   <li>{@code [4] persistence-id seqNr}: a journal event.
 *   <li>{@code [5] persistence-id}: the persistence id's highest sequence number (long).
 *   <li>{@code [6] persistence-id seqNr}: a journal snapshot; the value is the timestamp (long) and
 *       the snapshot bytes.
 * </ul>
 *
 * Longs are big-endian, so sequence numbers (never negative) sort as numbers.
 */
final class StateKeys {
  static final byte ROW = 1;
  static final byte REQUEST = 2;
  static final byte CLIENT = 3;
  static final byte EVENT = 4;
  static final byte HIGHEST = 5;
  static final byte SNAPSHOT = 6;

  private StateKeys() {}

  static byte[] row(String table, String key) {
    var out = new WireWriter(2 + table.length() + key.length() * 3);
    out.writeByte(ROW);
    out.writeString(table, "table name");
    out.writeString(key, "key");
    return out.toByteArray();
  }

  static byte[] request(long client, long sequence) {
    return ByteBuffer.allocate(1 + 2 * Long.BYTES).put(REQUEST).putLong(client).putLong(sequence).array();
  }

  static byte[] client(long client) {
    return ByteBuffer.allocate(1 + Long.BYTES).put(CLIENT).putLong(client).array();
  }

  /** The key of a persistence id's part of type {@code tag} ({@link #EVENT}, {@link #HIGHEST}, {@link #SNAPSHOT}). */
  static byte[] stream(byte tag, String persistenceId) {
    var out = new WireWriter(2 + persistenceId.length() * 3);
    out.writeByte(tag);
    out.writeString(persistenceId, "persistence id");
    return out.toByteArray();
  }

  /** {@code prefix} followed by {@code seqNr}: one event or snapshot of a persistence id. */
  static byte[] numbered(byte[] prefix, long seqNr) {
    return ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(seqNr).array();
  }

  /** The seqNr at the end of a key made by {@link #numbered}. */
  static long seqNrOf(byte[] key) {
    return readLong(key, key.length - Long.BYTES);
  }

  /** The first key after every key that starts with {@code tag}. */
  static byte[] afterTag(byte tag) {
    return new byte[] {(byte) (tag + 1)};
  }

  /**
   * The first key after the numbered keys of {@code prefix} up to {@code lastSeqNr}: numbers are
   * never negative, so past {@link Long#MAX_VALUE} is the prefix with the sign bit's byte.
   */
  static byte[] afterNumber(byte[] prefix, long lastSeqNr) {
    if (lastSeqNr < Long.MAX_VALUE) {
      return numbered(prefix, lastSeqNr + 1);
    }
    byte[] end = Arrays.copyOf(prefix, prefix.length + 1);
    end[prefix.length] = (byte) 0x80;
    return end;
  }

  /** The long at {@code offset} of {@code bytes}. */
  static long readLong(byte[] bytes, int offset) {
    return ByteBuffer.wrap(bytes, offset, Long.BYTES).getLong();
  }

  static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }
}
