package dev.cohort.node.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.node.replication.SnapshotAssembly.Complete;
import dev.cohort.node.replication.SnapshotAssembly.Want;
import org.junit.jupiter.api.Test;

class SnapshotAssemblyTest {
  private final SnapshotAssembly assembly = new SnapshotAssembly();

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void chunksInOrder_askForTheNextEach_andTheLastCompletesTheSnapshot() {
    assertEquals(new Want(1), assembly.offer(50, 2, 0, 3, bytes(1, 2)));
    assertEquals(new Want(2), assembly.offer(50, 2, 1, 3, bytes(3)));
    var complete = (Complete) assembly.offer(50, 2, 2, 3, bytes(4, 5));
    assertArrayEquals(bytes(1, 2, 3, 4, 5), complete.snapshot());
  }

  @Test
  void aRepeatedOrSkippedChunk_asksAgainForTheNextOne_andAddsNothing() {
    assembly.offer(50, 2, 0, 3, bytes(1));
    assertEquals(new Want(1), assembly.offer(50, 2, 0, 3, bytes(1)), "chunk 0 again");
    assertEquals(new Want(1), assembly.offer(50, 2, 2, 3, bytes(3)), "chunk 2 before chunk 1");
    assembly.offer(50, 2, 1, 3, bytes(2));
    assertArrayEquals(bytes(1, 2, 3), ((Complete) assembly.offer(50, 2, 2, 3, bytes(3))).snapshot());
  }

  @Test
  void aChunkOfAnotherSnapshot_asksForItsStart_andItsFirstChunkStartsItAfresh() {
    assembly.offer(50, 2, 0, 3, bytes(1));
    assertEquals(new Want(0), assembly.offer(80, 3, 1, 2, bytes(9)), "the middle of a newer snapshot");
    assertEquals(new Want(1), assembly.offer(80, 3, 0, 2, bytes(7)));
    assertArrayEquals(bytes(7, 8), ((Complete) assembly.offer(80, 3, 1, 2, bytes(8))).snapshot());
  }

  @Test
  void afterTheSnapshotCompletes_aLateRepeatOfItsLastChunkAsksForTheStart() {
    assembly.offer(50, 2, 0, 2, bytes(1));
    assembly.offer(50, 2, 1, 2, bytes(2));
    assertEquals(new Want(0), assembly.offer(50, 2, 1, 2, bytes(2)));
  }

  @Test
  void afterReset_theSnapshotUnderWayIsForgotten() {
    assembly.offer(50, 2, 0, 3, bytes(1));
    assembly.reset();
    assertEquals(new Want(0), assembly.offer(50, 2, 1, 3, bytes(2)));
  }

  @Test
  void aChunkIndexOutsideTheSnapshotIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> assembly.offer(50, 2, 3, 3, bytes(1)));
    assertThrows(IllegalArgumentException.class, () -> assembly.offer(50, 2, 0, 0, bytes()));
  }
}
