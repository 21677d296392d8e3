package dev.cohort.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.node.replication.SnapshotAssembly.Take;
import dev.cohort.node.replication.SnapshotAssembly.Want;
import org.junit.jupiter.api.Test;

class SnapshotAssemblyTest {
  private final SnapshotAssembly assembly = new SnapshotAssembly();

  @Test
  void chunksInOrder_areTakenEach_theFirstStartsAndTheLastCompletesTheSnapshot() {
    assertEquals(new Take(true, false, 1), assembly.offer(50, 2, 0, false));
    assertEquals(new Take(false, false, 2), assembly.offer(50, 2, 1, false));
    assertEquals(new Take(false, true, 3), assembly.offer(50, 2, 2, true));
  }

  @Test
  void aSnapshotOfOneChunk_startsAndCompletesAtOnce() {
    assertEquals(new Take(true, true, 1), assembly.offer(50, 2, 0, true));
  }

  @Test
  void aRepeatedOrSkippedChunk_asksAgainForTheNextOne_andIsNotTaken() {
    assembly.offer(50, 2, 0, false);
    assertEquals(new Want(1), assembly.offer(50, 2, 0, false), "chunk 0 again");
    assertEquals(new Want(1), assembly.offer(50, 2, 2, true), "chunk 2 before chunk 1");
    assertEquals(new Take(false, false, 2), assembly.offer(50, 2, 1, false));
    assertEquals(new Take(false, true, 3), assembly.offer(50, 2, 2, true));
  }

  @Test
  void aChunkOfAnotherSnapshot_asksForItsStart_andItsFirstChunkStartsItAfresh() {
    assembly.offer(50, 2, 0, false);
    assertEquals(new Want(0), assembly.offer(80, 3, 1, true), "the middle of a newer snapshot");
    assertEquals(new Take(true, false, 1), assembly.offer(80, 3, 0, false));
    assertEquals(new Take(false, true, 2), assembly.offer(80, 3, 1, true));
  }

  @Test
  void afterTheSnapshotCompletes_aLateRepeatOfItsLastChunkAsksForTheStart() {
    assembly.offer(50, 2, 0, false);
    assembly.offer(50, 2, 1, true);
    assertEquals(new Want(0), assembly.offer(50, 2, 1, true));
  }

  @Test
  void afterReset_theSnapshotUnderWayIsForgotten() {
    assembly.offer(50, 2, 0, false);
    assembly.reset();
    assertEquals(new Want(0), assembly.offer(50, 2, 1, false));
  }

  @Test
  void aNegativeChunkIndexIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> assembly.offer(50, 2, -1, false));
  }
}
