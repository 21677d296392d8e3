package dev.cohort.node.kv;

import static dev.cohort.node.kv.Kv.SETTINGS;
import static dev.cohort.node.kv.Kv.cas;
import static dev.cohort.node.kv.Kv.delete;
import static dev.cohort.node.kv.Kv.id;
import static dev.cohort.node.kv.Kv.pairs;
import static dev.cohort.node.kv.Kv.put;
import static dev.cohort.node.kv.Kv.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cohort.persistence.StateStore;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A machine opened again over the store of another (a restarted node) has the same values, the same
 * applied seq and the same request memory, as of the other's last flush.
 */
class KvRestartTest {
  private final StateStore store = Kv.store();
  private final KvStateMachine original = new KvStateMachine(SETTINGS, store);

  private void applySample() {
    original.apply(1, put(id(1, 1), "k", "a"));
    original.apply(2, new KvCommand.Put(id(2, 1), "u", "other", v("")));
    original.apply(3, cas(id(1, 2), "k", 9, "x"));
    original.apply(4, put(id(3, 1), "gone", "g"));
    original.apply(5, delete(id(3, 2), "gone"));
    original.apply(6, new KvCommand.Put(id(2, 2), "nope", "k", v("a")));
    original.apply(7, put(id(1, 3), "big", "123456789"));
    original.skip(9);
    original.flush();
  }

  @Test
  void aReopenedMachineReadsTheSame() {
    applySample();

    KvStateMachine reopened = new KvStateMachine(SETTINGS, store);

    assertEquals(9, reopened.lastAppliedSeq());
    assertEquals(9, store.appliedSeq());
    for (String table : new String[] {"t", "u", "nope"}) {
      for (String key : new String[] {"k", "other", "gone", "big", "never"}) {
        assertEquals(original.read(table, key), reopened.read(table, key), table + "/" + key);
      }
    }
  }

  @Test
  void aReopenedMachineAnswersRetriesWithTheFirstResults() {
    applySample();
    KvStateMachine reopened = new KvStateMachine(SETTINGS, store);

    assertEquals(new KvResult.Written(1, 1), reopened.apply(10, put(id(1, 1), "k", "a")));
    assertEquals(new KvResult.Conflict(9, OptionalLong.of(1)), reopened.apply(11, cas(id(1, 2), "k", 9, "x")));
    assertEquals(new KvResult.Deleted(5), reopened.apply(12, delete(id(3, 2), "gone")));
    assertEquals(new KvResult.Rejected(new Rejection.UnknownTable("nope")),
        reopened.apply(13, new KvCommand.Put(id(2, 2), "nope", "k", v("a"))));
    assertEquals(new KvResult.Rejected(new Rejection.TooLarge(9, 8)), reopened.apply(14, put(id(1, 3), "big", "123456789")));
    assertEquals(new KvRead.Found(v("a"), 1, 14), reopened.read("t", "k"));
  }

  @Test
  void theOrderOfClientsSurvives_soTheSameClientIsForgottenNext() {
    applySample();
    KvStateMachine reopened = new KvStateMachine(SETTINGS, store);

    // Clients by last new request: 3 (seq 5), 2 (seq 6), then 1 (seq 7); 3 clients are remembered.
    reopened.apply(10, put(id(4, 1), "n", "v"));
    assertEquals(new KvResult.Deleted(11), reopened.apply(11, delete(id(3, 2), "gone")), "client 3 forgotten: applied again");
    assertEquals(new KvResult.Written(1, 1), reopened.apply(12, put(id(1, 1), "k", "a")), "client 1 remembered");
  }

  @Test
  void anEmptyStoreGivesAnEmptyMachine() {
    var empty = new KvStateMachine(SETTINGS, store);
    empty.flush();

    KvStateMachine reopened = new KvStateMachine(SETTINGS, store);

    assertEquals(0, reopened.lastAppliedSeq());
    assertEquals(new KvRead.Absent(0), reopened.read("t", "k"));
    assertEquals(0, pairs(store).size());
  }

  @Test
  void whatWasAppliedSinceTheLastFlushIsNotInTheStore_butReadsSeeIt() {
    applySample();
    var before = pairs(store);

    original.apply(10, put(id(1, 4), "k", "late"));
    original.apply(11, delete(id(1, 5), "other"));

    assertEquals(new KvRead.Found(v("late"), 10, 11), original.read("t", "k"), "reads see the batch");
    assertEquals(before, pairs(store), "nothing written before the flush");
    KvStateMachine reopened = new KvStateMachine(SETTINGS, store);
    assertEquals(9, reopened.lastAppliedSeq());
    assertEquals(new KvRead.Found(v("a"), 1, 9), reopened.read("t", "k"));

    original.flush();
    assertEquals(11, store.appliedSeq());
    assertEquals(new KvRead.Found(v("late"), 10, 11), new KvStateMachine(SETTINGS, store).read("t", "k"));
  }
}
