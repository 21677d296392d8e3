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
 * [0]                                   format marker       "cohort-partition-log/3"
 * [1] partition                         directory entry     the partition's number in this storage (4 bytes)
 * [2] number [0]                        partition record    baseSeq, baseEpoch, promisedEpoch, committedSeq (4 x 8 bytes)
 * [2] number [1] seq (8 bytes)          chunk               the entries up to seq: count (4 bytes), then per entry
 *                                                           its epoch (8 bytes) and payload length (4 bytes), then
 *                                                           the payloads one after another
 *
 * partition = group length (2 bytes), group name (UTF-8), index (4 bytes): RocksDbDatabase.partitionKey
 * number    = 4 bytes, given to a partition when its log is created
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
 * <p>A log's record and chunks sit under its number rather than under the partition's own bytes, so
 * that their first {@link #INSERT_HINT_PREFIX_BYTES} bytes (tag, number, record or chunk tag) are the
 * same for every write of one kind to one log and differ between logs and kinds: RocksDB keeps an
 * insert position per such prefix in its memtable ({@code memtable_insert_with_hint_prefix_extractor}),
 * so an append, which always lands just past the log's last chunk, and a record update each start
 * from where the last one of their log went instead of searching the memtable of every partition from
 * its top. The directory entry names the number; a log exists exactly when its directory entry does,
 * and they are written and deleted in one batch with its record.
 *
 * <p>A log's record and chunks are contiguous, from {@code [2] number [0]} up to, not including,
 * {@code [2] number [2]}: one range deletes them, one iterator bound keeps a read inside them, and the
 * record sits just before the chunks so that a reader's iterator can look at both in one consistent
 * view.
 */
final class RocksDbLogLayout {
  /** The format marker's value; a new layout gets a new marker. */
  static final String FORMAT = "cohort-partition-log/3";

  /**
   * How many leading bytes of a key name the memtable insert position RocksDB keeps for it: the tag,
   * the number and the record or chunk tag of a log's keys.
   */
  static final int INSERT_HINT_PREFIX_BYTES = 1 + Integer.BYTES + 1;

  private static final byte DIRECTORY_TAG = 1;
  private static final byte LOG_TAG = 2;
  private static final byte RECORD_TAG = 0;
  private static final byte CHUNK_TAG = 1;
  /** The tag just past a log's chunks: the exclusive end of its range. */
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
    private final int number;
    private final byte[] record;
    private final byte[] end;

    /** The keys of {@code partition}'s log under {@code number}. */
    PartitionKeys(PartitionId partition, int number) {
      this.partition = partition;
      this.number = number;
      this.record = ByteBuffer.allocate(INSERT_HINT_PREFIX_BYTES).put(LOG_TAG).putInt(number).put(RECORD_TAG).array();
      this.end = record.clone();
      this.end[INSERT_HINT_PREFIX_BYTES - 1] = END_TAG;
    }

    PartitionId partition() {
      return partition;
    }

    /** The log's number, as its directory entry holds it. */
    byte[] number() {
      return ByteBuffer.allocate(Integer.BYTES).putInt(number).array();
    }

    /** The key of the partition's directory entry. */
    byte[] directory() {
      return directoryKey(partition);
    }

    /** The partition record's key, also the first key of the log's range. */
    byte[] record() {
      return record.clone();
    }

    /** The exclusive end of the log's range. */
    byte[] end() {
      return end.clone();
    }

    /** The key of the chunk whose last entry is at {@code lastSeq}. */
    byte[] chunk(long lastSeq) {
      byte[] key = Arrays.copyOf(record, INSERT_HINT_PREFIX_BYTES + Long.BYTES);
      key[INSERT_HINT_PREFIX_BYTES - 1] = CHUNK_TAG;
      ByteBuffer.wrap(key, INSERT_HINT_PREFIX_BYTES, Long.BYTES).putLong(lastSeq);
      return key;
    }

    /** Whether {@code key} is a chunk key of this log. */
    boolean isChunk(byte[] key) {
      return key.length == INSERT_HINT_PREFIX_BYTES + Long.BYTES
          && Arrays.equals(key, 0, INSERT_HINT_PREFIX_BYTES - 1, record, 0, INSERT_HINT_PREFIX_BYTES - 1)
          && key[INSERT_HINT_PREFIX_BYTES - 1] == CHUNK_TAG;
    }

    /** The seq of the last entry in the chunk of key {@code key}. */
    long lastSeqOf(byte[] key) {
      return ByteBuffer.wrap(key, INSERT_HINT_PREFIX_BYTES, Long.BYTES).getLong();
    }
  }

  /** The key of {@code partition}'s directory entry. */
  static byte[] directoryKey(PartitionId partition) {
    byte[] partitionKey = RocksDbDatabase.partitionKey(partition);
    return ByteBuffer.allocate(1 + partitionKey.length).put(DIRECTORY_TAG).put(partitionKey).array();
  }

  /** The first directory key: where a scan of every partition's entry starts. */
  static byte[] firstDirectoryKey() {
    return new byte[] {DIRECTORY_TAG};
  }

  /** The exclusive end of the directory. */
  static byte[] directoryEnd() {
    return new byte[] {DIRECTORY_TAG + 1};
  }

  /**
   * The partition whose directory entry has key {@code key}.
   *
   * @throws IllegalStateException if the key is not one: the storage is damaged
   */
  static PartitionId directoryPartition(byte[] key) {
    PartitionId partition = key.length > 1 && key[0] == DIRECTORY_TAG ? RocksDbDatabase.partitionAt(key, 1) : null;
    if (partition == null || key.length != 1 + RocksDbDatabase.partitionKeyLength(key, 1)) {
      throw new IllegalStateException("the log storage's directory holds the key " + Arrays.toString(key)
          + ", which names no partition; the storage is damaged");
    }
    return partition;
  }

  /**
   * The number in the directory entry of {@code partition} whose value is {@code value}.
   *
   * @throws IllegalStateException if the value is not a number: the storage is damaged
   */
  static int decodeNumber(PartitionId partition, byte[] value) {
    if (value.length != Integer.BYTES) {
      throw new IllegalStateException("the directory entry of partition " + partition + " has " + value.length
          + " bytes, expected " + Integer.BYTES + "; the storage is damaged");
    }
    return ByteBuffer.wrap(value).getInt();
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
      ByteBuffer out = ByteBuffer.allocate(encodedBytes(entries, from, count));
      encode(entries, from, count, out);
      return out.array();
    }

    /** The size of the chunk of {@code count} entries of {@code entries} from {@code from}. */
    static int encodedBytes(List<LogEntry> entries, int from, int count) {
      int bytes = CHUNK_COUNT_BYTES + count * CHUNK_ENTRY_HEADER_BYTES;
      for (int i = from; i < from + count; i++) {
        bytes += entries.get(i).payloadLength();
      }
      return bytes;
    }

    /** Writes the chunk of {@code count} entries of {@code entries} from {@code from} into {@code out}. */
    static void encode(List<LogEntry> entries, int from, int count, ByteBuffer out) {
      out.putInt(count);
      for (int i = from; i < from + count; i++) {
        out.putLong(entries.get(i).epoch()).putInt(entries.get(i).payloadLength());
      }
      for (int i = from; i < from + count; i++) {
        out.put(entries.get(i).payloadBuffer());
      }
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
