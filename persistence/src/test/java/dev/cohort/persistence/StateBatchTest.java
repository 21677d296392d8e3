package dev.cohort.persistence;

import static dev.cohort.persistence.StateStoreContract.b;
import static dev.cohort.persistence.StateStoreContract.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.PartitionId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A batch reads as the store would after its commit, and its commit is one apply. */
class StateBatchTest {
  private final StateStore store = new InMemoryStateStorage().open(new PartitionId("accounts", 1));
  private final StateBatch batch = new StateBatch(store);

  @Test
  void readsSeeTheBatch_andTheStoreSeesNothingUntilTheCommit() {
    store.apply(1, new StateStore.Changes().put(b("a"), b("1")).put(b("b"), b("1")).put(b("c"), b("1")));

    batch.put(b("b"), b("2"));
    batch.delete(b("c"));
    batch.put(b("d"), b("2"));

    assertEquals("2", new String(batch.get(b("b")).orElseThrow(), StandardCharsets.UTF_8));
    assertTrue(batch.get(b("c")).isEmpty());
    assertEquals(List.of("a=1", "b=2", "d=2"), keys(batch.scan(b("a"), null, 10)));
    assertEquals(List.of("a=1", "b=1", "c=1"), keys(store.scan(b("a"), null, 10)), "nothing written yet");
    assertEquals(1, store.appliedSeq());

    batch.commit(5);

    assertEquals(5, store.appliedSeq());
    assertEquals(List.of("a=1", "b=2", "d=2"), keys(store.scan(b("a"), null, 10)));
    assertEquals(List.of("a=1", "b=2", "d=2"), keys(batch.scan(b("a"), null, 10)), "the batch starts empty again");
  }

  @Test
  void aScanWhoseFirstStoredPairsAreDeletedStillGivesMax() {
    var changes = new StateStore.Changes();
    for (char c = 'a'; c <= 'h'; c++) {
      changes.put(b(String.valueOf(c)), b("1"));
    }
    store.apply(1, changes);
    batch.delete(b("a"));
    batch.delete(b("b"));
    batch.delete(b("c"));

    assertEquals(List.of("d=1", "e=1"), keys(batch.scan(b("a"), null, 2)));
    assertEquals(List.of("d=1"), keys(batch.scan(b("a"), b("e"), 5)), "the end key is exclusive");
  }

  @Test
  void aCommitAtAnAppliedSeqIsRefused_andTheBatchIsKept() {
    store.apply(3, new StateStore.Changes());
    batch.put(b("k"), b("v"));

    assertThrows(IllegalArgumentException.class, () -> batch.commit(3));
    batch.commit(4);
    assertEquals("v", new String(store.get(b("k")).orElseThrow(), StandardCharsets.UTF_8));
  }

  @Test
  void randomChangesReadTheSameAsAModel() {
    var random = new Random(11);
    var model = new TreeMap<String, String>();
    long seq = 0;
    for (int round = 0; round < 200; round++) {
      int changesInBatch = random.nextInt(6);
      for (int i = 0; i < changesInBatch; i++) {
        String key = "k" + random.nextInt(20);
        if (random.nextInt(3) == 0) {
          batch.delete(b(key));
          model.remove(key);
        } else {
          String value = "v" + round + "." + i;
          batch.put(b(key), b(value));
          model.put(key, value);
        }
      }
      String from = "k" + random.nextInt(20);
      int max = 1 + random.nextInt(8);
      var expected = new ArrayList<String>();
      for (var entry : model.tailMap(from, true).entrySet()) {
        if (expected.size() < max) {
          expected.add(entry.getKey() + "=" + entry.getValue());
        }
      }
      assertEquals(expected, keys(batch.scan(b(from), null, max)), "round " + round);
      if (random.nextBoolean()) {
        batch.commit(++seq);
      }
    }
  }
}
