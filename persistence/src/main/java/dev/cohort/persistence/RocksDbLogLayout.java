package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys and values of a {@link RocksDbLogStorage}, in one place. All numbers are big-endian, so that
 * RocksDB's bytewise key order is numeric order for the non-negative seqs used here.
 *
 * <pre>
 * [0]                                   format marker       "cohort-partition-log/2"
 * [1] partition [0]                     partition record    baseSeq, baseEpoch, promisedEpoch, committedSeq (4 x 8 bytes)
 * [1] partition [1] seq (8 bytes)       chunk               the entries up to seq: count (4 bytes), then per entry
 *                                                           its epoch (8 bytes) and payload length (4 bytes), then
 *                                                           the payloads one after another
 *
 * partition = group length (2 bytes), group name (UTF-8), index (4 bytes): RocksDbDatabase.partitionKey
 * </pre>
 *
 * <p>An append stores its entries in chunks of up to {@link #MAX_CHUNK_ENTRIES} entries and {@link
 * #MAX_CHUNK_BYTES} payload bytes, one key each, rather than one key per entry: most entries live only
 * until the next compaction, and each key costs a memtable insert, a write-ahead-log record and later a
 * tombstone, so the log's RocksDB work is per batch, not per entry. The chunks of a log are contiguous
 * (each starts where the one before it ends) and hold exactly the retained entries: a compaction or
 * truncation that cuts through a chunk rewrites what stays of it. A chunk's key is the seq of its
 * last entry, so the chunk holding seq s is the first at or after s's key, found by a forward seek
 * that skips no tombstone of a compacted entry (those all lie below the retained ones).
 *
 * <p>A partition's record and entries are contiguous, from {@code [1] partition [0]} up to, not
 * including, {@code [1] partition [2]}: one range deletes a partition, one iterator bound keeps a read
 * inside it, and the record sits just before the entries so that a reader's iterator can look at both
 * in one consistent view. The length prefix makes partition keys prefix-free, so no partition's range
 * holds another's keys. A log exists exactly when its record does.
 */
final class RocksDbLogLayout {
  /** The format marker's value; a new layout gets a new marker. */
  static final String FORMAT = "cohort-partition-log/2";

  private static final byte PARTITION_TAG = 1;
  private static final byte RECORD_TAG = 0;
  private static final byte CHUNK_TAG = 1;
  /** The tag just past a partition's entries: the exclusive end of its range. */
  private static final byte END_TAG = 2;

  /** Size of the partition record's value. */
  private static final int RECORD_BYTES = 4 * Long.BYTES;

  /**
   * Most entries in one chunk. Large enough that a batch of a loaded partition is one key; small
   * enough that rewriting a chunk cut by a truncation or compaction, or reading a whole chunk for one
   * of its entries, stays cheap.
   */
  static final int MAX_CHUNK_ENTRIES = 256;

  /** Most payload bytes in one chunk, but for a single entry larger than this, which has a chunk alone. */
  static final int MAX_CHUNK_BYTES = 64 * 1024;

  /** A chunk's count, before its per-entry headers. */
  private static final int CHUNK_COUNT_BYTES = Integer.BYTES;

  /** Each entry's header in a chunk: epoch and payload length. */
  private static final int CHUNK_ENTRY_HEADER_BYTES = Long.BYTES + Integer.BYTES;

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
    private final int chunkPrefixLength;

    PartitionKeys(PartitionId partition) {
      this.partition = partition;
      byte[] partitionKey = RocksDbDatabase.partitionKey(partition);
      int base = 1 + partitionKey.length;
      this.record = ByteBuffer.allocate(base + 1).put(PARTITION_TAG).put(partitionKey).put(RECORD_TAG).array();
      this.end = record.clone();
      this.end[base] = END_TAG;
      this.chunkPrefixLength = base + 1;
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

    /** The key of the chunk whose last entry is at {@code lastSeq}. */
    byte[] chunk(long lastSeq) {
      byte[] key = Arrays.copyOf(record, chunkPrefixLength + Long.BYTES);
      key[chunkPrefixLength - 1] = CHUNK_TAG;
      ByteBuffer.wrap(key, chunkPrefixLength, Long.BYTES).putLong(lastSeq);
      return key;
    }

    /** Whether {@code key} is a chunk key of this partition. */
    boolean isChunk(byte[] key) {
      return key.length == chunkPrefixLength + Long.BYTES
          && Arrays.equals(key, 0, chunkPrefixLength - 1, record, 0, chunkPrefixLength - 1)
          && key[chunkPrefixLength - 1] == CHUNK_TAG;
    }

    /** The seq of the last entry in the chunk of key {@code key}. */
    long lastSeqOf(byte[] key) {
      return ByteBuffer.wrap(key, chunkPrefixLength, Long.BYTES).getLong();
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

  /**
   * The entries of one chunk, decoded from its key's seq and its value; copies an entry's payload only
   * when asked for that entry.
   */
  static final class Chunk {
    private final long firstSeq;
    private final byte[] value;
    private final int count;
    private final int[] payloadOffsets; // count + 1 of them: entry i's payload is [offsets[i], offsets[i + 1])

    private Chunk(long firstSeq, byte[] value, int count, int[] payloadOffsets) {
      this.firstSeq = firstSeq;
      this.value = value;
      this.count = count;
      this.payloadOffsets = payloadOffsets;
    }

    /**
     * The chunk stored under the key of {@code lastSeq} with {@code value}.
     *
     * @throws IllegalStateException if the value is not a whole chunk: the storage is damaged
     */
    static Chunk decode(PartitionId partition, long lastSeq, byte[] value) {
      ByteBuffer in = ByteBuffer.wrap(value);
      int count = value.length >= CHUNK_COUNT_BYTES ? in.getInt() : 0;
      long headerBytes = CHUNK_COUNT_BYTES + (long) count * CHUNK_ENTRY_HEADER_BYTES;
      if (count < 1 || count > lastSeq || headerBytes > value.length) {
        throw damaged(partition, lastSeq, value.length + " bytes cannot hold " + count + " entries");
      }
      long firstSeq = lastSeq - count + 1;
      int[] offsets = new int[count + 1];
      long end = headerBytes;
      for (int i = 0; i < count; i++) {
        offsets[i] = (int) end;
        in.position(CHUNK_COUNT_BYTES + i * CHUNK_ENTRY_HEADER_BYTES + Long.BYTES);
        end += in.getInt();
      }
      if (end != value.length) {
        throw damaged(partition, lastSeq, "its entries' lengths add up to " + end + " bytes, its value has "
            + value.length);
      }
      offsets[count] = (int) end;
      return new Chunk(firstSeq, value, count, offsets);
    }

    private static IllegalStateException damaged(PartitionId partition, long lastSeq, String why) {
      return new IllegalStateException("the chunk of entries up to seq " + lastSeq + " in the log of partition "
          + partition + " is damaged: " + why);
    }

    /**
     * The value of a chunk of {@code entries}, which are contiguous: {@code count} of them from {@code
     * from} in the list.
     */
    static byte[] encode(List<LogEntry> entries, int from, int count) {
      int bytes = CHUNK_COUNT_BYTES + count * CHUNK_ENTRY_HEADER_BYTES;
      for (int i = from; i < from + count; i++) {
        bytes += entries.get(i).payloadLength();
      }
      ByteBuffer out = ByteBuffer.allocate(bytes).putInt(count);
      for (int i = from; i < from + count; i++) {
        out.putLong(entries.get(i).epoch()).putInt(entries.get(i).payloadLength());
      }
      for (int i = from; i < from + count; i++) {
        out.put(entries.get(i).payloadBuffer());
      }
      return out.array();
    }

    /** How many entries of {@code entries}, from {@code from}, go into the next chunk: at least one. */
    static int nextChunkSize(List<LogEntry> entries, int from) {
      int count = 1;
      long bytes = entries.get(from).payloadLength();
      while (from + count < entries.size() && count < MAX_CHUNK_ENTRIES
          && bytes + entries.get(from + count).payloadLength() <= MAX_CHUNK_BYTES) {
        bytes += entries.get(from + count).payloadLength();
        count++;
      }
      return count;
    }

    long firstSeq() {
      return firstSeq;
    }

    long lastSeq() {
      return firstSeq + count - 1;
    }

    /** Whether the chunk holds the entry at {@code seq}. */
    boolean holds(long seq) {
      return seq >= firstSeq && seq <= lastSeq();
    }

    /** The epoch of the entry at {@code seq}, which the chunk holds. */
    long epoch(long seq) {
      return ByteBuffer.wrap(value).getLong(CHUNK_COUNT_BYTES + index(seq) * CHUNK_ENTRY_HEADER_BYTES);
    }

    /** What the entry at {@code seq}, which the chunk holds, counts for in byte limits. */
    long sizeInBytes(long seq) {
      int i = index(seq);
      return LogEntry.HEADER_BYTES + payloadOffsets[i + 1] - payloadOffsets[i];
    }

    /** The entry at {@code seq}, which the chunk holds. */
    LogEntry entry(long seq) {
      int i = index(seq);
      return new LogEntry(epoch(seq), seq, Arrays.copyOfRange(value, payloadOffsets[i], payloadOffsets[i + 1]));
    }

    /** The value of the chunk that keeps this one's entries from {@code from} to {@code to}, both held. */
    byte[] encodeRange(long from, long to) {
      List<LogEntry> kept = new ArrayList<>((int) (to - from + 1));
      for (long seq = from; seq <= to; seq++) {
        kept.add(entry(seq));
      }
      return encode(kept, 0, kept.size());
    }

    private int index(long seq) {
      if (!holds(seq)) {
        throw new IllegalArgumentException("the chunk of seqs " + firstSeq + " to " + lastSeq() + " does not hold seq " + seq);
      }
      return (int) (seq - firstSeq);
    }
  }
}
