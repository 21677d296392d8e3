package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.PartitionId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link RocksDbLogStorage} adds to {@link PartitionLogContract}: the data is in the directory, so
 * it survives closing the storage and opening a new one there, under every fsync policy; and a directory
 * has one owner at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RocksDbLogStorageTest {
  private static final PartitionId P = new PartitionId("accounts", 3);
  private static final PartitionId Q = new PartitionId("accounts", 4);
  private static final PartitionId R = new PartitionId("audit", 0);
  /** A group name whose bytes begin with P's group name: their keys must not mix. */
  private static final PartitionId LONGER_NAME = new PartitionId("accountsX", 3);

  @TempDir Path dir;

  static Stream<FsyncPolicy> policies() {
    return Stream.of(FsyncPolicy.ALWAYS, FsyncPolicy.interval(Duration.ofMillis(10)), FsyncPolicy.NEVER);
  }

  private static List<LogEntry> readAll(PartitionLog log) {
    List<LogEntry> out = new ArrayList<>();
    for (long from = log.firstSeq(); from <= log.lastSeq(); ) {
      List<LogEntry> page = log.read(from, 1_000, Long.MAX_VALUE);
      out.addAll(page);
      from += page.size();
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("policies")
  void entriesBasesMetasAndPartitionsSurviveReopeningTheDirectory(FsyncPolicy policy) {
    Path logDir = dir.resolve("log");
    try (RocksDbLogStorage storage = RocksDbLogStorage.open(logDir, policy)) {
      PartitionLog p = storage.open(P);
      p.append(PartitionLogContract.batch(1, 1, 3_000));
      p.append(PartitionLogContract.batch(2, 3_001, 6_000));
      // Large enough to go through range deletions, which must survive too.
      p.compactUpTo(2_500);
      p.writeMeta(new PartitionMeta(2, 3_900));
      p.truncateAfter(4_000);
      p.append(PartitionLogContract.batch(3, 4_001, 4_010));

      PartitionLog q = storage.open(Q);
      q.append(PartitionLogContract.batch(1, 1, 10));
      q.resetTo(100, 3);
      q.close();

      PartitionLog longer = storage.open(LONGER_NAME);
      longer.append(PartitionLogContract.batch(9, 1, 2));
      longer.close();

      PartitionLog r = storage.open(R);
      r.append(PartitionLogContract.batch(1, 1, 5));
      r.close();
      storage.delete(R);
      // p stays open: closing the storage closes it.
    }

    try (RocksDbLogStorage storage = RocksDbLogStorage.open(logDir, policy)) {
      assertEquals(Set.of(P, Q, LONGER_NAME), storage.partitions());
      PartitionLog p = storage.open(P);
      assertEquals(2_501, p.firstSeq());
      assertEquals(4_010, p.lastSeq());
      assertEquals(3, p.lastEpoch());
      assertEquals(OptionalLong.of(1), p.epochAt(2_500), "the base after compaction");
      assertEquals(OptionalLong.empty(), p.epochAt(2_499));
      assertEquals(new PartitionMeta(2, 3_900), p.readMeta());
      List<LogEntry> expected = new ArrayList<>(PartitionLogContract.batch(1, 2_501, 3_000));
      expected.addAll(PartitionLogContract.batch(2, 3_001, 4_000));
      expected.addAll(PartitionLogContract.batch(3, 4_001, 4_010));
      assertEquals(expected, readAll(p));
      assertThrows(LogCompactedException.class, () -> p.read(2_500, 1, 100));
      p.append(PartitionLogContract.batch(3, 4_011, 4_011)); // the reopened log continues where it ended

      PartitionLog q = storage.open(Q);
      assertEquals(101, q.firstSeq());
      assertEquals(100, q.lastSeq());
      assertEquals(3, q.lastEpoch());
      assertEquals(OptionalLong.of(3), q.epochAt(100));

      assertEquals(PartitionLogContract.batch(9, 1, 2), readAll(storage.open(LONGER_NAME)));

      PartitionLog r = storage.open(R);
      assertEquals(0, r.lastSeq(), "a deleted log stays deleted and starts afresh");
      assertEquals(PartitionMeta.EMPTY, r.readMeta());
    }

    try (RocksDbLogStorage storage = RocksDbLogStorage.open(logDir, policy)) {
      assertEquals(4_011, storage.open(P).lastSeq());
    }
  }

  @Test
  void aLogCreatedAfterReopeningTheDirectoryHasARangeOfItsOwn() {
    Path logDir = dir.resolve("log");
    try (RocksDbLogStorage storage = RocksDbLogStorage.open(logDir, FsyncPolicy.NEVER)) {
      storage.open(P).append(PartitionLogContract.batch(1, 1, 5));
      storage.open(Q).append(PartitionLogContract.batch(1, 1, 3));
    }
    try (RocksDbLogStorage storage = RocksDbLogStorage.open(logDir, FsyncPolicy.NEVER)) {
      PartitionLog r = storage.open(R);
      assertEquals(0, r.lastSeq(), "a new log holds nothing of the logs kept");
      r.append(PartitionLogContract.batch(7, 1, 2));
      r.writeMeta(new PartitionMeta(7, 2));
    }
    try (RocksDbLogStorage storage = RocksDbLogStorage.open(logDir, FsyncPolicy.NEVER)) {
      assertEquals(Set.of(P, Q, R), storage.partitions());
      assertEquals(PartitionLogContract.batch(1, 1, 5), readAll(storage.open(P)));
      assertEquals(PartitionMeta.EMPTY, storage.open(Q).readMeta());
      assertEquals(PartitionLogContract.batch(7, 1, 2), readAll(storage.open(R)));
    }
  }

  @Test
  void aSecondStorageOnAnOpenDirectoryIsRefusedClearly() {
    Path logDir = dir.resolve("log");
    try (RocksDbLogStorage first = RocksDbLogStorage.open(logDir, FsyncPolicy.NEVER)) {
      first.open(P).append(PartitionLogContract.batch(1, 1, 2));
      IllegalStateException error = assertThrows(IllegalStateException.class,
          () -> RocksDbLogStorage.open(logDir, FsyncPolicy.NEVER));
      assertTrue(error.getMessage().contains(logDir.toAbsolutePath().toString()), error.getMessage());
      assertTrue(error.getMessage().contains("already open"), error.getMessage());
      PartitionLog q = first.open(Q);
      q.append(PartitionLogContract.batch(1, 1, 1));
      assertEquals(1, q.lastSeq(), "the first storage is unharmed");
    }
    try (RocksDbLogStorage again = RocksDbLogStorage.open(logDir, FsyncPolicy.NEVER)) {
      assertEquals(2, again.open(P).lastSeq(), "once the owner has closed it, the directory opens");
    }
  }

  @Test
  void aDirectoryOfAnotherKindIsRefused() {
    Path state = dir.resolve("state");
    RocksDbStateStorage.open(state, Duration.ofSeconds(5)).close();
    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> RocksDbLogStorage.open(state, FsyncPolicy.NEVER));
    assertTrue(error.getMessage().contains("cohort-state"), error.getMessage());
    assertTrue(error.getMessage().contains("log storage"), error.getMessage());
  }

  @Test
  void aLogStorageOfAnotherLayoutVersionIsRefusedSayingSo() {
    Path old = dir.resolve("old");
    RocksDbDatabase.open(old, "cohort-partition-log/2", "log storage", false, 0).close();
    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> RocksDbLogStorage.open(old, FsyncPolicy.NEVER));
    assertTrue(error.getMessage().contains("'cohort-partition-log/2'"), error.getMessage());
    assertTrue(error.getMessage().contains("does not read"), error.getMessage());
    assertTrue(error.getMessage().contains("'" + RocksDbLogLayout.FORMAT + "'"), error.getMessage());
  }

  @Test
  void theIntervalPolicysSyncThreadStopsOnClose() throws InterruptedException {
    Path logDir = dir.resolve("log");
    RocksDbLogStorage storage = RocksDbLogStorage.open(logDir, FsyncPolicy.interval(Duration.ofMillis(1)));
    storage.open(P).append(PartitionLogContract.batch(1, 1, 1));
    List<Thread> syncThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(RocksDbLogStorage.SYNC_THREAD_PREFIX + storage.dir()))
        .toList();
    assertEquals(1, syncThreads.size(), "one sync thread per storage");
    storage.close();
    Thread syncThread = syncThreads.get(0);
    syncThread.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(syncThread.isAlive(), "the sync thread ended with the storage");
  }

  @Test
  void noPolicyButIntervalStartsASyncThread() {
    for (FsyncPolicy policy : List.of(FsyncPolicy.ALWAYS, FsyncPolicy.NEVER)) {
      try (RocksDbLogStorage storage = RocksDbLogStorage.open(dir.resolve(policy.toString()), policy)) {
        assertTrue(Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals(RocksDbLogStorage.SYNC_THREAD_PREFIX + storage.dir())), policy.toString());
      }
    }
  }

  @Test
  void aClosedStorageRefusesUseAndClosingTwiceIsHarmless() {
    RocksDbLogStorage storage = RocksDbLogStorage.open(dir.resolve("log"), FsyncPolicy.NEVER);
    storage.close();
    storage.close();
    IllegalStateException error = assertThrows(IllegalStateException.class, storage::partitions);
    assertTrue(error.getMessage().contains("closed"), error.getMessage());
    assertThrows(IllegalStateException.class, () -> storage.delete(P));
  }
}
