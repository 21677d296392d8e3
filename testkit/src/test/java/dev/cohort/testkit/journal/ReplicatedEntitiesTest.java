package dev.cohort.testkit.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.KvValue;
import dev.cohort.api.NodeName;
import dev.cohort.node.Cohort;
import dev.cohort.node.CohortNode;
import dev.cohort.node.entity.ReplicatedEntities;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.testkit.RegisterWorkload;
import dev.cohort.testkit.TestCluster;
import dev.cohort.testkit.history.CheckResult;
import dev.cohort.testkit.history.Checkers;
import dev.cohort.testkit.history.History;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replicated entities through {@link Cohort#entities}: ordinary event-sourced entities that Cluster
 * Sharding runs on their partition's active, reached with {@code EntityRef}s from any member, and
 * recovered on the new active with every confirmed event when the active crashes.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReplicatedEntitiesTest {
  /** Under load a short ask: a timeout only leaves an operation's outcome unknown. */
  private static final Duration WORKLOAD_ASK = Duration.ofSeconds(3);
  /** The first message to an entity waits for its shard to be allocated and the entity to recover. */
  private static final Duration FIRST_ASK = Duration.ofSeconds(20);
  private static final String GROUP = "entities";

  private static TestCluster.Builder threeNodes() {
    return TestCluster.builder()
        .node("node-a", "ledger").node("node-b", "ledger").node("node-c", "ledger")
        .config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.entities { type = dynamic, cluster = main, partitions = 6, replicas = 1 }
            pekko.persistence.journal.plugin = "cohort.journal"
            pekko.persistence.snapshot-store.plugin = "cohort.snapshot-store"
            pekko.actor.serialization-bindings {
              "dev.cohort.testkit.journal.RegisterEntity$Command" = cohort-kryo
              "dev.cohort.testkit.journal.RegisterEntity$Reply" = cohort-kryo
              "dev.cohort.testkit.journal.RegisterEntity$Changed" = cohort-kryo
              "dev.cohort.testkit.journal.RegisterEntity$State" = cohort-kryo
            }
            cohort.kryo.classes {
              "dev.cohort.testkit.journal.RegisterEntity$Put" = 110
              "dev.cohort.testkit.journal.RegisterEntity$Cas" = 111
              "dev.cohort.testkit.journal.RegisterEntity$Delete" = 112
              "dev.cohort.testkit.journal.RegisterEntity$Get" = 113
              "dev.cohort.testkit.journal.RegisterEntity$Reply" = 114
              "dev.cohort.testkit.journal.RegisterEntity$Changed" = 115
              "dev.cohort.testkit.journal.RegisterEntity$State" = 116
            }
            """);
  }

  /** Registers the register entities on {@code node}, as an application does at start, and gives them as a table. */
  private static EntityRegisterTable registers(CohortNode node, Duration ask) {
    ReplicatedEntities<RegisterEntity.Command> entities = Cohort.get(node.system())
        .entities(GROUP, RegisterEntity.TYPE, RegisterEntity::create);
    return new EntityRegisterTable(entities, ask);
  }

  @Test
  void givenThreeNodes_anEntityWrittenFromOneNodeIsReadFromEveryOther_throughItsPartitionsActive() throws Exception {
    try (TestCluster cluster = threeNodes().start()) {
      cluster.awaitTableAgreement();
      Map<String, EntityRegisterTable> tables = cluster.nodes().stream()
          .collect(Collectors.toMap(node -> node.name().value(), node -> registers(node, FIRST_ASK)));

      for (int i = 0; i < 6; i++) {
        String key = "account-" + i;
        tables.get("node-a").put(key, ("v" + i).getBytes(UTF_8)).toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
      for (var table : tables.entrySet()) {
        for (int i = 0; i < 6; i++) {
          KvValue read = table.getValue().get("account-" + i).toCompletableFuture().get(20, TimeUnit.SECONDS).orElseThrow();
          assertEquals(new KvValue(("v" + i).getBytes(UTF_8), 1, 1), read, "account-" + i + " read on " + table.getKey());
        }
      }
      // The journal answers replays only on the active, so a recovered entity ran there.
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenThreeNodes_whenTheActiveOfManyEntitiesCrashesUnderLoad_thenNoConfirmedEventIsLost() {
    try (TestCluster cluster = threeNodes().start()) {
      PartitionTable before = cluster.awaitTableAgreement();
      String victim = busiestActive(before);
      Map<String, EntityRegisterTable> tables = new java.util.concurrent.ConcurrentHashMap<>();
      cluster.nodes().forEach(node -> tables.put(node.name().value(), registers(node, WORKLOAD_ASK)));
      var history = History.create();
      try (var workload = RegisterWorkload.startOn(() -> cluster.nodes().stream()
          .map(node -> new RegisterWorkload.Endpoint(node.name().value(), tables.get(node.name().value()))).toList(),
          RegisterWorkload.Options.defaults(), history)) {
        workload.awaitCompleted(200);

        cluster.crash(victim);
        PartitionTable after = cluster.awaitTableAgreement();
        assertTrue(after.partitions().stream().noneMatch(entry -> entry.heldBy(NodeName.of(victim))));
        workload.awaitCompleted(workload.completed() + 200);

        String survivor = cluster.runningNodes().stream().min(Comparator.naturalOrder()).orElseThrow();
        workload.stopAndReadAll(new RegisterWorkload.Endpoint(survivor, tables.get(survivor)));
      }
      CheckResult result = Checkers.register().check(history.snapshot());
      System.out.println(result);
      result.requireValid();
    }
  }

  private static String busiestActive(PartitionTable table) {
    Map<NodeName, Long> actives = table.partitions().stream()
        .flatMap(entry -> entry.active().stream())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    return actives.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey().value();
  }

}
