package dev.cohort.persistence;

import static dev.cohort.persistence.RocksDbDatabase.concat;

import dev.cohort.api.PartitionId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link StateStorage} in one RocksDB database of its own directory. Layout: {@code [0]} the format
 * marker; {@code [1] partition} the applied seq of the partition's state (8 bytes; -1 while an
 * install is in progress); {@code [2] partition key} the pairs. An apply is one write batch.
 *
 * <p>Applies skip RocksDB's write-ahead log: the partition's log, written before its entries are
 * applied and synced under the node's fsync policy, already holds them, and writing every change a
 * second time there cost the writer a copy into the operating system per change. The state becomes
 * durable when RocksDB writes its memtables to table files (synced): every {@code flushInterval} in
 * the background, on {@link #sync()}, on close, and whenever a memtable is full. {@link
 * StateStore#durableSeq()} counts this storage's own write-outs only (one RocksDB makes when a
 * memtable fills can only add to it), so it is a lower bound; a crash finds each store as of its
 * durable seq or later, whole, because memtables are written out whole and in order. The node
 * drops a partition's log only below its state's durable seq, so it can always replay the rest.
 */
public final class RocksDbStateStorage implements StateStorage {
  private static final String NAME = "state storage";
  private static final String FORMAT = "cohort-state-1";
  private static final byte RECORD = 1;
  private static final byte DATA = 2;
  private static final long INSTALLING = -1;

  /** Prefix of the name of the thread that writes the memtables out in the background. */
  static final String FLUSH_THREAD_PREFIX = "cohort-state-flush ";

  private final RocksDbDatabase database;
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
  private final FlushOptions flushOptions = new FlushOptions().setWaitForFlush(true);
  private final ScheduledExecutorService flusher;
  private final Object flushing = new Object(); // one flush at a time: the thread's, sync's or close's
  // Written under this; read by the flush without it, so that a flush never waits for this.
  private final Map<PartitionId, Store> open = new ConcurrentHashMap<>();
  // The first failure of a background flush: applies after it are refused, as the state could no longer
  // become durable and the log would grow without end; the node has to restart the storage.
  private volatile RuntimeException flushFailure;
  private boolean closed;

  private RocksDbStateStorage(RocksDbDatabase database, Duration flushInterval) {
    this.database = database;
    this.flusher = database.every(flushInterval, FLUSH_THREAD_PREFIX, this::flushInBackground);
  }

