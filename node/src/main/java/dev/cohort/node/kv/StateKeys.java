package dev.cohort.node.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a partition's state machine keeps each part of its state in the partition's {@link
 * dev.cohort.persistence.StateStore}: a tag byte, then the part's own key. Strings are written with
 * their length first, so that one persistence id's keys never run into another's.
 *
 * <ul>
 *   <li>{@code [1] table key}: a key-value row; the value is the version (long) and the value bytes.
 *   <li>{@code [2] client chunk}: a chunk of the client's remembered request results ({@link
 *       RequestMemory}): their count (varint), then for each the request sequence (long), the seq of
 *       the entry that applied it (long) and the result ({@link KvResultCodec}).
 *   <li>{@code [3] persistence-id seqNr}: a journal event.
 *   <li>{@code [4] persistence-id}: the persistence id's highest sequence number (long).
 *   <li>{@code [5] persistence-id seqNr}: a journal snapshot; the value is the timestamp (long) and
 *       the snapshot bytes.
 * </ul>
 *
 * Longs are big-endian, so sequence numbers (never negative) sort as numbers.
 */
final class StateKeys {
  static final byte ROW = 1;
  static final byte REQUEST = 2;
  static final byte EVENT = 3;
  static final byte HIGHEST = 4;
  static final byte SNAPSHOT = 5;

  private StateKeys() {}

  /** The key of a row; its table and key are valid Unicode (commands are checked when decoded). */
  static byte[] row(String table, String key) {
    return withStrings(ROW, table, key);
  }

  /** The key of a chunk of a client's remembered results. */
  static byte[] requests(long client, long chunk) {
    return ByteBuffer.allocate(1 + 2 * Long.BYTES).put(REQUEST).putLong(client).putLong(chunk).array();
  }

  /** The key of a persistence id's part of type {@code tag} ({@link #EVENT}, {@link #HIGHEST}, {@link #SNAPSHOT}). */
  static byte[] stream(byte tag, String persistenceId) {
    return withStrings(tag, persistenceId);
  }

  /** {@code tag}, then each string as its UTF-8 length (varint) and bytes. */
  private static byte[] withStrings(byte tag, String... strings) {
    byte[][] encoded = new byte[strings.length][];
    int size = 1;
    for (int i = 0; i < strings.length; i++) {
      encoded[i] = strings[i].getBytes(StandardCharsets.UTF_8);
      size += WireWriter.varIntSize(encoded[i].length) + encoded[i].length;
    }
    var out = new WireWriter(size);
    out.writeByte(tag);
    for (byte[] bytes : encoded) {
      out.writeBytes(bytes);
    }
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
