package dev.cohort.persistence;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binds {@link PartitionLogContract} to {@link RocksDbLogStorage}, with the interval fsync policy so
 * that the background sync runs under the suite's load; {@link RocksDbLogStorageTest} covers the
 * other policies.
 */
class RocksDbPartitionLogTest extends PartitionLogContract {
  /** Short, so that the background sync runs many times during the suite. */
  private static final Duration SYNC_PERIOD = Duration.ofMillis(5);

  @TempDir Path dir;

  @Override
  protected LogStorage newStorage() {
    return RocksDbLogStorage.open(dir.resolve("log"), FsyncPolicy.interval(SYNC_PERIOD));
  }

  /** A node restarting with its data: the storage closed, and a new one opened on the same directory. */
  @Override
  protected LogStorage restart(LogStorage storage) {
    RocksDbLogStorage rocks = (RocksDbLogStorage) storage;
    rocks.close();
    return RocksDbLogStorage.open(rocks.dir(), rocks.fsyncPolicy());
  }

  /** Every write goes through RocksDB's write-ahead log and memtable; twice the in-memory budget. */
  @Override
  protected Duration manySmallBatchesBudget() {
    return Duration.ofSeconds(6);
  }
}
