package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.nio.ByteBuffer;

/**
 * The keys and values of a {@link RocksDbLogStorage}, in one place. All numbers are big-endian, so that
 * RocksDB's bytewise key order is numeric order for the non-negative seqs used here.
 *
 * <pre>
 * [0]                                   format marker       "cohort-partition-log/1"
 * [1] partition [0]                     partition record    baseSeq, baseEpoch, promisedEpoch, committedSeq (4 x 8 bytes)
 * [1] partition [1] seq (8 bytes)       entry               epoch (8 bytes), payload
 *
 * partition = group length (2 bytes), group name (UTF-8), index (4 bytes): RocksDbDatabase.partitionKey
 * </pre>
 *
 * <p>A partition's record and entries are contiguous, from {@code [1] partition [0]} up to, not
 * including, {@code [1] partition [2]}: one range deletes a partition, one iterator bound keeps a read
 * inside it, and the record sits just before the entries so that a reader's iterator can look at both
 * in one consistent view. The length prefix makes partition keys prefix-free, so no partition's range
 * holds another's keys. A log exists exactly when its record does.
 */
final class RocksDbLogLayout {
  /** The format marker's value; a new layout gets a new marker. */
  static final String FORMAT = "cohort-partition-log/1";

  private static final byte PARTITION_TAG = 1;
  private static final byte RECORD_TAG = 0;
  private static final byte ENTRY_TAG = 1;
  /** The tag just past a partition's entries: the exclusive end of its range. */
  private static final byte END_TAG = 2;

  /** Size of the partition record's value. */
  private static final int RECORD_BYTES = 4 * Long.BYTES;

  /** What an entry's value holds before its payload: the epoch. */
  static final int ENTRY_HEADER_BYTES = Long.BYTES;

  private RocksDbLogLayout() {}

  /** The base and meta of one log, as its partition record holds them. */
  record PartitionRecord(long baseSeq, long baseEpoch, PartitionMeta meta) {
    static final PartitionRecord NEW = new PartitionRecord(0, 0, PartitionMeta.EMPTY);

    byte[] encode() {
      return ByteBuffer.allocate(RECORD_BYTES)
          .putLong(baseSeq).putLong(baseEpoch).putLong(meta.promisedEpoch()).putLong(meta.committedSeq())
          .array();
    }

    static PartitionRecord decode(PartitionId partition, byte[] value) {
      if (value.length != RECORD_BYTES) {
        throw new IllegalStateException("the log record of partition " + partition + " has " + value.length
            + " bytes, expected " + RECORD_BYTES + "; the storage is damaged or of another version");
      }
      ByteBuffer in = ByteBuffer.wrap(value);
      return new PartitionRecord(in.getLong(), in.getLong(), new PartitionMeta(in.getLong(), in.getLong()));
    }
  }

  /** The keys of one partition's log; immutable, shared by its handles and the storage. */
  static final class PartitionKeys {
    private final PartitionId partition;
    private final byte[] record;
    private final byte[] end;
    private final int entryPrefixLength;

    PartitionKeys(PartitionId partition) {
      this.partition = partition;
      byte[] partitionKey = RocksDbDatabase.partitionKey(partition);
      int base = 1 + partitionKey.length;
      this.record = ByteBuffer.allocate(base + 1).put(PARTITION_TAG).put(partitionKey).put(RECORD_TAG).array();
      this.end = record.clone();
      this.end[base] = END_TAG;
      this.entryPrefixLength = base + 1;
    }

    PartitionId partition() {
      return partition;
    }

    /** The partition record's key, also the first key of the partition's range. */
    byte[] record() {
      return record.clone();
    }

    /** The exclusive end of the partition's range. */
    byte[] end() {
      return end.clone();
    }

    /** Length of an entry key. */
    int entryKeyLength() {
      return entryPrefixLength + Long.BYTES;
    }

    /** A new key of the entry at {@code seq}. */
    byte[] entry(long seq) {
      byte[] key = new byte[entryKeyLength()];
      return entry(seq, key);
    }

    /** Writes the key of the entry at {@code seq} into {@code key}, of {@link #entryKeyLength()} bytes. */
    byte[] entry(long seq, byte[] key) {
      System.arraycopy(record, 0, key, 0, entryPrefixLength - 1);
      key[entryPrefixLength - 1] = ENTRY_TAG;
      ByteBuffer.wrap(key, entryPrefixLength, Long.BYTES).putLong(seq);
      return key;
    }

    /** Whether {@code key}, of length {@code length}, is an entry key of this partition. */
    boolean isEntry(byte[] key, int length) {
      if (length != entryKeyLength()) {
        return false;
      }
      for (int i = 0; i < entryPrefixLength - 1; i++) {
        if (key[i] != record[i]) {
          return false;
        }
      }
      return key[entryPrefixLength - 1] == ENTRY_TAG;
    }

    /** The seq in an entry key. */
    long seqOf(byte[] key) {
      return ByteBuffer.wrap(key, entryPrefixLength, Long.BYTES).getLong();
    }
  }

  /** The first key of every partition's range: where a scan of all partitions starts. */
  static byte[] firstPartitionKey() {
    return new byte[] {PARTITION_TAG};
  }

  /**
   * The partition whose record {@code key} is, or null if {@code key} is not a partition record (an
   * entry, or a key past the partitions).
   */
  static PartitionId recordPartition(byte[] key) {
    if (key.length < 1 + Short.BYTES || key[0] != PARTITION_TAG) {
      return null;
    }
    PartitionId partition = RocksDbDatabase.partitionAt(key, 1);
    if (partition == null || key.length != 1 + RocksDbDatabase.partitionKeyLength(key, 1) + 1
        || key[key.length - 1] != RECORD_TAG) {
      return null;
    }
    return partition;
  }

  /** The epoch in an entry's value. */
  static long epochOf(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }

  /** An entry's value: its epoch, then its payload. */
  static byte[] entryValue(LogEntry entry) {
    byte[] value = new byte[ENTRY_HEADER_BYTES + entry.payloadLength()];
    ByteBuffer.wrap(value).putLong(entry.epoch()).put(entry.payloadBuffer());
    return value;
  }
}
