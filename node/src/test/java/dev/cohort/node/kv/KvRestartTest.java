package dev.cohort.node.kv;

import static dev.cohort.node.kv.Kv.SETTINGS;
import static dev.cohort.node.kv.Kv.cas;
import static dev.cohort.node.kv.Kv.delete;
import static dev.cohort.node.kv.Kv.id;
import static dev.cohort.node.kv.Kv.pairs;
import static dev.cohort.node.kv.Kv.put;
import static dev.cohort.node.kv.Kv.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cohort.api.PartitionId;
import dev.cohort.persistence.InMemoryStateStorage;
import dev.cohort.persistence.StateStore;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
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

  @Test
  void manyRequestsOfOneClientAreStoredInAFewChunks_notOnePairPerRequest() {
    for (long sequence = 1; sequence <= 1000; sequence++) {
      original.apply(sequence, put(id(1, sequence), "k", "v"));
    }
    original.flush();

    // One row, and the 4 remembered results (SETTINGS) all in the chunk that is filling.
    assertEquals(2, pairs(store).size());
    KvStateMachine reopened = new KvStateMachine(SETTINGS, store);
    assertEquals(new KvResult.Written(997, 997), reopened.apply(1001, put(id(1, 997), "k", "again")));
    assertEquals(new KvResult.Rejected(new Rejection.RequestExpired(id(1, 996), 997)),
        reopened.apply(1002, put(id(1, 996), "k", "again")));
  }

  @Test
  void givenRandomRequests_aMachineReopenedAfterAnyFlushAnswersEveryLaterRequestAsTheOriginalDoes() {
    // 100 results per client span chunks; 4 clients over a limit of 3 make clients be forgotten.
    var settings = new KvSettings(Set.of("t"), 8, 100, 3);
    var random = new Random(23);
    StateStore originalStore = Kv.store();
    var machine = new KvStateMachine(settings, originalStore);
    Map<Long, Long> nextSequence = new HashMap<>();
    KvStateMachine reopened = null;
    long seq = 0;
    for (int step = 0; step < 20_000; step++) {
      if (random.nextInt(200) == 0) {
        machine.flush();
        reopened = new KvStateMachine(settings, copyOf(originalStore));
      }
      long client = 1 + random.nextInt(4);
      long next = nextSequence.getOrDefault(client, 1L);
      long sequence;
      if (random.nextInt(4) == 0) {
        sequence = Math.max(1, next - 1 - random.nextInt(150)); // a retry: remembered, expired or forgotten
      } else {
        sequence = next + random.nextInt(3); // new, sometimes leaving gaps that come later
        nextSequence.put(client, sequence + 1);
      }
      KvCommand command = put(id(client, sequence), "k" + random.nextInt(10), "v" + step % 1000);
      seq++;
      KvResult result = machine.apply(seq, command);
      if (reopened != null) {
        assertEquals(result, reopened.apply(seq, command), "step " + step + ", request " + id(client, sequence));
      }
    }
  }

  private static StateStore copyOf(StateStore store) {
    StateStore copy = new InMemoryStateStorage().open(new PartitionId("accounts", 2));
    var install = copy.install(store.appliedSeq());
    install.write(store.scan(new byte[0], null, Integer.MAX_VALUE));
    install.commit();
    return copy;
  }
}
