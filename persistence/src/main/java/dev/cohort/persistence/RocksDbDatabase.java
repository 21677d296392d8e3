package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB database in its own directory, as the storages of this package use it: opened with
 * a format marker so that a directory of one kind is never taken for another, guarded so that no
 * native call runs on a closed database, and with RocksDB's checked errors turned into the unchecked
 * ones {@link PartitionLog} promises.
 *
 * <p>Every use of {@link #db} sits between {@link #enter()} and {@link #exit()}. {@link #close()} waits
 * for the uses in flight, because a native call on a closed RocksDB handle crashes the JVM rather than
 * throwing.
 */
final class RocksDbDatabase {
  /** The key of the format marker; every layout keeps the key {@code [0]} for it. */
  static final byte[] FORMAT_KEY = {0};

  /** Longest group name in a partition key, in UTF-8 bytes: its length is stored in two bytes. */
  static final int MAX_GROUP_BYTES = 0xFFFF;

  /** How long a background job's thread may take to end once its executor is shut down. */
  private static final long BACKGROUND_STOP_MILLIS = 10_000;

  /** How many of RocksDB's own diagnostic LOG files stay in the directory; older ones are deleted. */
  private static final int INFO_LOG_FILES_KEPT = 3;

  /** The size at which RocksDB starts a new diagnostic LOG file, so that one never grows unbounded. */
  private static final long INFO_LOG_FILE_BYTES = 16L * 1024 * 1024;

  /**
   * How many write-ahead log files RocksDB keeps for reuse once their data is flushed: writing over an
   * old file's pages costs the kernel less than growing a new file (block allocation, zeroed pages),
   * and the log is written on the actors' threads. Four is more than a database has live at a time
   * (the memtable being written and the one being flushed). Reuse stays on under point-in-time
   * recovery in the RocksDB used (its LOG says {@code reusing log N from recycle list}).
   */
  private static final int WAL_FILES_RECYCLED = 4;

  static {
    // Extracts the native library for this platform from the jar once per JVM; idempotent.
    RocksDB.loadLibrary();
  }

  final RocksDB db;
  private final Options options;
  private final Path dir;
  private final String name;
  // Read side: a use of the database; write side: closing it, or freeing a native object uses read.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private RocksDbDatabase(RocksDB db, Options options, Path dir, String name) {
    this.db = db;
    this.options = options;
    this.dir = dir;
    this.name = name;
  }

  /**
   * Opens or creates the database in {@code dir}.
   *
   * @param format the marker of the layout the caller writes, stored in a new database and required
   *     of an existing one
   * @param name what the database is, for messages, such as {@code "log storage"}
   * @param writesSkipTheLog whether the caller's writes skip the write-ahead log; RocksDB refuses them
   *     on a database that reuses its log files, so such a database does not
   * @param insertHintPrefixBytes how many leading bytes of a key name the memtable insert position
   *     RocksDB keeps for the next key with the same ones (keys shorter than that get none); 0 for no
   *     kept positions. Worth it where writes with one prefix land next to each other, as appends do
   * @throws IllegalStateException if the directory is open already (in this process or another), or
   *     holds a database of another format
   * @throws UncheckedIOException if the directory cannot be created or RocksDB cannot open it
   */
  static RocksDbDatabase open(Path dir, String format, String name, boolean writesSkipTheLog,
      int insertHintPrefixBytes) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory " + absolute + " for the " + name, e);
    }
    Options options = withInsertHints(insertHintPrefixBytes)
        .setCreateIfMissing(true)
        // RocksDB's default, set explicitly because the fsync policies' guarantees rest on it: after a
        // crash, replay the write-ahead log up to the last whole write and stop, so that what is
        // recovered is a consistent point in time (a batch whole or not at all).
        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
        .setKeepLogFileNum(INFO_LOG_FILES_KEPT)
        .setMaxLogFileSize(INFO_LOG_FILE_BYTES)
        .setRecycleLogFileNum(writesSkipTheLog ? 0 : WAL_FILES_RECYCLED);
    RocksDB db;
    try {
      db = RocksDB.open(options, absolute.toString());
    } catch (RocksDBException e) {
      options.close();
      if (isLockConflict(e)) {
        throw new IllegalStateException("the " + name + " in " + absolute + " is already open, by another storage in"
            + " this process or by another process; a directory has one owner at a time, so close the other one"
            + " first (RocksDB: " + e.getMessage() + ")", e);
      }
      throw new UncheckedIOException("cannot open the " + name + " in " + absolute + ": " + e.getMessage(),
          new IOException(e));
    }
    RocksDbDatabase database = new RocksDbDatabase(db, options, absolute, name);
    try {
      database.checkFormat(format);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }

  /**
   * Options with RocksDB's defaults, but for kept memtable insert positions per key prefix of {@code
   * prefixBytes} bytes, if positive. RocksJava has no setter for that column family option, so it goes
   * through RocksDB's option string parser.
   */
  private static Options withInsertHints(int prefixBytes) {
    if (prefixBytes <= 0) {
      return new Options();
    }
    var hints = new Properties();
    hints.setProperty("memtable_insert_with_hint_prefix_extractor", "rocksdb.FixedPrefix." + prefixBytes);
    try (ConfigOptions parsing = new ConfigOptions();
        DBOptions dbOptions = new DBOptions();
        ColumnFamilyOptions columnFamilyOptions = ColumnFamilyOptions.getColumnFamilyOptionsFromProps(parsing, hints)) {
      if (columnFamilyOptions == null) {
        throw new IllegalStateException("RocksDB did not take the option " + hints);
      }
      return new Options(dbOptions, columnFamilyOptions);
    }
  }

  // RocksDB reports a held LOCK file as an IOError whose message speaks of the lock; there is no
  // dedicated status code for it.
  private static boolean isLockConflict(RocksDBException e) {
    Status status = e.getStatus();
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return (status == null || status.getCode() == Status.Code.IOError) && message.contains("lock");
  }

  private void checkFormat(String format) {
    byte[] expected = format.getBytes(StandardCharsets.UTF_8);
    byte[] found = get(FORMAT_KEY, "read the format marker");
    if (found == null) {
      try (RocksIterator it = db.newIterator()) {
        it.seekToFirst();
        if (it.isValid()) {
          throw new IllegalStateException("the directory " + dir + " holds a RocksDB database that is not a Cohort "
              + name + " (it has no format marker); give the " + name + " a directory of its own");
        }
      }
      try (WriteOptions sync = new WriteOptions().setSync(true)) {
        db.put(sync, FORMAT_KEY, expected);
      } catch (RocksDBException e) {
        throw failure("write the format marker", e);
      }
    } else if (!Arrays.equals(found, expected)) {
      String foundFormat = new String(found, StandardCharsets.UTF_8);
      int version = format.lastIndexOf('/');
      if (version > 0 && foundFormat.startsWith(format.substring(0, version + 1))) {
        throw new IllegalStateException("the " + name + " in " + dir + " has the layout '" + foundFormat
            + "', which this version of Cohort does not read (it reads '" + format + "'); start the node on an"
            + " empty directory, and its partitions are copied from the other nodes");
      }
      throw new IllegalStateException("the directory " + dir + " holds '" + foundFormat + "', not a " + name
          + " ('" + format + "'); give the " + name + " a directory of its own");
    }
  }

  /**
   * The key bytes of a partition, the same in every layout: the group name's length in two bytes, the
   * name in UTF-8 and the index in four, big-endian. The length prefix makes these keys prefix-free:
   * no partition's bytes begin with another's, so a key range per partition holds that partition only.
   *
   * @throws IllegalArgumentException if the group name is longer than {@link #MAX_GROUP_BYTES} bytes
   */
  static byte[] partitionKey(PartitionId partition) {
    byte[] name = partition.group().getBytes(StandardCharsets.UTF_8);
    if (name.length > MAX_GROUP_BYTES) {
      throw new IllegalArgumentException("partition group names are limited to " + MAX_GROUP_BYTES
          + " UTF-8 bytes in the RocksDB storage, got " + name.length + " bytes for " + partition);
    }
    return ByteBuffer.allocate(Short.BYTES + name.length + Integer.BYTES)
        .putShort((short) name.length).put(name).putInt(partition.index()).array();
  }

  /**
   * The partition whose {@link #partitionKey} starts at {@code offset} in {@code key}, or null if the
   * bytes there are not one.
   */
  static PartitionId partitionAt(byte[] key, int offset) {
    if (key.length < offset + Short.BYTES) {
      return null;
    }
    int nameLength = Short.toUnsignedInt(ByteBuffer.wrap(key, offset, Short.BYTES).getShort());
    if (key.length < offset + Short.BYTES + nameLength + Integer.BYTES) {
      return null;
    }
    String group = new String(key, offset + Short.BYTES, nameLength, StandardCharsets.UTF_8);
    int index = ByteBuffer.wrap(key, offset + Short.BYTES + nameLength, Integer.BYTES).getInt();
    return group.isBlank() || index < 0 ? null : new PartitionId(group, index);
  }

  /** The length of the {@link #partitionKey} starting at {@code offset} in {@code key}. */
  static int partitionKeyLength(byte[] key, int offset) {
    return Short.BYTES + Short.toUnsignedInt(ByteBuffer.wrap(key, offset, Short.BYTES).getShort()) + Integer.BYTES;
  }

  /** The bytes of {@code a} followed by those of {@code b}, in a new array. */
  static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  /** Whether {@code key} begins with {@code prefix}. */
  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The database's directory, absolute. */
  Path dir() {
    return dir;
  }

  /**
   * Starts a use of {@link #db}; pair it with {@link #exit()} in a {@code finally}.
   *
   * @throws IllegalStateException if the database is closed
   */
  void enter() {
    lifecycle.readLock().lock();
    if (closed) {
      lifecycle.readLock().unlock();
      throw new IllegalStateException("the " + name + " in " + dir + " is closed");
    }
  }

  /** Ends a use started by {@link #enter()}. */
  void exit() {
    lifecycle.readLock().unlock();
  }

  /** Whether {@link #close()} has started. */
  boolean isClosed() {
    return closed;
  }

  /** Runs {@code action} while no use is in flight: to free a native object that uses may touch. */
  void exclusively(Runnable action) {
    lifecycle.writeLock().lock();
    try {
      action.run();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /**
   * Runs {@code task} every {@code period} on a thread of its own named {@code threadPrefix} and this
   * database's directory: a storage's background job. The thread is a daemon, so that a storage left
   * open does not keep the JVM alive. Stop it with {@link #awaitStopped} after shutting it down.
   */
  ScheduledExecutorService every(Duration period, String threadPrefix, Runnable task) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, threadPrefix + dir);
      thread.setDaemon(true);
      return thread;
    });
    long periodNanos = period.toNanos();
    executor.scheduleWithFixedDelay(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    return executor;
  }

  /**
   * Waits for a background job of {@link #every}, already shut down, to end.
   *
   * @throws IllegalStateException if it has not ended after {@value #BACKGROUND_STOP_MILLIS} ms
   */
  void awaitStopped(ScheduledExecutorService job, String what) {
    try {
      if (!job.awaitTermination(BACKGROUND_STOP_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the " + what + " thread of the " + name + " in " + dir
            + " did not stop within " + BACKGROUND_STOP_MILLIS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes {@code batch} atomically; call it inside {@link #enter()}. */
  void write(WriteOptions writeOptions, WriteBatch batch, String operation) {
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw failure(operation, e);
    }
  }

  /** The value of {@code key}, or null; call it inside {@link #enter()}. */
  byte[] get(byte[] key, String operation) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw failure(operation, e);
    }
  }

  /** Forces the write-ahead log to the device; call it inside {@link #enter()}. */
  void syncWal(String operation) {
    try {
      db.flushWal(true);
    } catch (RocksDBException e) {
      throw failure(operation, e);
    }
  }

  /** A storage failure as the unchecked exception {@link PartitionLog} promises, naming what failed. */
  UncheckedIOException failure(String operation, RocksDBException e) {
    return new UncheckedIOException("the " + name + " in " + dir + " could not " + operation + ": " + e.getMessage(),
        new IOException(e));
  }

  /**
   * Waits for the uses in flight, syncs the write-ahead log (a clean close leaves everything on the
   * device, whatever the fsync policy) and closes the database. Closing twice does nothing.
   *
   * @throws UncheckedIOException if the final sync failed; the database is closed all the same
   */
  void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      RocksDBException syncFailure = null;
      try {
        db.flushWal(true);
      } catch (RocksDBException e) {
        syncFailure = e;
      }
      db.close();
      options.close();
      if (syncFailure != null) {
        throw failure("sync its write-ahead log while closing", syncFailure);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
