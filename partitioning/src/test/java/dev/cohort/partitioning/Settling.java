package dev.cohort.partitioning;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A table settling after a membership change, as the coordinator drives it: plan; then, while a
 * replica is out of sync, let every such replica catch up ({@link InSyncChanges#caughtUp}) and plan
 * again; settled when nothing is out of sync and planning again changes nothing.
 *
 * @param plans every plan made, the first from the table before the change, each later one from the
 *     previous one's table after catch-up; the last is the settled plan, which changed nothing
 * @param rounds how many catch-up rounds it took: plans made after catching up that changed the
 *     table
 */
record Settling(List<PlacementPlan> plans, int rounds) {
  /** More rounds than this is taken as a failure to settle. */
  static final int MAX_ROUNDS = 10;

  /** The settled plan: its table is a fixed point of the planner with every copy in sync. */
  PlacementPlan settled() {
    return plans.get(plans.size() - 1);
  }

  /** The settled table. */
  PartitionTable table() {
    return settled().table();
  }

  /** Active changes over every plan: the change and its settling. */
  int activeChanges() {
    return plans.stream().mapToInt(PlacementPlan::activeChanges).sum();
  }

  /** Data moves over every plan: (partition, node) pairs where the node newly holds the partition. */
  int moves() {
    return plans.stream().mapToInt(PlacementPlan::moves).sum();
  }

  /** Settles from {@code previous} with {@code live}, without checks along the way. */
  static Settling of(CohortSettings settings, Set<NodeName> live, PartitionTable previous) {
    return of(settings, live, previous, (from, plan) -> {});
  }

  /**
   * Settles from {@code previous} with {@code live}.
   *
   * @param eachPlan called with the table each plan was made from and the plan
   * @throws AssertionError if the table does not settle within {@link #MAX_ROUNDS} rounds
   */
  static Settling of(
      CohortSettings settings, Set<NodeName> live, PartitionTable previous, BiConsumer<PartitionTable, PlacementPlan> eachPlan) {
    var plans = new ArrayList<PlacementPlan>();
    PlacementPlan plan = PlacementPlanner.plan(settings, live, previous);
    eachPlan.accept(previous, plan);
    plans.add(plan);
    for (int round = 0; round <= MAX_ROUNDS; round++) {
      PartitionTable caughtUp = catchUp(plan.table());
      PlacementPlan next = PlacementPlanner.plan(settings, live, caughtUp);
      eachPlan.accept(caughtUp, next);
      if (caughtUp == plan.table() && !next.changed()) {
        plans.add(next);
        return new Settling(List.copyOf(plans), round);
      }
      plans.add(next);
      plan = next;
    }
    throw new AssertionError("no settled table after " + MAX_ROUNDS + " catch-up rounds; last plan: " + plan.summary());
  }

  /** Every replica out of sync catches up. */
  static PartitionTable catchUp(PartitionTable table) {
    PartitionTable next = table;
    for (PartitionEntry entry : table.partitions()) {
      for (NodeName node : entry.outOfSyncReplicas()) {
        next = InSyncChanges.caughtUp(next, entry.id(), node);
      }
    }
    return next;
  }
}
