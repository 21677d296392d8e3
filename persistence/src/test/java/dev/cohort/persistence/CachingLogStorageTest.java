package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cohort.api.PartitionId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binds {@link PartitionLogContract} to {@link CachingLogStorage} over RocksDB, with a cache of a few
 * hundred bytes per log, so that the suite's reads go to the cache, to the storage, and across both.
 */
class CachingLogStorageTest extends PartitionLogContract {
  private static final long CACHED_BYTES = 600;

  @TempDir Path dir;

  @Override
  protected LogStorage newStorage() {
    return CachingLogStorage.of(RocksDbLogStorage.open(dir.resolve("log"), FsyncPolicy.NEVER), CACHED_BYTES);
  }

  /** A node restarting with its data: a new storage on the same directory, its caches empty. */
  @Override
  protected LogStorage restart(LogStorage storage) {
    storage.close();
    return newStorage();
  }

  @Override
  protected Duration manySmallBatchesBudget() {
    return Duration.ofSeconds(6);
  }

  @Test
  void theLatestEntriesAreReadFromMemory_olderOnesAndCompactedOnesFromTheStorage() {
    var storageReads = new AtomicInteger();
    long entryBytes = entry(2, 10).sizeInBytes();
    LogStorage storage = CachingLogStorage.of(new ReadCounting(InMemoryLogStorage.create(), storageReads), 3 * entryBytes);
    PartitionLog log = storage.open(P);
    log.append(batch(1, 1, 6));
    log.append(batch(2, 7, 10));

    assertEquals(batch(2, 8, 10), log.read(8, 100, Long.MAX_VALUE));
    assertEquals(OptionalLong.of(2), log.epochAt(9));
    assertEquals(0, storageReads.get(), "the last three entries come from memory");

    assertEquals(batch(1, 5, 6).get(0), log.read(5, 100, Long.MAX_VALUE).get(0));
    assertEquals(OptionalLong.of(1), log.epochAt(6));
    assertEquals(2, storageReads.get(), "older ones from the storage");

    log.truncateAfter(8);
    assertEquals(List.of(), log.read(9, 100, Long.MAX_VALUE), "a truncated entry is gone from memory too");
    log.append(List.of(entry(3, 9)));
    assertEquals(OptionalLong.of(3), log.epochAt(9));
    assertEquals(OptionalLong.of(2), log.epochAt(8));
    log.compactUpTo(8);
    assertEquals(OptionalLong.of(2), log.epochAt(8), "the base's epoch, from the storage");
  }

  /** A storage whose logs count the reads that reach them. */
  private record ReadCounting(LogStorage storage, AtomicInteger reads) implements LogStorage {
    @Override
    public PartitionLog open(PartitionId partition) {
      PartitionLog log = storage.open(partition);
      return new PartitionLog() {
        @Override public PartitionId partition() { return log.partition(); }
        @Override public void append(List<LogEntry> entries) { log.append(entries); }
        @Override public void append(List<LogEntry> entries, PartitionMeta meta) { log.append(entries, meta); }
        @Override public List<LogEntry> read(long fromSeq, int maxEntries, long maxBytes) {
          reads.incrementAndGet();
          return log.read(fromSeq, maxEntries, maxBytes);
        }
        @Override public long firstSeq() { return log.firstSeq(); }
        @Override public long lastSeq() { return log.lastSeq(); }
        @Override public long lastEpoch() { return log.lastEpoch(); }
        @Override public OptionalLong epochAt(long seq) {
          reads.incrementAndGet();
          return log.epochAt(seq);
        }
        @Override public void truncateAfter(long seq) { log.truncateAfter(seq); }
        @Override public void compactUpTo(long seq) { log.compactUpTo(seq); }
        @Override public void resetTo(long seq, long epoch) { log.resetTo(seq, epoch); }
        @Override public PartitionMeta readMeta() { return log.readMeta(); }
        @Override public void writeMeta(PartitionMeta meta) { log.writeMeta(meta); }
        @Override public void close() { log.close(); }
      };
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
  }
}
