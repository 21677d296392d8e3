package dev.cohort.partitioning;

import static dev.cohort.partitioning.Shapes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.api.Epoch;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PartitionTableTest {
  private static final PartitionEntry A0 = entry("a", 0, 1, 2);
  private static final PartitionEntry A1 = entry("a", 1, 2, 1);
  private static final PartitionEntry B0 = new PartitionEntry(new PartitionId("b", 0), Optional.empty(), new TreeSet<>(), new Epoch(3));
  private static final PartitionTable TABLE = new PartitionTable(7, List.of(A0, A1, B0));

  @Test
  void givenTheEmptyTable_thenItHasVersionZeroAndNoPartitions() {
    assertEquals(0, PartitionTable.EMPTY.version());
    assertEquals(List.of(), PartitionTable.EMPTY.partitions());
    assertEquals(Optional.empty(), PartitionTable.EMPTY.entry(new PartitionId("a", 0)));
  }

  @Test
  void givenATable_whenLookingUpById_thenTheEntryIsFoundOrEmpty() {
    assertEquals(Optional.of(A1), TABLE.entry(new PartitionId("a", 1)));
    assertEquals(Optional.of(B0), TABLE.entry(new PartitionId("b", 0)));
    assertEquals(Optional.empty(), TABLE.entry(new PartitionId("a", 2)));
    assertEquals(Optional.empty(), TABLE.entry(new PartitionId("c", 0)));
  }

  @Test
  void givenATable_whenAskingForAGroup_thenItsEntriesComeInIndexOrder() {
    assertEquals(List.of(A0, A1), TABLE.group("a"));
    assertEquals(List.of(B0), TABLE.group("b"));
    assertEquals(List.of(), TABLE.group("aa"));
    assertEquals(Set.of("a", "b"), TABLE.groupNames());
  }

  @Test
  void givenEntriesOutOfOrderOrTwice_whenBuildingATable_thenItIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PartitionTable(1, List.of(A1, A0)));
    assertThrows(IllegalArgumentException.class, () -> new PartitionTable(1, List.of(A0, A0)));
    assertThrows(IllegalArgumentException.class, () -> new PartitionTable(-1, List.of()));
  }

  @Test
  void givenAnEntry_thenItTellsItsActiveAndHolders() {
    assertEquals(Optional.of(node(1)), A0.active());
    assertEquals(true, A0.heldBy(node(2)));
    assertEquals(false, A0.heldBy(node(3)));
    assertEquals(false, B0.available());
    assertEquals(Optional.empty(), B0.active());
  }

  @Test
  void givenTwoEntries_whenComparedAsAChange_thenActiveChangesMovesAndReplicaSlotsAreCounted() {
    var before = entry("a", 0, 1, 2, 3);
    var after = entry("a", 0, 2, 4, 3);

    var change = new PartitionChange(before.id(), Optional.of(before), Optional.of(after));

    assertEquals(true, change.activeChanged());
    assertEquals(List.of(node(4)), change.addedNodes());
    assertEquals(List.of(node(1)), change.removedNodes());
    assertEquals(1, change.replicaSlotChanges(), "first replica 2 -> 4; second replica stays 3");
  }

  @Test
  void givenAPartitionThatBecomesUnavailable_whenComparedAsAChange_thenItsActiveChangedAndNothingMoves() {
    var before = entry("a", 0, 1, 2);
    var after = new PartitionEntry(before.id(), Optional.empty(), before.inSync(), new Epoch(2));

    var change = new PartitionChange(before.id(), Optional.of(before), Optional.of(after));

    assertEquals(true, change.activeChanged());
    assertEquals(List.of(), change.addedNodes());
    assertEquals(1, change.replicaSlotChanges());
  }

  private static PartitionEntry entry(String group, int index, int... nodes) {
    var placement = Placement.of(Arrays.stream(nodes).mapToObj(Shapes::node).toList());
    return PartitionEntry.allInSync(new PartitionId(group, index), placement, Epoch.FIRST);
  }
}
