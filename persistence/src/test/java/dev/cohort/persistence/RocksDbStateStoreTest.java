package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binds {@link StateStoreContract} to {@link RocksDbStateStorage}, and checks what survives a restart. */
class RocksDbStateStoreTest extends StateStoreContract {
  @TempDir Path dir;

  @Override
  protected StateStorage newStorage() {
    return RocksDbStateStorage.open(dir.resolve("state"));
  }

  private StateStorage restart() {
    storage.close();
    storage = newStorage();
    return storage;
  }

  @Test
  void aRestartedStorageFindsTheStateAsOfTheLastApply() {
    store.apply(10, new StateStore.Changes().put(b("a"), b("1")).put(b("b"), b("2")));
    store.apply(11, new StateStore.Changes().delete(b("a")));
    storage.sync();

    StateStore found = restart().open(P);

    assertEquals(11, found.appliedSeq());
    assertEquals(List.of("b=2"), keys(found.scan(new byte[0], null, 10)));
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
  void aSecondStorageOnTheSameDirectoryIsRefused() {
    var refused = assertThrows(IllegalStateException.class, () -> RocksDbStateStorage.open(dir.resolve("state")));

    assertTrue(refused.getMessage().contains("already open"), refused.getMessage());
  }
}
