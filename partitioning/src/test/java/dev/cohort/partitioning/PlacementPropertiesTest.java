package dev.cohort.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The planner's guarantees (see {@link PlacementPlanner}), checked over many seeded random
 * sequences of single joins and leaves over dynamic groups of 1 to 300 partitions, 1 to 12 live
 * nodes, 0 to 3 replicas, with and without zones. After each change the table settles as the
 * coordinator settles it ({@link Settling}: replicas catch up, the planner plans again). After
 * every plan, settled or not, the in-sync rules hold ({@link Checks#inSync}); once settled, the
 * balance, the fixed point and the zones; over the change and its settling, failover and the churn
 * bound. A failure names the seed, the step, the shape and the numbers; {@link #replay(long)} runs
 * one seed again.
 */
class PlacementPropertiesTest {
  /** A longer soak: {@code -Dplacement.sequences=5000 -Dplacement.seed=42}. */
  private static final long MASTER_SEED = Long.getLong("placement.seed", 0x5EED_C0_0EL);
  private static final int SEQUENCES = Integer.getInteger("placement.sequences", 200);
  /** Every how many steps each plan is made twice, from differently ordered live sets. */
  private static final int DETERMINISM_EVERY = 3;
  private static final int STEPS = 12;

  private final Figures figures = new Figures();

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void givenRandomJoinsAndLeaves_whenSettledAfterEachChange_thenEveryPlanKeepsTheDataAndEverySettledTableIsBalanced() {
    var seeds = new SplittableRandom(MASTER_SEED);
    for (int sequence = 0; sequence < SEQUENCES; sequence++) {
      replay(seeds.nextLong());
    }
    System.out.println(figures);
    // Failover moves no data, and on a leave a live node gives up data only as rebalancing needs.
    assertTrue(figures.droppedOnLeaves <= figures.movesOnLeaves / 20,
        () -> "live nodes gave up " + figures.droppedOnLeaves + " copies on leaves, more than 5% of the "
            + figures.movesOnLeaves + " moves");
  }

  /** One random sequence: its shape and its steps all follow from {@code seed}. */
  void replay(long seed) {
    var random = new Random(seed);
    var shape = Shape.random(random);
    CohortSettings settings = Shapes.dynamic(shape.roster, shape.partitions, shape.replicas, shape.zones);
    List<NodeName> roster = Shapes.nodes(shape.roster);
    var shuffled = new ArrayList<>(roster);
    Collections.shuffle(shuffled, random);
    var live = new TreeSet<>(shuffled.subList(0, 1 + random.nextInt(shape.roster)));

    var context = new Context(seed, shape, 0, "start with " + live);
    Settling settling = settle(context, settings, live, PartitionTable.EMPTY);
    checkSettled(context, settings, settling.settled(), live);
    for (int step = 1; step <= STEPS; step++) {
      boolean join = live.size() == 1 || (live.size() < shape.roster && random.nextBoolean());
      int before = live.size();
      List<NodeName> candidates = join ? roster.stream().filter(node -> !live.contains(node)).toList() : List.copyOf(live);
      NodeName changed = candidates.get(random.nextInt(candidates.size()));
      if (join) {
        live.add(changed);
      } else {
        live.remove(changed);
      }
      context = new Context(seed, shape, step, (join ? "join " : "leave ") + changed + " -> " + live);
      PartitionTable previous = settling.table();
      settling = settle(context, settings, live, previous);
      checkSettled(context, settings, settling.settled(), live);
      checkChange(context, previous, settling, join ? null : changed, live, before);
    }
  }

  private Settling settle(Context context, CohortSettings settings, Set<NodeName> live, PartitionTable previous) {
    Settling settling = Settling.of(settings, live, previous, (from, plan) -> checkPlan(context, settings, live, from, plan));
    figures.settled(context, settling);
    return settling;
  }

  /**
   * After every plan: the in-sync rules and epochs. After every plan that changed the table:
   * planning again from its table before anything catches up changes nothing; every few steps, the
   * order of the live set and names outside the roster make no difference.
   */
  private void checkPlan(Context context, CohortSettings settings, Set<NodeName> live, PartitionTable from, PlacementPlan plan) {
    expectNone(context, "in-sync rules", Checks.inSync(from, plan.table(), live, context.shape.replicas));
    if (!plan.changed()) {
      return;
    }
    PlacementPlan again = PlacementPlanner.plan(settings, live, plan.table());
    if (again.changed()) {
      fail(context + ": planning again before catching up changed " + again.changes().size() + " partitions, e.g. "
          + again.changes().get(0));
    }
    if (context.step % DETERMINISM_EVERY == 0) {
      var descending = new ArrayList<>(live);
      Collections.reverse(descending);
      var reordered = new LinkedHashSet<>(descending);
      reordered.add(NodeName.of("not-in-roster"));
      assertEquals(plan.table(), PlacementPlanner.plan(settings, reordered, from).table(),
          () -> context + ": the plan depends on the order of the live set or on a node outside the roster");
    }
  }

  /** (a) balance, (e) zones, on the settled table; at step 0 this is (f), the initial placement. */
  private void checkSettled(Context context, CohortSettings settings, PlacementPlan plan, Set<NodeName> live) {
    expectNone(context, "balance", Checks.balance(plan, Shapes.GROUP, context.shape.partitions, context.shape.replicas, live));
    if (context.shape.zones > 0) {
      checkZones(context, settings, plan, live);
    }
  }

  /**
   * When the live nodes are spread evenly over at least R' + 1 zones and there are a few partitions
   * per node, most partitions span R' + 1 zones. Not all: with two zones, keeping the failover of
   * each node within the churn bound needs some first replicas in the active's own zone; and with
   * one or two partitions per node, rounding decides more than zones can.
   */
  private void checkZones(Context context, CohortSettings settings, PlacementPlan plan, Set<NodeName> live) {
    var nodesPerZone = new TreeMap<String, Integer>();
    live.forEach(node -> nodesPerZone.merge(settings.nodes().get(node).zone().orElseThrow(), 1, Integer::sum));
    int replicas = Checks.effectiveReplicas(context.shape.replicas, live.size());
    boolean even = new TreeSet<>(nodesPerZone.values()).size() == 1 && nodesPerZone.size() > replicas;
    var entries = plan.table().group(Shapes.GROUP).stream().filter(PartitionEntry::available).toList();
    int shortOfZones = Checks.partitionsShortOfZones(settings, entries, live);
    if (even && replicas > 0 && entries.size() >= 4 * live.size()) {
      if (3 * shortOfZones > entries.size()) {
        fail(context + ": live nodes evenly over " + nodesPerZone + ", yet " + shortOfZones + " of " + entries.size()
            + " partitions do not span " + (replicas + 1) + " zones");
      }
      figures.zones(context, shortOfZones, entries.size(), nodesPerZone.toString());
    }
  }

  /** (b) failover, in the first plan; (c) churn, over the change and its settling. */
  private void checkChange(
      Context context, PartitionTable previous, Settling settling, NodeName left, Set<NodeName> live, int before) {
    int partitions = context.shape.partitions;
    int larger = Math.max(before, live.size());
    int bound = FairShare.churnBound(partitions, larger);
    if (settling.activeChanges() > bound) {
      if (left != null && Checks.churnBoundUnreachable(partitions, before, context.shape.replicas)) {
        figures.unreachable(context, settling.activeChanges(), bound);
      } else {
        fail(context + ": " + settling.activeChanges() + " active changes over " + settling.plans().size()
            + " plans, bound 1.25*ceil(" + partitions + "/" + larger + ")+1 = " + bound + "; before: "
            + Checks.describe(previous, Shapes.GROUP) + "; after: " + Checks.describe(settling.table(), Shapes.GROUP));
      }
    }
    if (left != null) {
      expectNone(context, "failover", Checks.failover(previous, settling.plans().get(0).table(), left, live));
      int copies = Checks.effectiveReplicas(context.shape.replicas, live.size()) + 1;
      figures.leave(settling.moves(), Checks.droppedByLiveNodes(previous, settling.table(), live, copies));
    }
    figures.change(context, settling, bound);
  }

  private static void expectNone(Context context, String property, List<String> problems) {
    if (!problems.isEmpty()) {
      fail(context + ": " + property + " violated: " + problems.subList(0, Math.min(5, problems.size()))
          + (problems.size() > 5 ? " and " + (problems.size() - 5) + " more" : ""));
    }
  }

  /** The parameters of one sequence. */
  record Shape(int partitions, int roster, int replicas, int zones) {
    static Shape random(Random random) {
      int partitions = random.nextInt(5) == 0 ? 271 : 1 + random.nextInt(300);
      int roster = 2 + random.nextInt(11);
      // Configuration validation keeps replicas below the roster size.
      int replicas = Math.min(random.nextInt(4), roster - 1);
      int zones = random.nextBoolean() ? 0 : 2 + random.nextInt(3);
      return new Shape(partitions, roster, replicas, zones);
    }
  }

  record Context(long seed, Shape shape, int step, String change) {
    @Override
    public String toString() {
      return "seed " + seed + "L, " + shape + ", step " + step + " (" + change + ")";
    }
  }

  /** Figures gathered over the whole run, printed at the end for the record. */
  static final class Figures {
    private int steps;
    private double worstChurn;
    private String worstChurnAt = "none";
    private double worstChurnLargeP;
    private String worstChurnLargePAt = "none";
    private final List<String> unreachable = new ArrayList<>();
    private long movesOnLeaves;
    private long droppedOnLeaves;
    private double worstZones;
    private String worstZonesAt = "none";
    private final TreeMap<Integer, Integer> settlingRounds = new TreeMap<>();
    private String mostRoundsAt = "none";

    void settled(Context context, Settling settling) {
      if (settlingRounds.isEmpty() || settling.rounds() > settlingRounds.lastKey()) {
        mostRoundsAt = context.toString();
      }
      settlingRounds.merge(settling.rounds(), 1, Integer::sum);
    }

    void change(Context context, Settling settling, int bound) {
      steps++;
      double ratio = (double) settling.activeChanges() / bound;
      String at = settling.activeChanges() + " of bound " + bound + " (" + settling.moves() + " moves, "
          + settling.rounds() + " catch-up rounds) at " + context;
      if (ratio > worstChurn) {
        worstChurn = ratio;
        worstChurnAt = at;
      }
      if (context.shape.partitions >= 100 && ratio > worstChurnLargeP) {
        worstChurnLargeP = ratio;
        worstChurnLargePAt = at;
      }
    }

    void unreachable(Context context, int changes, int bound) {
      unreachable.add(changes + " of bound " + bound + " at " + context);
    }

    void leave(int moves, int dropped) {
      movesOnLeaves += moves;
      droppedOnLeaves += dropped;
    }

    void zones(Context context, int shortOfZones, int partitions, String nodesPerZone) {
      double share = (double) shortOfZones / partitions;
      if (share > worstZones) {
        worstZones = share;
        worstZonesAt = shortOfZones + " of " + partitions + " over " + nodesPerZone + " at " + context;
      }
    }

    @Override
    public String toString() {
      return String.format(
          "%d steps%nworst active changes / bound: %.2f, %s%nworst with P >= 100: %.2f, %s%n"
              + "over the bound where no balanced table can meet it: %s%n"
              + "copies live nodes gave up on leaves: %d for %d moves%n"
              + "worst share of partitions short of zones with evenly zoned nodes: %.2f, %s%n"
              + "catch-up rounds to settle (rounds=settlings): %s, the most at %s",
          steps, worstChurn, worstChurnAt, worstChurnLargeP, worstChurnLargePAt, unreachable, droppedOnLeaves,
          movesOnLeaves, worstZones, worstZonesAt, settlingRounds, mostRoundsAt);
    }
  }
}
