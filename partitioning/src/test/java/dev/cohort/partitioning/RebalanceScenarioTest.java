package dev.cohort.partitioning;

import static dev.cohort.partitioning.Shapes.GROUP;
import static dev.cohort.partitioning.Shapes.live;
import static dev.cohort.partitioning.Shapes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The reference scenario: 271 partitions with 2 replicas as nodes come and go, 3 → 4 → 5 → 4. Each
 * step is checked against the guarantees and its figures are printed (in the test's output file).
 */
class RebalanceScenarioTest {
  private static final int PARTITIONS = 271;
  private static final int REPLICAS = 2;

  @Test
  void given271PartitionsWithTwoReplicas_whenNodesGoFromThreeToFourToFiveToFour_thenEveryStepIsBalancedAndBounded() {
    CohortSettings settings = Shapes.dynamic(5, PARTITIONS, REPLICAS);

    PlacementPlan three = step(settings, "start on 3", PartitionTable.EMPTY, live(1, 2, 3), null);
    PlacementPlan four = step(settings, "n04 joins", three.table(), live(1, 2, 3, 4), null);
    PlacementPlan five = step(settings, "n05 joins", four.table(), live(1, 2, 3, 4, 5), null);
    PlacementPlan fourAgain = step(settings, "n02 leaves", five.table(), live(1, 3, 4, 5), node(2));

    // A join moves the newcomer's share of actives and no more.
    assertEquals(PARTITIONS / 4, four.activeChanges());
    assertEquals(PARTITIONS / 5, five.activeChanges());
    // A join moves only the data the newcomer must hold: its actives and its replica slots.
    assertEquals(copiesOf(four, node(4)), four.moves());
    assertEquals(copiesOf(five, node(5)), five.moves());
    // The leave: n02's actives fail over and a few more move to even out, all within the bound.
    assertTrue(fourAgain.activeChanges() <= FairShare.churnBound(PARTITIONS, 5));
  }

  private static PlacementPlan step(
      CohortSettings settings, String name, PartitionTable previous, Set<NodeName> live, NodeName left) {
    PlacementPlan plan = PlacementPlanner.plan(settings, live, previous);

    assertEquals(List.of(), Checks.balance(plan, GROUP, PARTITIONS, REPLICAS, live), name);
    assertEquals(List.of(), Checks.epochs(previous, plan.table()), name);
    assertSame(plan.table(), PlacementPlanner.plan(settings, live, plan.table()).table(), name + ": a fixed point");
    if (previous != PartitionTable.EMPTY) {
      int before = previous.group(GROUP).stream().flatMap(e -> e.placement().orElseThrow().nodes().stream())
          .distinct().toList().size();
      int bound = FairShare.churnBound(PARTITIONS, Math.max(before, live.size()));
      assertTrue(plan.activeChanges() <= bound, name + ": " + plan.activeChanges() + " active changes, bound " + bound);
    }
    if (left != null) {
      assertEquals(List.of(), Checks.failover(previous, plan.table(), left, live), name);
      assertEquals(0, Checks.droppedByLiveNodes(previous, plan.table(), live, REPLICAS + 1),
          name + ": no live node gives up data");
    }
    var actives = plan.activesPerNode(GROUP).values();
    var slots = plan.replicaSlotsPerNode(GROUP).values();
    System.out.printf("%-11s nodes %d: actives per node %d..%d, replica slots per node %d..%d, "
            + "%d active changes, %d moves, %d replica slot changes%n",
        name, live.size(), Collections.min(actives), Collections.max(actives), Collections.min(slots),
        Collections.max(slots), plan.activeChanges(), plan.moves(), plan.replicaSlotChanges());
    return plan;
  }

  private static int copiesOf(PlacementPlan plan, NodeName node) {
    return (int) plan.table().group(GROUP).stream().filter(entry -> entry.heldBy(node)).count();
  }
}
