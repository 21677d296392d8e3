package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binds {@link StateStoreContract} to {@link RocksDbStateStorage}, and checks what survives a restart
 * and a crash.
 */
class RocksDbStateStoreTest extends StateStoreContract {
  /** Longer than any test: the background flush never runs unless a test asks for it. */
  private static final Duration NO_BACKGROUND_FLUSH = Duration.ofHours(1);

  @TempDir Path dir;

  @Override
  protected StateStorage newStorage() {
    return RocksDbStateStorage.open(dir.resolve("state"), NO_BACKGROUND_FLUSH);
  }

  private StateStorage restart() {
    storage.close();
    storage = newStorage();
    return storage;
  }

  /** The storage a crash of the process now would leave: its files copied while it is open. */
  private StateStorage crashCopy() throws IOException {
    Path crashed = dir.resolve("crashed");
    RocksDbDatabaseTest.copyFiles(dir.resolve("state"), crashed);
    return RocksDbStateStorage.open(crashed, NO_BACKGROUND_FLUSH);
  }

  @Test
  void aRestartedStorageFindsTheStateAsOfTheLastApply() {
    store.apply(10, new StateStore.Changes().put(b("a"), b("1")).put(b("b"), b("2")));
    store.apply(11, new StateStore.Changes().delete(b("a")));

    StateStore found = restart().open(P);

    assertEquals(11, found.appliedSeq());
    assertEquals(11, found.durableSeq(), "a clean close writes everything out");
    assertEquals(List.of("b=2"), keys(found.scan(new byte[0], null, 10)));
  }

  /**
   * Given applies after the last sync, which skip the write-ahead log, when the process crashes, then
   * the state is found whole as of the durable seq, which the partition's log is kept after.
   */
  @Test
  void aCrashFindsTheStateAsOfItsDurableSeq_whole() throws IOException {
    store.apply(1, new StateStore.Changes().put(b("a"), b("1")).put(b("b"), b("1")));
    store.apply(2, new StateStore.Changes().put(b("b"), b("2")));
    assertEquals(0, store.durableSeq(), "nothing written out yet");
    storage.sync();
    store.apply(3, new StateStore.Changes().put(b("a"), b("3")).delete(b("b")));

    assertEquals(2, store.durableSeq());
    assertEquals(3, store.appliedSeq());
    try (StateStorage crashed = crashCopy()) {
      StateStore found = crashed.open(P);
      assertEquals(2, found.appliedSeq());
      assertEquals(List.of("a=1", "b=2"), keys(found.scan(new byte[0], null, 10)));
    }
  }

  @Test
  void theBackgroundFlushBringsTheDurableSeqUpToTheAppliedOne() throws Exception {
    storage.close();
    storage = RocksDbStateStorage.open(dir.resolve("state"), Duration.ofMillis(20));
    store = storage.open(P);
    store.apply(7, new StateStore.Changes().put(b("a"), b("7")));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.durableSeq() < 7 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertEquals(7, store.durableSeq());
    try (StateStorage crashed = crashCopy()) {
      assertEquals(7, crashed.open(P).appliedSeq());
    }
  }

  @Test
  void anInstallThatDidNotCommitBeforeARestartLeavesTheStoreEmpty() {
    store.apply(10, new StateStore.Changes().put(b("old"), b("1")));
    StateStore.Install install = store.install(50);
    install.write(List.of(Map.entry(b("half"), b("1"))));

    StateStore found = restart().open(P);

    assertEquals(0, found.appliedSeq());
    assertEquals(List.of(), found.scan(new byte[0], null, 10), "neither the old state nor half of the new one");
    assertTrue(storage.partitions().contains(P));
  }

  @Test
  void anInstallUnderWayWhenTheProcessCrashesLeavesTheStoreEmpty() throws IOException {
    store.apply(10, new StateStore.Changes().put(b("old"), b("1")));
    storage.sync();
    StateStore.Install install = store.install(50);
    install.write(List.of(Map.entry(b("half"), b("1"))));

    assertEquals(0, store.durableSeq());
    try (StateStorage crashed = crashCopy()) {
      StateStore found = crashed.open(P);
      assertEquals(0, found.appliedSeq());
      assertEquals(List.of(), found.scan(new byte[0], null, 10), "not the old state, which the log may no longer follow");
    }
  }

  @Test
  void aSecondStorageOnTheSameDirectoryIsRefused() {
    var refused = assertThrows(IllegalStateException.class,
        () -> RocksDbStateStorage.open(dir.resolve("state"), NO_BACKGROUND_FLUSH));

    assertTrue(refused.getMessage().contains("already open"), refused.getMessage());
  }

  @Test
  void aFlushIntervalThatIsNotPositiveIsRefused() {
    var refused = assertThrows(IllegalArgumentException.class,
        () -> RocksDbStateStorage.open(dir.resolve("other"), Duration.ZERO));

    assertTrue(refused.getMessage().contains("positive flush interval"), refused.getMessage());
  }

  @Test
  void theFlushThreadStopsOnClose() throws InterruptedException {
    String name = RocksDbStateStorage.FLUSH_THREAD_PREFIX + dir.resolve("state").toAbsolutePath().normalize();
    List<Thread> flushThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name))
        .toList();
    assertEquals(1, flushThreads.size(), "one flush thread per storage");

    storage.close();

    flushThreads.get(0).join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(flushThreads.get(0).isAlive(), "the flush thread ended with the storage");
  }
}
