package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.partitioning.PartitionTable;
import dev.cohort.testkit.history.History;
import dev.cohort.testkit.nemesis.Nemesis;
import dev.cohort.testkit.nemesis.NemesisSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replicated key-value table under seeded nemesis schedules mixing crashes (a restarted node
 * rejoins empty and partitions move back to it), pauses longer than the failure detector allows,
 * and cuts both ways and one way, against five nodes with two replicas per partition, while
 * clients use it as registers from every node that is awake. Faults come one at a time with time
 * between them for copies to get back in sync, as a cluster whose copies live in memory needs:
 * every acknowledged write must survive and every key's history must be linearizable.
 *
 * <p>CI runs a few fixed seeds. For a soak: {@code mvn -B verify -pl testkit -am
 * -Dtest=KeyValueChaosTest -Dsurefire.failIfNoSpecifiedTests=false -Dkv.chaos.seeds=1,2,3,4
 * -Dkv.chaos.length=90s}.
 */
@Tag("chaos")
class KeyValueChaosTest {
  private static final String DEFAULT_SEEDS = "5,17";
  private static final Duration DEFAULT_LENGTH = Duration.ofSeconds(40);
  private static final List<String> SUMMARY = new ArrayList<>();

  static List<Long> seeds() {
    return Arrays.stream(System.getProperty("kv.chaos.seeds", DEFAULT_SEEDS).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void underASeededNemesis_everyAcknowledgedWriteSurvives_andEveryKeyStaysLinearizable(long seed) {
    Duration length = System.getProperty("kv.chaos.length") == null
        ? DEFAULT_LENGTH : Duration.parse("PT" + System.getProperty("kv.chaos.length").toUpperCase());
    try (TestCluster cluster = TestCluster.builder()
        .node("node-a", "ledger").node("node-b", "ledger").node("node-c", "ledger")
        .node("node-d", "ledger").node("node-e", "ledger")
        .config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.kvg { type = dynamic, cluster = main, partitions = 12, replicas = 2 }
            cohort.tables.kv { partition-group = kvg }
            """)
        .start()) {
      cluster.awaitTableAgreement();
      // Between faults, time for a restarted or cut-off node's copies to catch up again.
      var options = new NemesisSchedule.Options(length, 100, Duration.ofSeconds(8), Duration.ofSeconds(12),
          Duration.ofSeconds(2), Duration.ofSeconds(7), EnumSet.allOf(NemesisSchedule.Kind.class));
      NemesisSchedule schedule = NemesisSchedule.random(seed, cluster.declaredNodes(), options);
      var history = History.create();
      long operations;
      try (var workload = RegisterWorkload.start(() -> ReplicatedLogFaultTest.awake(cluster), "kv",
          RegisterWorkload.Options.defaults().withSeed(seed), history)) {
        new Nemesis(cluster, cluster, System.out::println).run(schedule);
        PartitionTable settled = cluster.awaitTableAgreement(Duration.ofSeconds(90));
        assertTrue(settled.partitions().stream().allMatch(entry -> entry.available()),
            "every partition is available after " + schedule.describe() + settled);
        workload.awaitCompleted(workload.completed() + 100);
        workload.stopAndReadAll(RegisterWorkload.Endpoint.of(cluster.nodes().iterator().next(), "kv"));
        operations = workload.completed();
      }
      SUMMARY.add(String.format("%8d  %6d  %10d", seed, schedule.faultCount(), operations));
      ReplicatedLogFaultTest.check(history);
      assertEquals(cluster.declaredNodes(), cluster.runningNodes(), "every node runs again");
    }
  }

  @AfterAll
  static void printSummary() {
    System.out.println("    SEED  FAULTS  OPERATIONS");
    SUMMARY.forEach(System.out::println);
  }
}
