package dev.cohort.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-sync rules when the table never gets to settle: joins and leaves strike while replicas
 * are catching up, only some replicas catch up between plans, and actives report replicas lagging.
 * After every plan the rules of {@link Checks#inSync} hold and planning again changes nothing; once
 * the changes stop and every replica catches up, the table settles balanced. A failure names the
 * seed and the step.
 */
class CatchUpPropertiesTest {
  private static final long MASTER_SEED = Long.getLong("catchup.seed", 0xCA7C_4B0BL);
  private static final int SEQUENCES = Integer.getInteger("catchup.sequences", 150);
  private static final int STEPS = 20;

  private int unavailable;
  private int steps;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void givenChangesWhileReplicasCatchUp_whenPlannedAfterEach_thenNoDataIsGivenUpAndTheTableSettlesOnceTheyStop() {
    var seeds = new SplittableRandom(MASTER_SEED);
    for (int sequence = 0; sequence < SEQUENCES; sequence++) {
      replay(seeds.nextLong());
    }
    System.out.printf("%d steps; %d partitions lost every in-sync copy (several leaves while catching up, or no"
        + " replicas)%n", steps, unavailable);
  }

  void replay(long seed) {
    var random = new Random(seed);
    var shape = PlacementPropertiesTest.Shape.random(random);
    CohortSettings settings = Shapes.dynamic(shape.roster(), shape.partitions(), shape.replicas(), shape.zones());
    List<NodeName> roster = Shapes.nodes(shape.roster());
    var shuffled = new ArrayList<>(roster);
    Collections.shuffle(shuffled, random);
    var live = new TreeSet<>(shuffled.subList(0, 1 + random.nextInt(shape.roster())));
    PartitionTable table = plan(seed + "L, " + shape + ", start", settings, live, PartitionTable.EMPTY, shape.replicas());
    for (int step = 1; step <= STEPS; step++) {
      steps++;
      String at = seed + "L, " + shape + ", step " + step;
      int action = random.nextInt(10);
      if (action < 4) {
        boolean join = live.size() == 1 || (live.size() < shape.roster() && random.nextBoolean());
        List<NodeName> candidates = join ? roster.stream().filter(node -> !live.contains(node)).toList() : List.copyOf(live);
        NodeName changed = candidates.get(random.nextInt(candidates.size()));
        if (join) {
          live.add(changed);
        } else {
          live.remove(changed);
        }
        at += (join ? " join " : " leave ") + changed;
      } else if (action < 8) {
        table = catchUpSome(table, random);
        at += " some replicas caught up";
      } else {
        table = lagOne(table, random);
        at += " a replica lags";
      }
      table = plan(at, settings, live, table, shape.replicas());
    }
    String at = seed + "L, " + shape + ", settling";
    Settling settling = Settling.of(settings, live, table,
        (from, plan) -> expectNone(at, Checks.inSync(from, plan.table(), live, shape.replicas())));
    expectNone(at, Checks.balance(settling.settled(), Shapes.GROUP, shape.partitions(), shape.replicas(), live));
    unavailable += settling.settled().unavailable().size();
  }

  private static PartitionTable plan(String at, CohortSettings settings, Set<NodeName> live, PartitionTable from, int replicas) {
    PlacementPlan plan = PlacementPlanner.plan(settings, live, from);
    expectNone(at, Checks.inSync(from, plan.table(), live, replicas));
    PlacementPlan again = PlacementPlanner.plan(settings, live, plan.table());
    assertSame(plan.table(), again.table(), () -> at + ": planning again changed " + again.changes());
    return plan.table();
  }

  /** Each replica out of sync catches up with probability one half; each change bumps version and epoch. */
  private static PartitionTable catchUpSome(PartitionTable table, Random random) {
    PartitionTable next = table;
    for (PartitionEntry entry : table.partitions()) {
      for (NodeName node : entry.outOfSyncReplicas()) {
        if (random.nextBoolean()) {
          PartitionTable after = InSyncChanges.caughtUp(next, entry.id(), node);
          assertEquals(next.version() + 1, after.version());
          PartitionEntry now = after.entry(entry.id()).orElseThrow();
          assertEquals(next.entry(entry.id()).orElseThrow().epoch().next(), now.epoch());
          assertEquals(true, now.isInSync(node));
          next = after;
        }
      }
    }
    return next;
  }

  /** One in-sync replica of a random available partition stops acknowledging; the active never leaves. */
  private static PartitionTable lagOne(PartitionTable table, Random random) {
    List<PartitionEntry> withReplicasInSync = table.partitions().stream()
        .filter(entry -> entry.inSync().size() > 1 && entry.available()).toList();
    if (withReplicasInSync.isEmpty()) {
      return table;
    }
    PartitionEntry entry = withReplicasInSync.get(random.nextInt(withReplicasInSync.size()));
    NodeName active = entry.active().orElseThrow();
    List<NodeName> replicas = entry.inSync().stream().filter(node -> !node.equals(active)).toList();
    NodeName lagging = replicas.get(random.nextInt(replicas.size()));
    PartitionTable after = InSyncChanges.lagging(table, entry.id(), Set.of(lagging, active));
    PartitionEntry now = after.entry(entry.id()).orElseThrow();
    assertEquals(table.version() + 1, after.version());
    assertEquals(entry.epoch().next(), now.epoch());
    assertEquals(false, now.isInSync(lagging));
    assertEquals(true, now.isInSync(active), "the active never leaves the in-sync set");
    return after;
  }

  private static void expectNone(String at, List<String> problems) {
    if (!problems.isEmpty()) {
      fail(at + ": " + problems.subList(0, Math.min(5, problems.size()))
          + (problems.size() > 5 ? " and " + (problems.size() - 5) + " more" : ""));
    }
  }
}
