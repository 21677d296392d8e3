package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import dev.cohort.persistence.RocksDbLogLayout.PartitionKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.ObjIntConsumer;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link LogStorage} on disk: one RocksDB database in a directory of its own, holding the logs of
 * every partition of the node, each with its base and its {@link PartitionMeta}.
 *
 * <p>Each mutation of a log ({@code append}, {@code truncateAfter}, {@code compactUpTo}, {@code
 * resetTo}, {@code writeMeta}) is one atomic RocksDB write batch, so a batch of entries is one storage
 * write (group commit) and survives a crash whole or not at all. "Durable", for the return of those
 * calls, means what the storage's {@link FsyncPolicy} says: with {@link FsyncPolicy#ALWAYS} the write is
 * on the device; with the others it is in the operating system and survives a process crash, not
 * necessarily a machine crash. The key layout is written on {@code RocksDbLogLayout}: a partition's
 * entries are contiguous and ordered by seq.
 *
 * <p>A directory has one owner at a time: opening a second storage on a directory that is open,
 * in this process or another, is refused. The directory must not be shared with a {@link
 * RocksDbStateStorage}, which needs one of its own.
 *
 * <p>Thread-safe: every method may be called from any thread. Each log allows its one writer and any
 * number of concurrent readers, as {@link PartitionLog} says; a reader never waits for the writer's
 * sync.
 */
public final class RocksDbLogStorage implements LogStorage {
  private static final String NAME = "log storage";

  /** Prefix of the name of the thread that syncs an {@link FsyncPolicy.Kind#INTERVAL} storage. */
  static final String SYNC_THREAD_PREFIX = "cohort-log-sync ";

  private final RocksDbDatabase database;
  private final FsyncPolicy policy;
  private final WriteOptions writeOptions;
  private final ScheduledExecutorService syncer; // only for the interval policy
  // The first failure of a background sync: writes after it are refused, because they could not be
  // promised durable; the node has to restart the storage.
  private volatile RuntimeException syncFailure;
  // Guarded by this. Logs live in the database; handles are what open and close.
  private final Map<PartitionId, RocksDbPartitionLog> openHandles = new HashMap<>();
  // Guarded by this: the number the next log created gets; above every number in the directory.
  private int nextNumber;
  private boolean closed;

  private RocksDbLogStorage(RocksDbDatabase database, FsyncPolicy policy, int nextNumber) {
    this.database = database;
    this.policy = policy;
    this.nextNumber = nextNumber;
    this.writeOptions = new WriteOptions().setSync(policy.syncsEveryWrite());
    this.syncer = policy.kind() == FsyncPolicy.Kind.INTERVAL
        ? database.every(policy.period(), SYNC_THREAD_PREFIX, this::syncInBackground)
        : null;
  }

