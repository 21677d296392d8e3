package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.PartitionId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behavioural suite of {@link StateStore} and {@link StateStorage}, bound to each
 * implementation by a short subclass that says how to make a storage.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StateStoreContract {
  protected static final PartitionId P = new PartitionId("accounts", 3);
  protected static final PartitionId Q = new PartitionId("accounts", 4);
  /** A group whose name starts with P's: its keys must not show in P's scans. */
  protected static final PartitionId R = new PartitionId("accountsx", 3);

  protected StateStorage storage;
  protected StateStore store;

  /** A new, empty storage; the suite closes it after each test. */
  protected abstract StateStorage newStorage();

  @BeforeEach
  void openStore() {
    storage = newStorage();
    store = storage.open(P);
  }

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  protected static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  protected static List<String> keys(List<Map.Entry<byte[], byte[]>> pairs) {
    return pairs.stream().map(p -> new String(p.getKey(), StandardCharsets.UTF_8) + "="
        + new String(p.getValue(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aNewStoreIsEmptyAtSeqZero() {
    assertEquals(0, store.appliedSeq());
    assertTrue(store.get(b("k")).isEmpty());
    assertEquals(List.of(), store.scan(new byte[0], null, 10));
  }

  @Test
  void anApplyWritesItsPutsAndDeletesWithItsSeq_andScansGoInUnsignedKeyOrder() {
    store.apply(3, new StateStore.Changes().put(b("b"), b("1")).put(b("a"), b("2")).put(new byte[] {(byte) 0xC3}, b("3")));
    store.apply(5, new StateStore.Changes().delete(b("b")).put(b("c"), b("4")).put(b("a"), b("5")));

    assertEquals(5, store.appliedSeq());
    assertArrayEquals(b("5"), store.get(b("a")).orElseThrow());
    assertTrue(store.get(b("b")).isEmpty());
    List<Map.Entry<byte[], byte[]>> all = store.scan(new byte[0], null, 10);
    assertEquals(List.of("a=5", "c=4"), keys(all.subList(0, 2)));
    assertArrayEquals(new byte[] {(byte) 0xC3}, all.get(2).getKey(), "0xC3 sorts after ASCII, as unsigned");
    assertEquals(List.of("c=4"), keys(store.scan(b("b"), b("d"), 10)), "from inclusive, to exclusive");
    assertEquals(List.of("a=5"), keys(store.scan(new byte[0], null, 1)), "at most max");
  }

  @Test
  void withinOneApplyTheLaterChangeOfAKeyWins_whateverOrderTheKeysComeIn() {
    store.apply(1, new StateStore.Changes().put(b("c"), b("1")).put(b("b"), b("1")).put(b("a"), b("1"))
        .delete(b("b")).put(b("a"), b("2")).put(b("b"), b("3")).delete(b("c")).put(b("a"), b("4")));

    assertEquals(List.of("a=4", "b=3"), keys(store.scan(new byte[0], null, 10)));
  }

  @Test
  void anApplyThatIsNotAfterTheAppliedSeqIsRefused_andChangesNothing() {
    store.apply(4, new StateStore.Changes().put(b("a"), b("1")));

    var refused = assertThrows(IllegalArgumentException.class,
        () -> store.apply(4, new StateStore.Changes().put(b("a"), b("2"))));

    assertTrue(refused.getMessage().contains("applied up to seq 4; seq 4 is not after it"), refused.getMessage());
    assertArrayEquals(b("1"), store.get(b("a")).orElseThrow());
  }

  @Test
  void aViewKeepsTheStateOfItsSeq_whileAppliesGoOn() {
    store.apply(1, new StateStore.Changes().put(b("a"), b("1")).put(b("b"), b("1")));
    try (StateStore.View view = store.view()) {
      store.apply(2, new StateStore.Changes().put(b("a"), b("2")).delete(b("b")).put(b("c"), b("2")));

      assertEquals(1, view.appliedSeq());
      assertEquals(List.of("a=1", "b=1"), keys(view.scan(new byte[0], null, 10)));
      assertEquals(List.of("a=2", "c=2"), keys(store.scan(new byte[0], null, 10)));
    }
  }

  @Test
  void anInstallReplacesTheWholeState_emptyUntilItCommits() {
    store.apply(7, new StateStore.Changes().put(b("old"), b("x")));

    StateStore.Install install = store.install(40);
    install.write(List.of(Map.entry(b("n1"), b("1"))));
    assertEquals(0, store.appliedSeq(), "an install in progress is not a state to read");
    install.write(List.of(Map.entry(b("n2"), b("2"))));
    install.commit();

    assertEquals(40, store.appliedSeq());
    assertEquals(List.of("n1=1", "n2=2"), keys(store.scan(new byte[0], null, 10)));
    store.apply(41, new StateStore.Changes().put(b("n3"), b("3")));
    assertEquals(41, store.appliedSeq());
  }

  @Test
  void partitionsAreApart_evenWhenOneGroupNameStartsWithAnother() {
    store.apply(1, new StateStore.Changes().put(b("k"), b("p")));
    storage.open(Q).apply(9, new StateStore.Changes().put(b("k"), b("q")));
    storage.open(R).apply(2, new StateStore.Changes().put(b("k"), b("r")));

    assertEquals(List.of("k=p"), keys(store.scan(new byte[0], null, 10)));
    assertEquals(1, store.appliedSeq());
    assertArrayEquals(b("q"), storage.open(Q).get(b("k")).orElseThrow());
    assertEquals(new TreeSet<>(Set.of(P, Q, R)), storage.partitions());
  }

  @Test
  void aDeletedPartitionIsGone_andOpensEmptyAgain() {
    store.apply(3, new StateStore.Changes().put(b("k"), b("v")));

    storage.delete(P);

    assertEquals(new TreeSet<>(), storage.partitions());
    StateStore again = storage.open(P);
    assertEquals(0, again.appliedSeq());
    assertTrue(again.get(b("k")).isEmpty());
  }

  @Test
  void aClosedStorageRefusesItsStores() {
    storage.close();

    assertThrows(IllegalStateException.class, () -> store.appliedSeq());
    assertThrows(IllegalStateException.class, () -> storage.open(P));
  }
}
