package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import dev.cohort.persistence.RocksDbLogLayout.Chunk;
import dev.cohort.persistence.RocksDbLogLayout.PartitionKeys;
import dev.cohort.persistence.RocksDbLogLayout.PartitionRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * A handle on one partition's log in a {@link RocksDbLogStorage}; the layout is {@link
 * RocksDbLogLayout}'s.
 *
 * <p>Each mutation is one RocksDB {@link WriteBatch}, so readers see it whole or not at all. The
 * writer keeps the log's bounds in {@link #tip}, published after each write, for the cheap reading
 * methods. {@link #read} and {@link #epochAt} do not use the tip: they answer from one RocksDB iterator,
 * whose view of the database is fixed when it is made, and look at the partition record through the
 * same iterator when they need the base. So they always answer from one consistent state of the log,
 * although it may be a mutation newer than the tip.
 */
final class RocksDbPartitionLog implements PartitionLog {
  /**
   * Most chunks a mutation deletes one key at a time; above it, one range deletion. Point deletes
   * keep reads fast; a range deletion keeps a large compaction or reset one small write.
   */
  static final int MAX_POINT_DELETES = 1024;

  /** The first entries a read's list is sized for, so that a small read does not allocate for the limit. */
  private static final int INITIAL_READ_CAPACITY = 64;

  /** The log's bounds and meta as the writer last wrote them; immutable, replaced whole. */
  private record Tip(long baseSeq, long baseEpoch, long lastSeq, long lastEpoch, PartitionMeta meta) {
    Tip withLast(long seq, long epoch) {
      return new Tip(baseSeq, baseEpoch, seq, epoch, meta);
    }

    PartitionRecord record() {
      return new PartitionRecord(baseSeq, baseEpoch, meta);
    }
  }

  private final PartitionId partition;
  private final PartitionKeys keys;
  private final RocksDbLogStorage storage;
  private final RocksDbDatabase database;
  private final Consumer<RocksDbPartitionLog> onClose;
  // Native objects of this handle, freed by close() while no use of the database is in flight.
  private final Slice upperBound;
  private final ReadOptions readOptions;
  private final WriteBatch batch; // the writer's, reused: one mutation at a time
  private volatile Tip tip;
  private volatile boolean closed;

  private RocksDbPartitionLog(PartitionKeys keys, RocksDbLogStorage storage, Tip tip,
      Consumer<RocksDbPartitionLog> onClose) {
    this.partition = keys.partition();
    this.keys = keys;
    this.storage = storage;
    this.database = storage.database();
    this.onClose = onClose;
    this.tip = tip;
    this.upperBound = new Slice(keys.end());
    this.readOptions = new ReadOptions().setIterateUpperBound(upperBound);
    this.batch = new WriteBatch();
  }

  /**
   * Opens the log of {@code keys.partition()}: creates it (its directory entry and record) if {@code
   * create}, else reads it. Call it inside a use of the storage's database.
   */
  static RocksDbPartitionLog open(PartitionKeys keys, boolean create, RocksDbLogStorage storage,
      Consumer<RocksDbPartitionLog> onClose) {
    RocksDbDatabase database = storage.database();
    PartitionId partition = keys.partition();
    PartitionRecord record;
    if (create) {
      record = PartitionRecord.NEW;
      try (WriteBatch created = new WriteBatch()) {
        created.put(keys.directory(), keys.number());
        created.put(keys.record(), record.encode());
        storage.write(created, "create the log of partition " + partition);
      } catch (RocksDBException e) {
        throw database.failure("create the log of partition " + partition, e);
      }
    } else {
      byte[] value = database.get(keys.record(), "read the log record of partition " + partition);
      if (value == null) {
        throw new IllegalStateException("the log of partition " + partition
            + " is in the directory but has no record; the storage is damaged");
      }
      record = PartitionRecord.decode(partition, value);
    }
    long lastSeq = record.baseSeq();
    long lastEpoch = record.baseEpoch();
    try (ReadOptions bounded = new ReadOptions(); Slice end = new Slice(keys.end())) {
      bounded.setIterateUpperBound(end);
      try (RocksIterator it = database.db.newIterator(bounded)) {
        it.seekToLast();
        Chunk last = chunkAt(it, keys);
        if (last != null) {
          lastSeq = last.lastSeq();
          lastEpoch = last.epoch(lastSeq);
        }
        checkIterator(it, database, "find the last entry of partition " + partition);
      }
    }
    if (lastSeq < record.baseSeq()) {
      throw new IllegalStateException("the log of partition " + partition + " ends at seq " + lastSeq
          + ", below its base at seq " + record.baseSeq() + "; the storage is damaged");
    }
    Tip tip = new Tip(record.baseSeq(), record.baseEpoch(), lastSeq, lastEpoch, record.meta());
    return new RocksDbPartitionLog(keys, storage, tip, onClose);
  }

  @Override
  public PartitionId partition() {
    return partition;
  }

  // ---- the writer ----

  @Override
  public void append(List<LogEntry> entries) {
    append(entries, null);
  }

  /** Appends {@code entries} and, unless {@code meta} is null, replaces the meta, in one write batch. */
  @Override
  public void append(List<LogEntry> entries, PartitionMeta meta) {
    // Copy first: validation and storage must see the same list even if the caller changes it.
    List<LogEntry> copy = List.copyOf(entries);
    if (meta != null) {
      LogRules.checkMetaGiven(partition, meta);
    }
    if (copy.isEmpty()) {
      if (meta != null) {
        writeMeta(meta);
      }
      return;
    }
    enter();
    try {
      Tip current = tip;
      LogRules.checkContinues(partition, copy, current.lastSeq(), current.lastEpoch());
      LogEntry last = copy.get(copy.size() - 1);
      Tip next = current.withLast(last.seq(), last.epoch());
      batch.clear();
      BatchBuffers buffers = BatchBuffers.ofThisThread();
      for (int from = 0, count; from < copy.size(); from += count) {
        count = Chunk.nextChunkSize(copy, from);
        int first = from;
        int chunkSize = count;
        buffers.put(batch, keys.chunk(copy.get(from + count - 1).seq()), Chunk.encodedBytes(copy, from, count),
            out -> Chunk.encode(copy, first, chunkSize, out));
      }
      if (meta != null) {
        LogRules.checkPromise(partition, current.meta(), meta);
        next = new Tip(next.baseSeq(), next.baseEpoch(), next.lastSeq(), next.lastEpoch(), meta);
        buffers.put(batch, keys.record(), next.record().encode());
      }
      storage.write(batch, "append to the log of partition " + partition);
      tip = next;
    } catch (RocksDBException e) {
      throw database.failure("append to the log of partition " + partition, e);
    } finally {
      exit();
    }
  }


  @Override
  public void truncateAfter(long seq) {
    LogRules.checkNotNegative(partition, "truncate after", seq);
    enter();
    try {
      Tip current = tip;
      if (seq >= current.lastSeq()) {
        return;
      }
      LogRules.checkTruncation(partition, seq, current.baseSeq(), current.meta().committedSeq());
      long epoch = current.baseEpoch();
      batch.clear();
      try (RocksIterator it = database.db.newIterator(readOptions)) {
        Chunk cut = seq > current.baseSeq() ? retainedChunk(it, seq) : null;
        deleteChunks(it, seq + 1, current.lastSeq()); // the cut chunk too, if it ends past seq
        if (cut != null) {
          epoch = cut.epoch(seq);
          if (cut.lastSeq() > seq) {
            batch.put(keys.chunk(seq), cut.encodeRange(cut.firstSeq(), seq)); // keeps its head
          }
        }
      }
      storage.write(batch, "truncate the log of partition " + partition);
      tip = current.withLast(seq, epoch);
    } catch (RocksDBException e) {
      throw database.failure("truncate the log of partition " + partition, e);
    } finally {
      exit();
    }
  }

  @Override
  public void compactUpTo(long seq) {
    LogRules.checkNotNegative(partition, "compact up to", seq);
    enter();
    try {
      Tip current = tip;
      LogRules.checkCompactionWithinLog(partition, seq, current.lastSeq());
      if (seq <= current.baseSeq()) {
        return;
      }
      batch.clear();
      long baseEpoch;
      try (RocksIterator it = database.db.newIterator(readOptions)) {
        Chunk cut = retainedChunk(it, seq);
        baseEpoch = cut.epoch(seq);
        deleteChunks(it, current.baseSeq() + 1, seq); // the cut chunk too, if it ends at seq
        if (cut.lastSeq() > seq) {
          batch.put(keys.chunk(cut.lastSeq()), cut.encodeRange(seq + 1, cut.lastSeq())); // keeps its tail
        }
      }
      Tip next = new Tip(seq, baseEpoch, current.lastSeq(), current.lastEpoch(), current.meta());
      batch.put(keys.record(), next.record().encode());
      storage.write(batch, "compact the log of partition " + partition);
      tip = next;
    } catch (RocksDBException e) {
      throw database.failure("compact the log of partition " + partition, e);
    } finally {
      exit();
    }
  }

  @Override
  public void resetTo(long seq, long epoch) {
    LogRules.checkResetPoint(partition, seq, epoch);
    enter();
    try {
      Tip current = tip;
      Tip next = new Tip(seq, epoch, seq, epoch, current.meta());
      batch.clear();
      try (RocksIterator it = database.db.newIterator(readOptions)) {
        deleteChunks(it, current.baseSeq() + 1, current.lastSeq());
      }
      batch.put(keys.record(), next.record().encode());
      storage.write(batch, "reset the log of partition " + partition);
      tip = next;
    } catch (RocksDBException e) {
      throw database.failure("reset the log of partition " + partition, e);
    } finally {
      exit();
    }
  }

  @Override
  public void writeMeta(PartitionMeta meta) {
    LogRules.checkMetaGiven(partition, meta);
    enter();
    try {
      Tip current = tip;
      LogRules.checkPromise(partition, current.meta(), meta);
      Tip next = new Tip(current.baseSeq(), current.baseEpoch(), current.lastSeq(), current.lastEpoch(), meta);
      batch.clear();
      batch.put(keys.record(), next.record().encode());
      storage.write(batch, "write the meta of partition " + partition);
      tip = next;
    } catch (RocksDBException e) {
      throw database.failure("write the meta of partition " + partition, e);
    } finally {
      exit();
    }
  }

  /**
   * Adds to {@link #batch} the deletion of the chunks that end in {@code [fromSeq, toSeq]}, as
   * {@code it} sees them; nothing if the range is empty.
   */
  private void deleteChunks(RocksIterator it, long fromSeq, long toSeq) throws RocksDBException {
    if (toSeq < fromSeq) {
      return;
    }
    List<byte[]> found = new ArrayList<>();
    for (it.seek(keys.chunk(fromSeq)); it.isValid(); it.next()) {
      byte[] key = it.key();
      if (!keys.isChunk(key) || keys.lastSeqOf(key) > toSeq) {
        break;
      }
      if (found.size() == MAX_POINT_DELETES) {
        batch.deleteRange(keys.chunk(fromSeq), keys.chunk(toSeq + 1));
        return;
      }
      found.add(key);
    }
    checkIterator(it, database, "find the entries to drop from the log of partition " + partition);
    for (byte[] key : found) {
      batch.delete(key);
    }
  }

  /**
   * The chunk holding the retained entry at {@code seq}, as the writer sees it.
   *
   * @throws IllegalStateException if there is none: the storage is damaged
   */
  private Chunk retainedChunk(RocksIterator it, long seq) {
    Chunk chunk = chunkHolding(it, seq);
    if (chunk == null) {
      throw new IllegalStateException("the log of partition " + partition + " lacks its entry at seq " + seq
          + " between seq " + (tip.baseSeq() + 1) + " and seq " + tip.lastSeq() + "; the storage is damaged");
    }
    return chunk;
  }

  // ---- readers ----

  @Override
  public List<LogEntry> read(long fromSeq, int maxEntries, long maxBytes) {
    LogRules.checkReadArguments(partition, fromSeq, maxEntries, maxBytes);
    enter();
    try (RocksIterator it = database.db.newIterator(readOptions)) {
      Chunk chunk = chunkHolding(it, fromSeq);
      if (chunk == null) {
        checkIterator(it, database, "read the log of partition " + partition);
        // No entry at fromSeq in this view: either compacted (at or below the base) or past the end.
        long baseSeq = baseIn(it).baseSeq();
        if (fromSeq <= baseSeq) {
          throw new LogCompactedException(partition, "read from", fromSeq, baseSeq + 1);
        }
        return List.of();
      }
      List<LogEntry> out = new ArrayList<>(Math.min(maxEntries, INITIAL_READ_CAPACITY));
      long bytes = 0;
      for (long seq = fromSeq; out.size() < maxEntries; seq++) {
        if (!chunk.holds(seq)) {
          it.next();
          chunk = chunkAt(it, keys);
          if (chunk == null) {
            break; // the end of the log
          }
          if (chunk.firstSeq() != seq) {
            throw new IllegalStateException("the log of partition " + partition + " goes from seq " + (seq - 1)
                + " to seq " + chunk.firstSeq() + "; the storage is damaged");
          }
        }
        bytes += chunk.sizeInBytes(seq);
        if (bytes > maxBytes && !out.isEmpty()) {
          break;
        }
        out.add(chunk.entry(seq));
      }
      checkIterator(it, database, "read the log of partition " + partition);
      return Collections.unmodifiableList(out);
    } finally {
      exit();
    }
  }

  @Override
  public OptionalLong epochAt(long seq) {
    enter();
    try (RocksIterator it = database.db.newIterator(readOptions)) {
      Chunk chunk = seq >= 1 ? chunkHolding(it, seq) : null;
      if (chunk != null) {
        return OptionalLong.of(chunk.epoch(seq));
      }
      PartitionRecord record = baseIn(it);
      return seq == record.baseSeq() ? OptionalLong.of(record.baseEpoch()) : OptionalLong.empty();
    } finally {
      exit();
    }
  }

  /**
   * The chunk holding the entry at {@code seq} in {@code it}'s view, or null if the log holds no such
   * entry (compacted, or past the end). Moves {@code it} onto that chunk.
   */
  private Chunk chunkHolding(RocksIterator it, long seq) {
    it.seek(keys.chunk(seq)); // the first chunk ending at or after seq
    Chunk chunk = chunkAt(it, keys);
    return chunk != null && chunk.holds(seq) ? chunk : null;
  }

  /** The chunk {@code it} is on, or null if it is on no chunk of the partition. */
  private static Chunk chunkAt(RocksIterator it, PartitionKeys keys) {
    if (!it.isValid()) {
      return null;
    }
    byte[] key = it.key();
    return keys.isChunk(key) ? Chunk.decode(keys.partition(), keys.lastSeqOf(key), it.value()) : null;
  }

  /** The partition record in the iterator's view: the base consistent with the entries it sees. */
  private PartitionRecord baseIn(RocksIterator it) {
    it.seek(keys.record());
    checkIterator(it, database, "read the log record of partition " + partition);
    if (!it.isValid() || !Arrays.equals(it.key(), keys.record())) {
      throw new IllegalStateException("the log of partition " + partition + " has lost its record; the storage is damaged");
    }
    return PartitionRecord.decode(partition, it.value());
  }

  private static void checkIterator(RocksIterator it, RocksDbDatabase database, String operation) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw database.failure(operation, e);
    }
  }

  @Override
  public long firstSeq() {
    requireOpen();
    return tip.baseSeq() + 1;
  }

  @Override
  public long lastSeq() {
    requireOpen();
    return tip.lastSeq();
  }

  @Override
  public long lastEpoch() {
    requireOpen();
    return tip.lastEpoch();
  }

  @Override
  public PartitionMeta readMeta() {
    requireOpen();
    return tip.meta();
  }

  // ---- lifecycle ----

  @Override
  public void close() {
    if (closed) {
      return;
    }
    // Exclusively: a reader in flight may still use the read options and their bound.
    database.exclusively(() -> {
      if (!closed) {
        closed = true;
        readOptions.close();
        upperBound.close();
        batch.close();
      }
    });
    onClose.accept(this);
  }

  /** Starts a use of the database by this handle; pair it with {@link #exit()}. */
  private void enter() {
    requireOpen();
    database.enter();
    if (closed) {
      database.exit();
      requireOpen();
    }
  }

  private void exit() {
    database.exit();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the log of partition " + partition + " is closed");
    }
  }

  @Override
  public String toString() {
    return "RocksDbPartitionLog[" + partition + " in " + database.dir() + "]";
  }
}
