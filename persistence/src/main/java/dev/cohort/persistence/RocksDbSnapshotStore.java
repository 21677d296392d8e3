package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link SnapshotStore} on disk: one RocksDB database in a directory of its own (not the directory
 * of a {@link RocksDbLogStorage}, so that the two open, sync and close independently).
 *
 * <p>Chunks are streamed to the database as they are written, so a snapshot larger than the heap
 * passes through; they are invisible until {@link SnapshotWriter#commit()} writes the snapshot's info
 * record. The commit syncs the write-ahead log (which holds the chunks) and then writes the info record
 * with a synced write, so it returns only once the whole snapshot is on the device, whatever fsync
 * policy the node's log storage has. Deletions are synced too. Layout, all numbers big-endian:
 *
 * <pre>
 * [0]                                          format marker   "cohort-snapshots/1"
 * [1] partition seq                            info record     epoch, size (8 bytes each), chunk count (4), writer id (8)
 * [2] partition seq writer-id chunk-index      chunk           the chunk's bytes
 * [3] writer-id                                pending marker  seq, partition: a writer not yet committed
 * </pre>
 *
 * <p>({@code partition} as in {@code RocksDbDatabase.partitionKey}, seq and writer id in 8 bytes, chunk
 * index in 4.) The writer id in the chunk keys keeps two writers of the same partition and seq apart
 * (both may run until one commits) and tells the chunks of a deleted snapshot from those of a new one at
 * the same seq. A writer records a pending marker before its first chunk; committing or discarding it
 * removes the marker with the chunks' fate, and opening the store discards the chunks of every writer
 * still pending, left by a crash or by a store closed under a writer.
 *
 * <p>Thread-safe: every method may be called from any thread. A directory has one owner at a time:
 * opening a second store on a directory that is open, in this process or another, is refused.
 */
public final class RocksDbSnapshotStore implements SnapshotStore {
  /** The format marker's value; a new layout gets a new marker. */
  static final String FORMAT = "cohort-snapshots/1";

  private static final String NAME = "snapshot store";
  private static final byte INFO_TAG = 1;
  private static final byte CHUNK_TAG = 2;
  private static final byte PENDING_TAG = 3;
  /** Above the first byte of every seq (seqs are positive longs): the end of a partition's info records. */
  private static final byte PAST_SEQS = (byte) 0xFF;
  /** Size of an info record's value. */
  private static final int INFO_BYTES = Long.BYTES + Long.BYTES + Integer.BYTES + Long.BYTES;

  /** A committed snapshot as its info record holds it. */
  private record Stored(SnapshotInfo info, long writerId) {}

  private final RocksDbDatabase database;
  // Chunks and pending markers are not synced one by one: the commit syncs them all at once.
  private final WriteOptions unsynced;
  private final WriteOptions synced;
  private long nextWriterId; // guarded by this

  private RocksDbSnapshotStore(RocksDbDatabase database) {
    this.database = database;
    this.unsynced = new WriteOptions();
    this.synced = new WriteOptions().setSync(true);
  }

  /**
   * Opens the store in {@code dir}, creating the directory and an empty store if there is none; an
   * existing store is found with every snapshot committed in it, and without the chunks of snapshots
   * that were never committed.
   *
   * @param dir the store's own directory
   * @throws IllegalStateException if another store has the directory open (in this process or
   *     another), or the directory holds something other than a snapshot store
   * @throws UncheckedIOException if the directory cannot be created or opened
   */
  public static RocksDbSnapshotStore open(Path dir) {
    if (dir == null) {
      throw new IllegalArgumentException("a RocksDB snapshot store needs a directory");
    }
    RocksDbSnapshotStore store = new RocksDbSnapshotStore(RocksDbDatabase.open(dir, FORMAT, NAME));
    try {
      store.discardPendingWriters();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** The store's directory, absolute. */
  public Path dir() {
    return database.dir();
  }

  private void discardPendingWriters() {
    long maxWriterId = 0;
    database.enter();
    try (WriteBatch batch = new WriteBatch(); RocksIterator it = database.db.newIterator()) {
      for (it.seek(new byte[] {PENDING_TAG}); it.isValid() && it.key()[0] == PENDING_TAG; it.next()) {
        long writerId = ByteBuffer.wrap(it.key(), 1, Long.BYTES).getLong();
        ByteBuffer pending = ByteBuffer.wrap(it.value());
        long seq = pending.getLong();
        byte[] partitionKey = new byte[pending.remaining()];
        pending.get(partitionKey);
        batch.deleteRange(chunkKey(partitionKey, seq, writerId, 0), chunkKey(partitionKey, seq, writerId + 1, 0));
        batch.delete(it.key());
        maxWriterId = Math.max(maxWriterId, writerId);
      }
      for (it.seek(new byte[] {INFO_TAG}); it.isValid() && it.key()[0] == INFO_TAG; it.next()) {
        maxWriterId = Math.max(maxWriterId, ByteBuffer.wrap(it.value()).getLong(INFO_BYTES - Long.BYTES));
      }
      it.status();
      if (batch.count() > 0) {
        database.write(synced, batch, "discard the chunks of snapshots never committed");
      }
    } catch (RocksDBException e) {
      throw database.failure("discard the chunks of snapshots never committed", e);
    } finally {
      database.exit();
    }
    synchronized (this) {
      nextWriterId = maxWriterId + 1;
    }
  }

  @Override
  public SnapshotWriter create(PartitionId partition, long seq, long epoch) {
    database.enter();
    try {
      SnapshotInfo.checkPoint(partition, seq, epoch);
      byte[] partitionKey = RocksDbDatabase.partitionKey(partition);
      long writerId;
      synchronized (this) {
        Optional<Stored> latest = latestStored(partition, partitionKey);
        if (latest.isPresent() && seq <= latest.get().info().seq()) {
          throw new IllegalArgumentException("partition " + partition + ": a new snapshot must cover more than the"
              + " latest, at seq " + latest.get().info().seq() + ", but was asked for seq " + seq);
        }
        writerId = nextWriterId++;
      }
      byte[] marker = ByteBuffer.allocate(Long.BYTES + partitionKey.length).putLong(seq).put(partitionKey).array();
      try {
        database.db.put(unsynced, pendingKey(writerId), marker);
      } catch (RocksDBException e) {
        throw database.failure("start a snapshot of partition " + partition + " at seq " + seq, e);
      }
      return new Writer(partition, partitionKey, seq, epoch, writerId);
    } finally {
      database.exit();
    }
  }

  @Override
  public Optional<SnapshotInfo> latest(PartitionId partition) {
    database.enter();
    try {
      return latestStored(partition, RocksDbDatabase.partitionKey(partition)).map(Stored::info);
    } finally {
      database.exit();
    }
  }

  @Override
  public byte[] readChunk(SnapshotInfo snapshot, int index) {
    database.enter();
    try {
      byte[] partitionKey = RocksDbDatabase.partitionKey(snapshot.partition());
      byte[] value = database.get(infoKey(partitionKey, snapshot.seq()), "read a snapshot of " + snapshot.partition());
      // Compare the whole description: a snapshot deleted and written again at the same seq is another one.
      Stored stored = value == null ? null : decode(snapshot.partition(), snapshot.seq(), value);
      if (stored == null || !stored.info().equals(snapshot)) {
        throw new SnapshotDeletedException(snapshot);
      }
      if (index < 0 || index >= snapshot.chunkCount()) {
        throw new IndexOutOfBoundsException("the snapshot of " + snapshot.partition() + " at seq " + snapshot.seq()
            + " has chunks 0 to " + (snapshot.chunkCount() - 1) + ", asked for chunk " + index);
      }
      byte[] chunk = database.get(chunkKey(partitionKey, snapshot.seq(), stored.writerId(), index),
          "read a snapshot of " + snapshot.partition());
      if (chunk == null) {
        throw new SnapshotDeletedException(snapshot); // deleted between the two reads
      }
      return chunk; // a fresh array from RocksDB: the caller's own copy
    } finally {
      database.exit();
    }
  }

  @Override
  public void deleteBefore(PartitionId partition, long seq) {
    deleteCommitted(partition, seq);
  }

  @Override
  public void delete(PartitionId partition) {
    // Every committed snapshot; a writer still running keeps its chunks and may still commit.
    deleteCommitted(partition, Long.MAX_VALUE);
  }

  /** Deletes the committed snapshots of {@code partition} below {@code seq}, {@link Long#MAX_VALUE} for all. */
  private void deleteCommitted(PartitionId partition, long seq) {
    byte[] partitionKey = RocksDbDatabase.partitionKey(partition);
    byte[] prefix = infoPrefix(partitionKey);
    database.enter();
    // The iterator is made under the monitor, so that its view includes every commit before this call.
    synchronized (this) {
      try (WriteBatch batch = new WriteBatch(); RocksIterator it = database.db.newIterator()) {
        for (it.seek(prefix); it.isValid() && RocksDbDatabase.startsWith(it.key(), prefix); it.next()) {
          byte[] key = it.key();
          long storedSeq = ByteBuffer.wrap(key, prefix.length, Long.BYTES).getLong();
          if (seq != Long.MAX_VALUE && storedSeq >= seq) {
            break;
          }
          long writerId = decode(partition, storedSeq, it.value()).writerId();
          batch.delete(key);
          batch.deleteRange(chunkKey(partitionKey, storedSeq, writerId, 0),
              chunkKey(partitionKey, storedSeq, writerId + 1, 0));
        }
        it.status();
        if (batch.count() > 0) {
          database.write(synced, batch, "delete snapshots of partition " + partition);
        }
      } catch (RocksDBException e) {
        throw database.failure("delete snapshots of partition " + partition, e);
      } finally {
        database.exit();
      }
    }
  }

  /**
   * Closes the store; a writer still running can no longer write or commit, and its chunks are
   * discarded when the store is opened again. Closing twice does nothing.
   */
  @Override
  public void close() {
    try {
      database.close();
    } finally {
      if (database.isClosed()) {
        unsynced.close();
        synced.close();
      }
    }
  }

  // ---- for the writer ----

  private SnapshotInfo commit(Writer writer) {
    database.enter();
    try {
      synchronized (this) {
        Optional<Stored> latest = latestStored(writer.partition, writer.partitionKey);
        if (latest.isPresent() && writer.seq <= latest.get().info().seq()) {
          discard(writer);
          throw new IllegalStateException("partition " + writer.partition + ": a snapshot at seq "
              + latest.get().info().seq() + " was committed while this one, at seq " + writer.seq
              + ", was written; it is discarded");
        }
        String operation = "commit the snapshot of partition " + writer.partition + " at seq " + writer.seq;
        SnapshotInfo info = new SnapshotInfo(writer.partition, writer.seq, writer.epoch, writer.size, writer.chunks);
        try (WriteBatch batch = new WriteBatch()) {
          // The chunks went to the write-ahead log unsynced; sync it so that they are on the device
          // before the info record that makes them visible is.
          database.syncWal(operation);
          batch.put(infoKey(writer.partitionKey, writer.seq), encode(info, writer.writerId));
          batch.delete(pendingKey(writer.writerId));
          database.write(synced, batch, operation);
        } catch (RocksDBException | RuntimeException e) {
          // Nothing was committed (the info record is written in one batch or not at all): discard now
          // rather than leave the chunks to the next open.
          RuntimeException failure = e instanceof RocksDBException r ? database.failure(operation, r) : (RuntimeException) e;
          try {
            discard(writer);
          } catch (RuntimeException suppressed) {
            failure.addSuppressed(suppressed);
          }
          throw failure;
        }
        return info;
      }
    } finally {
      database.exit();
    }
  }

  /** Deletes a writer's chunks and marker; inside a use of the database. Unsynced: a lost discard is redone at open. */
  private void discard(Writer writer) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.deleteRange(chunkKey(writer.partitionKey, writer.seq, writer.writerId, 0),
          chunkKey(writer.partitionKey, writer.seq, writer.writerId + 1, 0));
      batch.delete(pendingKey(writer.writerId));
      database.write(unsynced, batch, "discard a snapshot of partition " + writer.partition);
    } catch (RocksDBException e) {
      throw database.failure("discard a snapshot of partition " + writer.partition, e);
    }
  }

  private void discardUncommitted(Writer writer) {
    try {
      database.enter();
    } catch (IllegalStateException closed) {
      return; // the store is closed: its next open discards the chunks
    }
    try {
      discard(writer);
    } finally {
      database.exit();
    }
  }

  // ---- layout ----

  /** The partition's committed snapshot with the highest seq; inside a use of the database. */
  private Optional<Stored> latestStored(PartitionId partition, byte[] partitionKey) {
    byte[] prefix = infoPrefix(partitionKey);
    byte[] pastSeqs = ByteBuffer.allocate(prefix.length + 1).put(prefix).put(PAST_SEQS).array();
    try (RocksIterator it = database.db.newIterator()) {
      it.seekForPrev(pastSeqs);
      if (it.isValid() && RocksDbDatabase.startsWith(it.key(), prefix)) {
        long seq = ByteBuffer.wrap(it.key(), prefix.length, Long.BYTES).getLong();
        return Optional.of(decode(partition, seq, it.value()));
      }
      it.status();
      return Optional.empty();
    } catch (RocksDBException e) {
      throw database.failure("find the latest snapshot of partition " + partition, e);
    }
  }

  private static byte[] infoPrefix(byte[] partitionKey) {
    return ByteBuffer.allocate(1 + partitionKey.length).put(INFO_TAG).put(partitionKey).array();
  }

  private static byte[] infoKey(byte[] partitionKey, long seq) {
    return ByteBuffer.allocate(1 + partitionKey.length + Long.BYTES).put(INFO_TAG).put(partitionKey).putLong(seq).array();
  }

  private static byte[] chunkKey(byte[] partitionKey, long seq, long writerId, int index) {
    return ByteBuffer.allocate(1 + partitionKey.length + Long.BYTES + Long.BYTES + Integer.BYTES)
        .put(CHUNK_TAG).put(partitionKey).putLong(seq).putLong(writerId).putInt(index).array();
  }

  private static byte[] pendingKey(long writerId) {
    return ByteBuffer.allocate(1 + Long.BYTES).put(PENDING_TAG).putLong(writerId).array();
  }

  private static byte[] encode(SnapshotInfo info, long writerId) {
    return ByteBuffer.allocate(INFO_BYTES)
        .putLong(info.epoch()).putLong(info.sizeInBytes()).putInt(info.chunkCount()).putLong(writerId).array();
  }

  private Stored decode(PartitionId partition, long seq, byte[] value) {
    if (value.length != INFO_BYTES) {
      throw new IllegalStateException("the snapshot info of partition " + partition + " at seq " + seq + " in "
          + database.dir() + " has " + value.length + " bytes, expected " + INFO_BYTES
          + "; the store is damaged or of another version");
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    long epoch = in.getLong();
    long size = in.getLong();
    int chunkCount = in.getInt();
    return new Stored(new SnapshotInfo(partition, seq, epoch, size, chunkCount), in.getLong());
  }

  @Override
  public String toString() {
    return "RocksDbSnapshotStore[" + database.dir() + "]";
  }

  /** Streams chunks to the database under its own writer id. */
  private final class Writer extends ChunkedSnapshotWriter {
    private final byte[] partitionKey;
    private final long writerId;

    Writer(PartitionId partition, byte[] partitionKey, long seq, long epoch, long writerId) {
      super(partition, seq, epoch);
      this.partitionKey = partitionKey;
      this.writerId = writerId;
    }

    @Override
    void store(byte[] chunk) {
      database.enter();
      try {
        // RocksDB copies the bytes: the caller may reuse its array.
        database.db.put(unsynced, chunkKey(partitionKey, seq, writerId, chunks), chunk);
      } catch (RocksDBException e) {
        throw database.failure("write a snapshot of partition " + partition + " at seq " + seq, e);
      } finally {
        database.exit();
      }
    }

    @Override
    SnapshotInfo committed() {
      return RocksDbSnapshotStore.this.commit(this);
    }

    @Override
    void discard() {
      discardUncommitted(this);
    }
  }
}