  /**
   * Opens the storage in {@code dir}, creating it if there is none. A partition whose install did not
   * commit (the process stopped in the middle) is found empty.
   *
   * @param dir the storage's own directory
   * @param flushInterval how often the applied state is written to table files in the background,
   *     which is how far behind its applied seq a store's durable seq may fall
   * @throws IllegalStateException if the directory is open already, or holds something else
   * @throws IllegalArgumentException if the interval is not positive
   */
  public static RocksDbStateStorage open(Path dir, Duration flushInterval) {
    if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("a RocksDB state storage needs a positive flush interval, got " + flushInterval);
    }
    return new RocksDbStateStorage(RocksDbDatabase.open(dir, FORMAT, NAME, true, 0), flushInterval);
  }

  @Override
  public synchronized StateStore open(PartitionId partition) {
    requireOpen();
    return open.computeIfAbsent(partition, p -> use("open the state of " + p, () -> {
      var store = new Store(p);
      byte[] record = database.get(store.recordKey, "read the state of " + p);
      // New, or an install that did not commit: nothing of it, nor of the old state, is kept.
      if (record == null || ByteBuffer.wrap(record).getLong() == INSTALLING) {
        store.reset(0);
      } else {
        store.applied = ByteBuffer.wrap(record).getLong();
      }
      store.durable = store.applied; // what opening finds is in table files: RocksDB writes out what it recovers
      return store;
    }));
  }

  @Override
  public synchronized SortedSet<PartitionId> partitions() {
    requireOpen();
    return use("list the partitions", () -> {
      var found = new TreeSet<PartitionId>();
      try (RocksIterator it = database.db.newIterator()) {
        for (it.seek(new byte[] {RECORD}); it.isValid() && it.key()[0] == RECORD; it.next()) {
          PartitionId partition = RocksDbDatabase.partitionAt(it.key(), 1);
          if (partition != null) {
            found.add(partition);
          }
        }
      }
      return found;
    });
  }

  @Override
  public synchronized void delete(PartitionId partition) {
    requireOpen();
    Store store = open.remove(partition);
    Store target = store != null ? store : new Store(partition);
    use("delete the state of " + partition, () -> {
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(target.dataPrefix, after(target.dataPrefix));
        batch.delete(target.recordKey);
        database.write(writeOptions, batch, "delete the state of " + partition);
      } catch (RocksDBException e) {
        throw database.failure("delete the state of " + partition, e);
      }
      return null;
    });
    flushApplied("write the deletion of the state of " + partition + " to its table files"); // rare: not to come back
    if (store != null) {
      store.deleted = true;
    }
  }

  @Override
  public void sync() {
    flushApplied("write its memtables to table files");
  }

  /**
   * Stops the background flush, writes the memtables to table files (a clean close leaves every
   * store durable up to its applied seq) and closes the database. Closing twice does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    flusher.shutdown(); // cancels the periodic flush; one in progress finishes before the database closes
    try {
      flushApplied("write its memtables to table files while closing");
    } finally {
      open.clear();
      database.close();
      writeOptions.close();
      flushOptions.close();
      database.awaitStopped(flusher, "flush");
    }
  }

  /**
   * Writes the memtables to table files and, once that is done, counts each open store durable up to
   * the seq it had applied before: a flush writes every write that finished before it began.
   */
  private void flushApplied(String operation) {
    synchronized (flushing) {
      List<Store> stores = new ArrayList<>(open.values());
      long[] appliedBefore = new long[stores.size()];
      for (int i = 0; i < appliedBefore.length; i++) {
        appliedBefore[i] = Math.max(0, stores.get(i).applied);
      }
      use(operation, () -> {
        try {
          database.db.flush(flushOptions);
        } catch (RocksDBException e) {
          throw database.failure(operation, e);
        }
        return null;
      });
      for (int i = 0; i < appliedBefore.length; i++) {
        stores.get(i).durableAtLeast(appliedBefore[i]);
      }
    }
  }

  private void flushInBackground() {
    try {
      flushApplied("write its memtables to table files");
    } catch (IllegalStateException closing) {
      // the database is closing; its close flushes
    } catch (RuntimeException e) {
      // Caught whole: an exception escaping a periodic task would silently cancel all later flushes.
      if (flushFailure == null) {
        flushFailure = e;
      }
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the " + NAME + " in " + database.dir() + " is closed");
    }
  }

  /** Runs {@code action} as one use of the database. */
  private <T> T use(String operation, Supplier<T> action) {
    database.enter();
    try {
      return action.get();
    } finally {
      database.exit();
    }
  }

  /** The first key after every key that starts with {@code prefix}. */
  private static byte[] after(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    throw new IllegalArgumentException("no key follows every key with prefix " + Arrays.toString(prefix));
  }

  private static byte[] prefixed(byte tag, PartitionId partition) {
    return concat(new byte[] {tag}, RocksDbDatabase.partitionKey(partition));
  }

  private final class Store implements StateStore {
    private final PartitionId partition;
    private final byte[] recordKey;
    private final byte[] dataPrefix;
    private volatile boolean deleted;
    /** The applied seq as recorded, -1 while installing; kept here so that applies read nothing. */
    private volatile long applied;
    /** Guarded by this: the applied seq that table files hold, as far as this storage knows. */
    private long durable;

    Store(PartitionId partition) {
      this.partition = partition;
      this.recordKey = prefixed(RECORD, partition);
      this.dataPrefix = prefixed(DATA, partition);
    }

    /** Empties the state and records {@code seq}; inside a use. */
    void reset(long seq) {
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(dataPrefix, after(dataPrefix));
        batch.put(recordKey, seqBytes(seq));
        database.write(writeOptions, batch, "reset the state of " + partition);
        applied = seq;
      } catch (RocksDBException e) {
        throw database.failure("reset the state of " + partition, e);
      }
    }

    @Override
    public PartitionId partition() {
      return partition;
    }

    @Override
    public long appliedSeq() {
      return guarded("read the applied seq", () -> Math.max(0, applied));
    }

    @Override
    public synchronized long durableSeq() {
      return durable;
    }

    synchronized void durableAtLeast(long seq) {
      durable = Math.max(durable, seq);
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
      return guarded("read a key", () -> Optional.ofNullable(database.get(concat(dataPrefix, key), "read a key of the"
          + " state of " + partition)));
    }

    @Override
    public List<Map.Entry<byte[], byte[]>> scan(byte[] fromKey, byte[] toKey, int max) {
      return guarded("scan", () -> {
        try (ReadOptions options = new ReadOptions()) {
          return scanWith(options, fromKey, toKey, max);
        }
      });
    }

    private List<Map.Entry<byte[], byte[]>> scanWith(ReadOptions options, byte[] fromKey, byte[] toKey, int max) {
      byte[] end = toKey == null ? after(dataPrefix) : concat(dataPrefix, toKey);
      var found = new ArrayList<Map.Entry<byte[], byte[]>>();
      try (RocksIterator it = database.db.newIterator(options)) {
        for (it.seek(concat(dataPrefix, fromKey)); it.isValid() && found.size() < max; it.next()) {
          byte[] key = it.key();
          if (Arrays.compareUnsigned(key, end) >= 0) {
            break;
          }
          found.add(Map.entry(Arrays.copyOfRange(key, dataPrefix.length, key.length), it.value()));
        }
      }
      return found;
    }

    @Override
    public void apply(long seq, Changes changes) {
      RuntimeException failed = flushFailure;
      if (failed != null) {
        throw new UncheckedIOException("the state storage in " + database.dir() + " refuses to apply seq " + seq
            + " to the state of " + partition + ": a background flush of its memtables failed, so the state"
            + " could not become durable; restart the storage", new IOException(failed));
      }
      guarded("apply", () -> {
        StateRules.checkApplies(partition, Math.max(0, applied), seq);
        // In key order (stable, so a later change of a key still wins): each memtable insert then
        // starts its search near where the one before it ended, instead of from the top.
        var ordered = new ArrayList<>(changes.list());
        ordered.sort(Map.Entry.comparingByKey(Arrays::compareUnsigned));
        BatchBuffers buffers = BatchBuffers.ofThisThread();
        try (WriteBatch batch = new WriteBatch(batchBytes(ordered))) {
          for (var change : ordered) {
            if (change.getValue() == null) {
              buffers.delete(batch, dataPrefix, change.getKey());
            } else {
              buffers.put(batch, dataPrefix, change.getKey(), change.getValue());
            }
          }
          buffers.put(batch, recordKey, seqBytes(seq));
          database.write(writeOptions, batch, "apply seq " + seq + " to the state of " + partition);
          applied = seq;
        } catch (RocksDBException e) {
          throw database.failure("apply seq " + seq + " to the state of " + partition, e);
        }
        return null;
      });
    }

    /** Room for the write batch of {@code changes} and the applied seq. */
    private int batchBytes(List<Map.Entry<byte[], byte[]>> changes) {
      long bytes = recordKey.length + Long.BYTES;
      for (var change : changes) {
        bytes += dataPrefix.length + change.getKey().length + (change.getValue() == null ? 0 : change.getValue().length);
      }
      return BatchBuffers.batchBytes(changes.size() + 1, bytes);
    }

    @Override
    public View view() {
      return guarded("open a view", () -> {
        Snapshot snapshot = database.db.getSnapshot();
        ReadOptions options = new ReadOptions().setSnapshot(snapshot);
        long seq;
        try {
          byte[] record = database.db.get(options, recordKey);
          seq = record == null ? 0 : Math.max(0, ByteBuffer.wrap(record).getLong());
        } catch (RocksDBException e) {
          database.db.releaseSnapshot(snapshot);
          options.close();
          throw database.failure("open a view of the state of " + partition, e);
        }
        return new View() {
          private boolean released;

          @Override
          public long appliedSeq() {
            return seq;
          }

          @Override
          public List<Map.Entry<byte[], byte[]>> scan(byte[] fromKey, byte[] toKey, int max) {
            return guarded("scan a view", () -> scanWith(options, fromKey, toKey, max));
          }

          @Override
          public synchronized void close() {
            if (released || database.isClosed()) {
              return; // a closed database released its snapshots with it
            }
            released = true;
            use("release a view", () -> {
              database.db.releaseSnapshot(snapshot);
              options.close();
              return null;
            });
          }
        };
      });
    }

    @Override
    public Install install(long seq) {
      StateRules.checkInstall(partition, seq);
      guarded("start an install", () -> {
        reset(INSTALLING);
        return null;
      });
      synchronized (this) {
        durable = 0; // once the mark is written out, a crash finds the store empty
      }
      flushApplied("write the start of an install of the state of " + partition + " to its table files");
      return new Install() {
        @Override
        public void write(List<Map.Entry<byte[], byte[]>> pairs) {
          guarded("install", () -> {
            try (WriteBatch batch = new WriteBatch()) {
              for (var pair : pairs) {
                batch.put(concat(dataPrefix, pair.getKey()), pair.getValue());
              }
              database.write(writeOptions, batch, "install the state of " + partition);
            } catch (RocksDBException e) {
              throw database.failure("install the state of " + partition, e);
            }
            return null;
          });
        }

        @Override
        public void commit() {
          guarded("commit an install", () -> {
            try (WriteBatch batch = new WriteBatch()) {
              batch.put(recordKey, seqBytes(seq));
              database.write(writeOptions, batch, "commit the install of the state of " + partition);
              applied = seq;
            } catch (RocksDBException e) {
              throw database.failure("commit the install of the state of " + partition, e);
            }
            return null;
          });
        }
      };
    }

    private <T> T guarded(String operation, Supplier<T> action) {
      if (deleted) {
        throw new IllegalStateException("the state of " + partition + " was deleted; cannot " + operation);
      }
      return use(operation + " on the state of " + partition, action);
    }
  }

  private static byte[] seqBytes(long seq) {
    return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
  }
}
