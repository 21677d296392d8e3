package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedSet;

/**
 * A {@link LogStorage} whose logs keep their latest entries in memory as well, up to a byte budget per
 * log: what was just appended is read back soon (applied when it commits, sent to a replica, compared
 * with a replica's log), and answering that from memory spares a storage read each time. Everything
 * else goes to the wrapped storage, which stays the only place entries are durable.
 *
 * <p>Thread-safe as the wrapped storage is. The storage is written outside the cache's lock, so a
 * reader never waits for a write: an append reaches the cache after the storage, a truncation or
 * compaction leaves the cache before the storage, so the cache never holds an entry the storage lacks.
 */
public final class CachingLogStorage implements LogStorage {
  private final LogStorage storage;
  private final long cachedBytesPerLog;

  private CachingLogStorage(LogStorage storage, long cachedBytesPerLog) {
    this.storage = storage;
    this.cachedBytesPerLog = cachedBytesPerLog;
  }

  /**
   * {@code storage} with the latest entries of each log, up to {@code cachedBytesPerLog} bytes by
   * {@link LogEntry#sizeInBytes()}, also in memory.
   *
   * @throws IllegalArgumentException if {@code cachedBytesPerLog} is below 1
   */
  public static CachingLogStorage of(LogStorage storage, long cachedBytesPerLog) {
    if (cachedBytesPerLog < 1) {
      throw new IllegalArgumentException("a log cache needs at least 1 byte, got " + cachedBytesPerLog);
    }
    return new CachingLogStorage(storage, cachedBytesPerLog);
  }

  @Override
  public PartitionLog open(PartitionId partition) {
    return new CachingLog(storage.open(partition), cachedBytesPerLog);
  }

  @Override
  public SortedSet<PartitionId> partitions() {
    return storage.partitions();
  }

  @Override
  public void delete(PartitionId partition) {
    storage.delete(partition);
  }

  @Override
  public void close() {
    storage.close();
  }

  @Override
  public String toString() {
    return storage + " with the latest " + cachedBytesPerLog + " bytes of each log in memory";
  }

  /** One log and its latest entries: always the contiguous tail of the log, possibly empty. */
  private static final class CachingLog implements PartitionLog {
    private final PartitionLog log;
    private final long budget;
    // Guarded by this: the cached tail, oldest first, ending at the log's last entry.
    private final List<LogEntry> tail = new ArrayList<>();
    private int head; // index of the oldest cached entry in tail; those before it are evicted
    private long bytes;

    CachingLog(PartitionLog log, long budget) {
      this.log = log;
      this.budget = budget;
    }

    @Override
    public PartitionId partition() {
      return log.partition();
    }

    @Override
    public void append(List<LogEntry> entries) {
      List<LogEntry> copy = List.copyOf(entries);
      log.append(copy);
      if (!copy.isEmpty()) {
        cache(copy);
      }
    }

    @Override
    public void append(List<LogEntry> entries, PartitionMeta meta) {
      List<LogEntry> copy = List.copyOf(entries);
      log.append(copy, meta);
      if (!copy.isEmpty()) {
        cache(copy);
      }
    }

    private synchronized void cache(List<LogEntry> entries) {
      if (size() > 0 && last().seq() != entries.get(0).seq() - 1) {
        clear(); // after a failed truncation: the cache must stay the contiguous tail of the log
      }
      for (LogEntry entry : entries) {
        tail.add(entry);
        bytes += entry.sizeInBytes();
      }
      while (bytes > budget && size() > 0) {
        bytes -= tail.get(head).sizeInBytes();
        tail.set(head++, null);
      }
      if (head > tail.size() / 2) {
        tail.subList(0, head).clear(); // compact the evicted slots now and then: amortized O(1)
        head = 0;
      }
    }

    @Override
    public synchronized List<LogEntry> read(long fromSeq, int maxEntries, long maxBytes) {
      if (size() == 0 || fromSeq < first().seq() || fromSeq > last().seq() || maxEntries < 1 || maxBytes < 1) {
        return log.read(fromSeq, maxEntries, maxBytes); // the storage checks the arguments and says why
      }
      var out = new ArrayList<LogEntry>(Math.min(maxEntries, size()));
      long total = 0;
      for (int i = head + (int) (fromSeq - first().seq()); i < tail.size() && out.size() < maxEntries; i++) {
        LogEntry entry = tail.get(i);
        total += entry.sizeInBytes();
        if (total > maxBytes && !out.isEmpty()) {
          break;
        }
        out.add(entry);
      }
      return Collections.unmodifiableList(out);
    }

    @Override
    public long firstSeq() {
      return log.firstSeq();
    }

    @Override
    public long lastSeq() {
      return log.lastSeq();
    }

    @Override
    public long lastEpoch() {
      return log.lastEpoch();
    }

    @Override
    public synchronized OptionalLong epochAt(long seq) {
      if (size() > 0 && seq >= first().seq() && seq <= last().seq()) {
        return OptionalLong.of(tail.get(head + (int) (seq - first().seq())).epoch());
      }
      return log.epochAt(seq);
    }

    @Override
    public void truncateAfter(long seq) {
      synchronized (this) {
        while (size() > 0 && last().seq() > seq) {
          bytes -= tail.remove(tail.size() - 1).sizeInBytes();
        }
      }
      log.truncateAfter(seq);
    }

    @Override
    public void compactUpTo(long seq) {
      synchronized (this) {
        while (size() > 0 && first().seq() <= seq) {
          bytes -= tail.get(head).sizeInBytes();
          tail.set(head++, null);
        }
      }
      log.compactUpTo(seq);
    }

    @Override
    public void resetTo(long seq, long epoch) {
      synchronized (this) {
        clear();
      }
      log.resetTo(seq, epoch);
    }

    @Override
    public PartitionMeta readMeta() {
      return log.readMeta();
    }

    @Override
    public void writeMeta(PartitionMeta meta) {
      log.writeMeta(meta);
    }

    @Override
    public void close() {
      synchronized (this) {
        clear();
      }
      log.close();
    }

    private int size() {
      return tail.size() - head;
    }

    private LogEntry first() {
      return tail.get(head);
    }

    private LogEntry last() {
      return tail.get(tail.size() - 1);
    }

    private void clear() {
      tail.clear();
      head = 0;
      bytes = 0;
    }
  }
}