  /**
   * Opens the storage in {@code dir}, creating the directory and an empty storage if there is none;
   * an existing storage is found with every log, base and meta it held when it was last durable.
   *
   * @param dir the storage's own directory
   * @param policy when writes are synced to the device
   * @throws IllegalStateException if another storage has the directory open (in this process or
   *     another), or the directory holds something other than a log storage
   * @throws UncheckedIOException if the directory cannot be created or opened
   */
  public static RocksDbLogStorage open(Path dir, FsyncPolicy policy) {
    if (dir == null || policy == null) {
      throw new IllegalArgumentException("a RocksDB log storage needs a directory and an fsync policy, got "
          + dir + " and " + policy);
    }
    RocksDbDatabase database = RocksDbDatabase.open(dir, RocksDbLogLayout.FORMAT, NAME, false,
        RocksDbLogLayout.INSERT_HINT_PREFIX_BYTES);
    int[] highest = {-1};
    try {
      forEachDirectoryEntry(database, (partition, number) -> highest[0] = Math.max(highest[0], number));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return new RocksDbLogStorage(database, policy, highest[0] + 1);
  }

  /** The storage's directory, absolute. */
  public Path dir() {
    return database.dir();
  }

  /** The storage's fsync policy. */
  public FsyncPolicy fsyncPolicy() {
    return policy;
  }

  @Override
  public synchronized PartitionLog open(PartitionId partition) {
    requireOpen();
    LogRules.checkNotOpen(partition, openHandles.containsKey(partition));
    database.enter();
    try {
      byte[] number = database.get(RocksDbLogLayout.directoryKey(partition),
          "read the directory entry of partition " + partition);
      boolean create = number == null;
      PartitionKeys keys = new PartitionKeys(partition,
          create ? nextNumber++ : RocksDbLogLayout.decodeNumber(partition, number));
      RocksDbPartitionLog handle = RocksDbPartitionLog.open(keys, create, this, this::released);
      openHandles.put(partition, handle);
      return handle;
    } finally {
      database.exit();
    }
  }

  @Override
  public synchronized SortedSet<PartitionId> partitions() {
    requireOpen();
    SortedSet<PartitionId> found = new TreeSet<>();
    forEachDirectoryEntry(database, (partition, number) -> found.add(partition));
    return Collections.unmodifiableSortedSet(found);
  }

  @Override
  public synchronized void delete(PartitionId partition) {
    requireOpen();
    if (openHandles.containsKey(partition)) {
      throw new IllegalStateException("cannot delete the log of partition " + partition + " while it is open; close it first");
    }
    database.enter();
    try (WriteBatch batch = new WriteBatch()) {
      byte[] number = database.get(RocksDbLogLayout.directoryKey(partition),
          "read the directory entry of partition " + partition);
      if (number == null) {
        return;
      }
      // The directory entry, the record and every chunk in one batch: the log goes whole or not at all.
      PartitionKeys keys = new PartitionKeys(partition, RocksDbLogLayout.decodeNumber(partition, number));
      batch.delete(keys.directory());
      batch.deleteRange(keys.record(), keys.end());
      write(batch, "delete the log of partition " + partition);
    } catch (RocksDBException e) {
      throw database.failure("delete the log of partition " + partition, e);
    } finally {
      database.exit();
    }
  }

  /** Gives {@code action} every partition in the directory with its log's number, in key order. */
  private static void forEachDirectoryEntry(RocksDbDatabase database, ObjIntConsumer<PartitionId> action) {
    database.enter();
    try (Slice end = new Slice(RocksDbLogLayout.directoryEnd());
        ReadOptions bounded = new ReadOptions().setIterateUpperBound(end);
        RocksIterator it = database.db.newIterator(bounded)) {
      for (it.seek(RocksDbLogLayout.firstDirectoryKey()); it.isValid(); it.next()) {
        PartitionId partition = RocksDbLogLayout.directoryPartition(it.key());
        action.accept(partition, RocksDbLogLayout.decodeNumber(partition, it.value()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw database.failure("read its directory of partitions", e);
    } finally {
      database.exit();
    }
  }

  /**
   * Closes every open log handle, stops the background sync, syncs the write-ahead log (a clean close
   * leaves everything on the device, whatever the policy) and closes the database. Closing twice does
   * nothing.
   */
  @Override
  public void close() {
    List<RocksDbPartitionLog> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(openHandles.values());
    }
    // Outside the monitor: a handle's close waits for its readers and then calls back into released().
    toClose.forEach(RocksDbPartitionLog::close);
    if (syncer != null) {
      syncer.shutdown(); // cancels the periodic sync; one in progress finishes before the database closes
    }
    try {
      database.close();
    } finally {
      writeOptions.close();
      if (syncer != null) {
        database.awaitStopped(syncer, "sync");
      }
    }
  }

  // ---- for RocksDbPartitionLog ----

  RocksDbDatabase database() {
    return database;
  }

  /**
   * Writes a batch with this storage's fsync policy; call it inside a use of the database.
   *
   * @throws UncheckedIOException if the write fails, or an earlier background sync failed
   */
  void write(WriteBatch batch, String operation) {
    RuntimeException failed = syncFailure;
    if (failed != null) {
      throw new UncheckedIOException("the log storage in " + database.dir() + " refuses to " + operation
          + ": a background sync of its write-ahead log failed, so writes could not be made durable; restart"
          + " the storage", new IOException(failed));
    }
    database.write(writeOptions, batch, operation);
  }

  private synchronized void released(RocksDbPartitionLog handle) {
    openHandles.remove(handle.partition(), handle);
  }

  private void syncInBackground() {
    try {
      database.enter();
    } catch (IllegalStateException closing) {
      return; // the storage is closing; its close syncs
    }
    try {
      database.syncWal("sync its write-ahead log");
    } catch (RuntimeException e) {
      // Caught whole: an exception escaping a periodic task would silently cancel all later syncs.
      if (syncFailure == null) {
        syncFailure = e;
      }
    } finally {
      database.exit();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the log storage in " + database.dir() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "RocksDbLogStorage[" + database.dir() + ", fsync " + policy + "]";
  }
}
