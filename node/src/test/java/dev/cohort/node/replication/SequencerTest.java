package dev.cohort.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Seq assignment, batching and answering callers in order. */
class SequencerTest {

  private static Sequencer<String> continuing(long lastSeq, long lastEpoch, int maxEntries, long maxBytes) {
    return new Sequencer<>(5, lastSeq, lastEpoch, 0, maxEntries, maxBytes);
  }

  private static byte[] bytes(int n) {
    return new byte[n];
  }

  @Test
  void seqsContinueTheLogAndTheFirstBatchFollowsItsLastEntry() {
    var sequencer = continuing(7, 4, 10, 1_000);

    assertEquals(8, sequencer.submit(bytes(1), "a"));
    assertEquals(9, sequencer.submit(bytes(1), "b"));
    Sequencer.Batch batch = sequencer.drain();

    assertEquals(5, batch.epoch());
    assertEquals(7, batch.prevSeq());
    assertEquals(4, batch.prevEpoch());
    assertEquals(List.of(new EntryId(5, 8), new EntryId(5, 9)), batch.ids());
    assertEquals(9, batch.lastSeq());
  }

  @Test
  void batchesAreBoundedByCount() {
    var sequencer = continuing(0, 0, 2, 1_000);
    sequencer.submit(bytes(1), "a");
    assertFalse(sequencer.batchFull());
    sequencer.submit(bytes(1), "b");
    assertTrue(sequencer.batchFull());
    sequencer.submit(bytes(1), "c");

    assertEquals(2, sequencer.drain().entries().size());
    Sequencer.Batch second = sequencer.drain();
    assertEquals(List.of(new EntryId(5, 3)), second.ids());
    assertEquals(2, second.prevSeq());
    assertEquals(5, second.prevEpoch());
    assertFalse(sequencer.hasPending());
  }

  @Test
  void batchesAreBoundedByBytes_andAnOversizeEntryTravelsAlone() {
    var sequencer = continuing(0, 0, 100, 10);
    sequencer.submit(bytes(4), "a");
    sequencer.submit(bytes(4), "b");
    assertFalse(sequencer.batchFull());
    sequencer.submit(bytes(4), "c");
    assertTrue(sequencer.batchFull());
    sequencer.submit(bytes(30), "d");

    assertEquals(8, sequencer.drain().bytes());
    assertEquals(List.of(new EntryId(5, 3)), sequencer.drain().ids());
    assertEquals(30, sequencer.drain().bytes());
  }

  @Test
  void committingAnswersTheCallersItPassesInSeqOrder_andSkipsEntriesNobodyWaitsFor() {
    var sequencer = continuing(0, 0, 100, 1_000);
    sequencer.submitUnanswered(bytes(0));
    sequencer.submit(bytes(1), "a");
    sequencer.submit(bytes(1), "b");
    sequencer.submit(bytes(1), "c");
    sequencer.drain();

    assertEquals(List.of(new Sequencer.Answer<>(2, "a"), new Sequencer.Answer<>(3, "b")), sequencer.commitTo(3));
    assertEquals(List.of(), sequencer.commitTo(2), "a lower position changes nothing");
    assertEquals(3, sequencer.committedSeq());
    assertEquals(List.of(new Sequencer.Answer<>(4, "c")), sequencer.commitTo(4));
    assertEquals(0, sequencer.inFlight());
  }

  @Test
  void entriesNotYetSentCannotCommit() {
    var sequencer = continuing(0, 0, 100, 1_000);
    sequencer.submit(bytes(1), "a");

    assertThrows(IllegalArgumentException.class, () -> sequencer.commitTo(1));
  }

  @Test
  void givingUpTheActiveRoleReturnsEveryWaitingCallerInSeqOrder() {
    var sequencer = continuing(0, 0, 1, 1_000);
    sequencer.submit(bytes(1), "a");
    sequencer.submit(bytes(1), "b");
    sequencer.submitUnanswered(bytes(1));
    sequencer.submit(bytes(1), "c");
    sequencer.drain();
    sequencer.drain();
    assertEquals(4, sequencer.inFlight());

    assertEquals(List.of("a", "b", "c"), sequencer.abandon());
    assertEquals(0, sequencer.inFlight());
    assertFalse(sequencer.hasPending());
  }

  @Test
  void aNewEpochStampsTheNextBatches() {
    var sequencer = continuing(0, 0, 100, 1_000);
    sequencer.submit(bytes(1), "a");
    sequencer.drain();
    sequencer.submit(bytes(1), "b");
    sequencer.changeEpoch(6);

    Sequencer.Batch batch = sequencer.drain();
    assertEquals(List.of(new EntryId(6, 2)), batch.ids());
    assertEquals(5, batch.prevEpoch());
    assertThrows(IllegalArgumentException.class, () -> sequencer.changeEpoch(6));
  }

  @Test
  void anInconsistentStartIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sequencer<String>(5, 3, 0, 0, 1, 1), "seq without epoch");
    assertThrows(IllegalArgumentException.class, () -> new Sequencer<String>(5, 3, 6, 0, 1, 1), "epoch from the future");
    assertThrows(IllegalArgumentException.class, () -> new Sequencer<String>(5, 3, 5, 4, 1, 1), "committed past the end");
    assertThrows(IllegalArgumentException.class, () -> new Sequencer<String>(5, 0, 0, 0, 0, 1), "no room in a batch");
    assertThrows(IllegalStateException.class, () -> continuing(0, 0, 1, 1).drain(), "nothing to drain");
    assertThrows(IllegalArgumentException.class, () -> continuing(0, 0, 1, 1).submit(bytes(1), null));
  }
}
