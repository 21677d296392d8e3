package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binds {@link SnapshotStoreContract} to {@link RocksDbSnapshotStore}, and checks what the store on
 * disk adds: snapshots and deletions survive reopening the directory, chunks of a snapshot never
 * committed do not come back, and a directory has one owner at a time.
 */
class RocksDbSnapshotStoreTest extends SnapshotStoreContract {
  @TempDir Path dir;

  @Override
  protected SnapshotStore newStore() {
    return RocksDbSnapshotStore.open(dir.resolve("snapshots"));
  }

  /** A node restarting with its data: the store closed, and a new one opened on the same directory. */
  @Override
  protected SnapshotStore restart(SnapshotStore store) {
    RocksDbSnapshotStore rocks = (RocksDbSnapshotStore) store;
    rocks.close();
    return RocksDbSnapshotStore.open(rocks.dir());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void snapshotsAndDeletionsSurviveReopeningTheDirectory() {
    Path snapshots = dir.resolve("reopened");
    SnapshotInfo p20;
    SnapshotInfo p30;
    SnapshotInfo q5;
    SnapshotInfo q5again;
    try (RocksDbSnapshotStore store = RocksDbSnapshotStore.open(snapshots)) {
      store.save(P, 10, 1, bytes("p10"));
      p20 = store.save(P, 20, 1, bytes("p20"));
      try (SnapshotWriter writer = store.create(P, 30, 2)) {
        writer.write(bytes("p30-a"));
        writer.write(bytes("p30-b"));
        p30 = writer.commit();
      }
      store.deleteBefore(P, 20);
      q5 = store.save(Q, 5, 1, bytes("q5"));
      store.save(Q, 6, 1, bytes("q6"));
      store.delete(Q);
      q5again = store.save(Q, 5, 1, bytes("q5 again"));
    }
    try (RocksDbSnapshotStore store = RocksDbSnapshotStore.open(snapshots)) {
      assertEquals(Optional.of(p30), store.latest(P));
      assertArrayEquals(bytes("p30-b"), store.readChunk(p30, 1));
      assertArrayEquals(bytes("p20"), store.readAll(p20));
      assertThrows(SnapshotDeletedException.class, () -> store.readAll(new SnapshotInfo(P, 10, 1, 3, 1)));
      assertEquals(Optional.of(q5again), store.latest(Q), "deleted, then written again at the same seq");
      assertArrayEquals(bytes("q5 again"), store.readAll(q5again));
      assertThrows(SnapshotDeletedException.class, () -> store.readAll(q5), "the snapshot deleted before is another one");
    }
  }

  @Test
  void chunksOfASnapshotNeverCommittedDoNotComeBack() {
    Path snapshots = dir.resolve("uncommitted");
    RocksDbSnapshotStore store = RocksDbSnapshotStore.open(snapshots);
    SnapshotInfo committed = store.save(P, 10, 1, bytes("committed"));
    SnapshotWriter abandoned = store.create(P, 20, 1);
    abandoned.write(bytes("abandoned-0"));
    abandoned.write(bytes("abandoned-1"));
    store.close(); // as a crash would leave it: the writer never committed nor closed
    abandoned.close();

    try (RocksDbSnapshotStore reopened = RocksDbSnapshotStore.open(snapshots)) {
      assertEquals(Optional.of(committed), reopened.latest(P));
      SnapshotInfo fresh;
      try (SnapshotWriter writer = reopened.create(P, 20, 1)) {
        writer.write(bytes("fresh"));
        fresh = writer.commit();
      }
      assertEquals(new SnapshotInfo(P, 20, 1, 5, 1), fresh);
      assertArrayEquals(bytes("fresh"), reopened.readAll(fresh));
      assertArrayEquals(bytes("committed"), reopened.readAll(committed));
    }
  }

  @Test
  void twoWritersAtTheSameSeqKeepTheirChunksApart() {
    try (RocksDbSnapshotStore store = RocksDbSnapshotStore.open(dir.resolve("twins"))) {
      SnapshotWriter first = store.create(P, 10, 1);
      SnapshotWriter second = store.create(P, 10, 1);
      first.write(bytes("first"));
      second.write(bytes("second"));
      SnapshotInfo info = second.commit();
      assertThrows(IllegalStateException.class, first::commit);
      first.close();
      assertArrayEquals(bytes("second"), store.readAll(info));
    }
  }

  @Test
  void aSecondStoreOnAnOpenDirectoryIsRefusedClearly() {
    Path snapshots = dir.resolve("owned");
    try (RocksDbSnapshotStore first = RocksDbSnapshotStore.open(snapshots)) {
      IllegalStateException error = assertThrows(IllegalStateException.class, () -> RocksDbSnapshotStore.open(snapshots));
      assertTrue(error.getMessage().contains(snapshots.toAbsolutePath().toString()), error.getMessage());
      assertTrue(error.getMessage().contains("already open"), error.getMessage());
      first.save(P, 1, 1, bytes("unharmed"));
    }
    try (RocksDbSnapshotStore again = RocksDbSnapshotStore.open(snapshots)) {
      assertEquals(1, again.latest(P).orElseThrow().seq());
    }
  }

  @Test
  void aLogStorageDirectoryIsRefused() {
    Path log = dir.resolve("log");
    RocksDbLogStorage.open(log, FsyncPolicy.NEVER).close();
    IllegalStateException error = assertThrows(IllegalStateException.class, () -> RocksDbSnapshotStore.open(log));
    assertTrue(error.getMessage().contains("cohort-partition-log"), error.getMessage());
  }
}
