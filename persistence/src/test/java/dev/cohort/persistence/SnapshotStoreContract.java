package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.PartitionId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behavioural suite of {@link SnapshotStore}, written once and bound to each implementation by a
 * short subclass that says how to make a store and how to restart it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SnapshotStoreContract {
  protected static final PartitionId P = new PartitionId("accounts", 3);
  protected static final PartitionId Q = new PartitionId("accounts", 4);

  private SnapshotStore store;

  /** A new, empty store; the suite closes it after each test. */
  protected abstract SnapshotStore newStore();

  /** The store as a node restarted with its data finds it; an implementation on disk reopens its files. */
  protected abstract SnapshotStore restart(SnapshotStore store);

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPartitionWithoutSnapshotsHasNoLatest() {
    assertEquals(Optional.empty(), store.latest(P));
  }

  @Test
  void aSavedSnapshotReadsBackWithItsPosition() {
    SnapshotInfo saved = store.save(P, 40, 2, bytes("state at 40"));
    assertEquals(new SnapshotInfo(P, 40, 2, 11, 1), saved);
    assertEquals(Optional.of(saved), store.latest(P));
    assertArrayEquals(bytes("state at 40"), store.readAll(saved));
  }

  @Test
  void aChunkedSnapshotReadsBackChunkByChunkAndWhole() {
    SnapshotInfo info;
    try (SnapshotWriter writer = store.create(P, 10, 1)) {
      assertEquals(P, writer.partition());
      assertEquals(10, writer.seq());
      assertEquals(1, writer.epoch());
      writer.write(bytes("ab"));
      writer.write(bytes("cde"));
      writer.write(bytes("f"));
      info = writer.commit();
    }
    assertEquals(new SnapshotInfo(P, 10, 1, 6, 3), info);
    assertArrayEquals(bytes("ab"), store.readChunk(info, 0));
    assertArrayEquals(bytes("cde"), store.readChunk(info, 1));
    assertArrayEquals(bytes("f"), store.readChunk(info, 2));
    assertArrayEquals(bytes("abcdef"), store.readAll(info));
    assertThrows(IndexOutOfBoundsException.class, () -> store.readChunk(info, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> store.readChunk(info, -1));
  }

  @Test
  void anEmptyStateIsASnapshotWithNoChunks() {
    SnapshotInfo info = store.save(P, 1, 1, new byte[0]);
    assertEquals(new SnapshotInfo(P, 1, 1, 0, 0), info);
    assertArrayEquals(new byte[0], store.readAll(info));
  }

  @Test
  void aSnapshotIsInvisibleUntilCommittedAndDiscardedWhenClosedWithout() {
    try (SnapshotWriter writer = store.create(P, 10, 1)) {
      writer.write(bytes("partial"));
      assertEquals(Optional.empty(), store.latest(P));
    }
    assertEquals(Optional.empty(), store.latest(P));
    SnapshotInfo later = store.save(P, 10, 1, bytes("whole"));
    assertArrayEquals(bytes("whole"), store.readAll(later));
  }

  @Test
  void aWriterIsDoneAfterCommitOrClose() {
    SnapshotWriter committed = store.create(P, 5, 1);
    committed.write(bytes("x"));
    committed.commit();
    assertThrows(IllegalStateException.class, () -> committed.write(bytes("y")));
    assertThrows(IllegalStateException.class, committed::commit);
    committed.close();
    assertEquals(1, store.latest(P).orElseThrow().sizeInBytes());

    SnapshotWriter closed = store.create(P, 6, 1);
    closed.close();
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.write(bytes("y")));
    assertThrows(IllegalStateException.class, closed::commit);
  }

  @Test
  void anEmptyChunkIsRefused() {
    try (SnapshotWriter writer = store.create(P, 5, 1)) {
      assertThrows(IllegalArgumentException.class, () -> writer.write(new byte[0]));
    }
  }

  @Test
  void theLatestIsTheHighestSeqAndANewSnapshotMustCoverMore() {
    store.save(P, 10, 1, bytes("a"));
    SnapshotInfo newer = store.save(P, 20, 2, bytes("b"));
    assertEquals(Optional.of(newer), store.latest(P));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> store.create(P, 20, 2));
    assertTrue(error.getMessage().contains("seq 20"), error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> store.create(P, 15, 2));
  }

  @Test
  void aSnapshotOvertakenWhileBeingWrittenIsNotCommitted() {
    SnapshotWriter slow = store.create(P, 10, 1);
    slow.write(bytes("old"));
    SnapshotInfo fast = store.save(P, 12, 1, bytes("new"));
    assertThrows(IllegalStateException.class, slow::commit);
    slow.close();
    assertEquals(Optional.of(fast), store.latest(P));
  }

  @Test
  void aPositionBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> store.create(P, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> store.create(P, 1, 0));
  }

  @Test
  void deleteBeforeKeepsTheNewerAndReadingADeletedOneFailsClearly() {
    SnapshotInfo first = store.save(P, 10, 1, bytes("a"));
    SnapshotInfo second = store.save(P, 20, 1, bytes("b"));
    SnapshotInfo third = store.save(P, 30, 2, bytes("c"));
    store.deleteBefore(P, 20);
    SnapshotDeletedException error = assertThrows(SnapshotDeletedException.class, () -> store.readChunk(first, 0));
    assertEquals(first, error.snapshot());
    assertTrue(error.getMessage().contains("seq 10") && error.getMessage().contains("latest"), error.getMessage());
    assertArrayEquals(bytes("b"), store.readAll(second));
    store.deleteBefore(P, third.seq());
    assertThrows(SnapshotDeletedException.class, () -> store.readAll(second));
    assertEquals(Optional.of(third), store.latest(P));
  }

  @Test
  void deletingAPartitionRemovesAllItsSnapshotsAndLetsItStartAgain() {
    SnapshotInfo old = store.save(P, 30, 2, bytes("old"));
    store.save(Q, 5, 1, bytes("q"));
    store.delete(P);
    assertEquals(Optional.empty(), store.latest(P));
    assertTrue(store.latest(Q).isPresent());

    SnapshotInfo again = store.save(P, 30, 2, bytes("new"));
    assertEquals(old, again);
    assertArrayEquals(bytes("new"), store.readAll(again));
  }

  @Test
  void partitionsHaveSeparateSnapshots() {
    store.save(P, 10, 1, bytes("p"));
    SnapshotInfo q = store.save(Q, 3, 1, bytes("q"));
    assertEquals(10, store.latest(P).orElseThrow().seq());
    assertArrayEquals(bytes("q"), store.readAll(q));
  }

  @Test
  void theStoreKeepsItsOwnCopiesOfTheBytes() {
    byte[] chunk = bytes("abc");
    SnapshotInfo info;
    try (SnapshotWriter writer = store.create(P, 1, 1)) {
      writer.write(chunk);
      chunk[0] = 'X';
      info = writer.commit();
    }
    store.readChunk(info, 0)[1] = 'Y';
    assertArrayEquals(bytes("abc"), store.readChunk(info, 0));
  }

  @Test
  void committedSnapshotsSurviveARestart() {
    SnapshotInfo info = store.save(P, 40, 3, bytes("state"));
    try (SnapshotWriter uncommitted = store.create(P, 50, 3)) {
      uncommitted.write(bytes("lost"));
      store = restart(store);
    }
    assertEquals(Optional.of(info), store.latest(P));
    assertArrayEquals(bytes("state"), store.readAll(info));
  }

  @Test
  void aClosedStoreRefusesUse() {
    store.close();
    assertThrows(IllegalStateException.class, () -> store.latest(P));
    assertThrows(IllegalStateException.class, () -> store.create(P, 1, 1));
  }
}
