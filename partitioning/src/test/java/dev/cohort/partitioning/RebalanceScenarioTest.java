package dev.cohort.partitioning;

import static dev.cohort.partitioning.Shapes.GROUP;
import static dev.cohort.partitioning.Shapes.live;
import static dev.cohort.partitioning.Shapes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reference scenario: 271 partitions with 2 replicas as nodes come and go, 3 → 4 → 5 → 4. After
 * each change the table settles (replicas catch up, the planner plans again); each change is checked
 * against the guarantees over all its plans, and its figures are printed (in the test's output
 * file).
 */
class RebalanceScenarioTest {
  private static final int PARTITIONS = 271;
  private static final int REPLICAS = 2;

  @Test
  void given271PartitionsWithTwoReplicas_whenNodesGoFromThreeToFourToFiveToFourAndSettle_thenEveryStepIsBalancedAndBounded() {
    CohortSettings settings = Shapes.dynamic(5, PARTITIONS, REPLICAS);

    Settling three = step(settings, "start on 3", PartitionTable.EMPTY, live(1, 2, 3), null);
    Settling four = step(settings, "n04 joins", three.table(), live(1, 2, 3, 4), null);
    Settling five = step(settings, "n05 joins", four.table(), live(1, 2, 3, 4, 5), null);
    Settling fourAgain = step(settings, "n02 leaves", five.table(), live(1, 3, 4, 5), node(2));

    assertEquals(0, three.rounds(), "a first placement has no data to wait for");
    // A join moves the newcomer's share of actives and no more, once it caught up: the first plan
    // only gives it replicas to catch up, the next one promotes it.
    assertEquals(0, four.plans().get(0).activeChanges(), "no active moves before the newcomer has the data");
    assertEquals(PARTITIONS / 4, four.activeChanges());
    assertEquals(PARTITIONS / 5, five.activeChanges());
    // A join moves only the data the newcomer must hold: its actives and its replica slots.
    assertEquals(copiesOf(four, node(4)), four.moves());
    assertEquals(copiesOf(five, node(5)), five.moves());
    // The leave: n02's actives fail over and a few more move to even out, all within the bound.
    assertTrue(fourAgain.activeChanges() <= FairShare.churnBound(PARTITIONS, 5));
  }

  private static Settling step(
      CohortSettings settings, String name, PartitionTable previous, Set<NodeName> live, NodeName left) {
    Settling settling = Settling.of(settings, live, previous,
        (from, plan) -> assertEquals(List.of(), Checks.inSync(from, plan.table(), live, REPLICAS), name));
    PlacementPlan settled = settling.settled();

    assertEquals(List.of(), Checks.balance(settled, GROUP, PARTITIONS, REPLICAS, live), name);
    if (previous != PartitionTable.EMPTY) {
      int before = previous.group(GROUP).stream().flatMap(e -> e.placement().orElseThrow().nodes().stream())
          .distinct().toList().size();
      int bound = FairShare.churnBound(PARTITIONS, Math.max(before, live.size()));
      assertTrue(settling.activeChanges() <= bound, name + ": " + settling.activeChanges() + " active changes, bound " + bound);
    }
    if (left != null) {
      assertEquals(List.of(), Checks.failover(previous, settling.plans().get(0).table(), left, live), name);
      assertEquals(0, Checks.droppedByLiveNodes(previous, settling.table(), live, REPLICAS + 1),
          name + ": no live node gives up data");
    }
    var actives = settled.activesPerNode(GROUP).values();
    var slots = settled.replicaSlotsPerNode(GROUP).values();
    System.out.printf("%-11s nodes %d, settled after %d catch-up round(s): actives per node %d..%d, replica slots per"
            + " node %d..%d; %d active changes, %d moves in all; per plan (active changes/moves/replicas left"
            + " catching up): %s%n",
        name, live.size(), settling.rounds(), Collections.min(actives), Collections.max(actives), Collections.min(slots),
        Collections.max(slots), settling.activeChanges(), settling.moves(),
        settling.plans().stream().filter(PlacementPlan::changed)
            .map(plan -> plan.activeChanges() + "/" + plan.moves() + "/" + catchingUp(plan.table()))
            .collect(Collectors.joining(", ")));
    return settling;
  }

  private static int catchingUp(PartitionTable table) {
    return table.partitions().stream().mapToInt(entry -> entry.outOfSyncReplicas().size()).sum();
  }

  private static int copiesOf(Settling settling, NodeName node) {
    return (int) settling.table().group(GROUP).stream().filter(entry -> entry.heldBy(node)).count();
  }
}
