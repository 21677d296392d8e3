package dev.cohort.node.kv;

import static dev.cohort.node.kv.Kv.SETTINGS;
import static dev.cohort.node.kv.Kv.cas;
import static dev.cohort.node.kv.Kv.delete;
import static dev.cohort.node.kv.Kv.id;
import static dev.cohort.node.kv.Kv.put;
import static dev.cohort.node.kv.Kv.v;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A snapshot restores the same values, the same applied seq and the same request memory. */
class KvSnapshotTest {

  private static KvStateMachine sample() {
    var machine = new KvStateMachine(SETTINGS);
    machine.apply(1, put(id(1, 1), "k", "a"));
    machine.apply(2, new KvCommand.Put(id(2, 1), "u", "other", v("")));
    machine.apply(3, cas(id(1, 2), "k", 9, "x"));
    machine.apply(4, put(id(3, 1), "gone", "g"));
    machine.apply(5, delete(id(3, 2), "gone"));
    machine.apply(6, new KvCommand.Put(id(2, 2), "nope", "k", v("a")));
    machine.apply(7, put(id(1, 3), "big", "123456789"));
    machine.skip(9);
    return machine;
  }

  @Test
  void aRestoredMachineReadsTheSame_andGivesTheSameSnapshot() {
    KvStateMachine original = sample();
    byte[] snapshot = original.snapshot();

    KvStateMachine restored = KvStateMachine.restore(SETTINGS, snapshot);

    assertEquals(9, restored.lastAppliedSeq());
    for (String table : new String[] {"t", "u", "nope"}) {
      for (String key : new String[] {"k", "other", "gone", "big", "never"}) {
        assertEquals(original.read(table, key), restored.read(table, key), table + "/" + key);
      }
    }
    assertArrayEquals(snapshot, restored.snapshot());
  }

  @Test
  void aRestoredMachineAnswersRetriesWithTheFirstResults() {
    KvStateMachine restored = KvStateMachine.restore(SETTINGS, sample().snapshot());

    assertEquals(new KvResult.Written(1, 1), restored.apply(10, put(id(1, 1), "k", "a")));
    assertEquals(new KvResult.Conflict(9, OptionalLong.of(1)), restored.apply(11, cas(id(1, 2), "k", 9, "x")));
    assertEquals(new KvResult.Deleted(5), restored.apply(12, delete(id(3, 2), "gone")));
    assertEquals(new KvResult.Rejected(new Rejection.UnknownTable("nope")),
        restored.apply(13, new KvCommand.Put(id(2, 2), "nope", "k", v("a"))));
    assertEquals(new KvResult.Rejected(new Rejection.TooLarge(9, 8)), restored.apply(14, put(id(1, 3), "big", "123456789")));
    assertEquals(new KvRead.Found(v("a"), 1, 14), restored.read("t", "k"));
  }

  @Test
  void theOrderOfClientsSurvives_soTheSameClientIsForgottenNext() {
    KvStateMachine original = sample();
    KvStateMachine restored = KvStateMachine.restore(SETTINGS, original.snapshot());

    // Clients by last new request: 2 (seq 6), then 1 (seq 7); 3 was before them. A new client evicts 3.
    for (KvStateMachine machine : new KvStateMachine[] {original, restored}) {
      machine.apply(10, put(id(4, 1), "n", "v"));
      assertEquals(new KvResult.Deleted(11), machine.apply(11, delete(id(3, 2), "gone")), "client 3 forgotten: applied again");
      assertEquals(new KvResult.Written(1, 1), machine.apply(12, put(id(1, 1), "k", "a")), "client 1 remembered");
    }
    assertArrayEquals(original.snapshot(), restored.snapshot());
  }

  @Test
  void anEmptyMachineRoundTrips() {
    var empty = new KvStateMachine(SETTINGS);
    KvStateMachine restored = KvStateMachine.restore(SETTINGS, empty.snapshot());

    assertEquals(0, restored.lastAppliedSeq());
    assertEquals(new KvRead.Absent(0), restored.read("t", "k"));
  }

  @Test
  void aMalformedSnapshotIsRefused() {
    byte[] snapshot = sample().snapshot();
    for (int length = 0; length < snapshot.length; length++) {
      byte[] cut = Arrays.copyOf(snapshot, length);
      var e = assertThrows(MalformedPayloadException.class, () -> KvStateMachine.restore(SETTINGS, cut), "length " + length);
      assertTrue(e.getMessage().startsWith("malformed kv snapshot: "), e.getMessage());
    }
    byte[] longer = Arrays.copyOf(snapshot, snapshot.length + 1);
    assertThrows(MalformedPayloadException.class, () -> KvStateMachine.restore(SETTINGS, longer));
    byte[] otherFormat = snapshot.clone();
    otherFormat[0] = 7;
    var e = assertThrows(MalformedPayloadException.class, () -> KvStateMachine.restore(SETTINGS, otherFormat));
    assertTrue(e.getMessage().contains("unsupported format 7"), e.getMessage());
  }
}
