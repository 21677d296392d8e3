package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.CohortException;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.KvWrite;
import dev.cohort.api.NodeName;
import dev.cohort.node.Cohort;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.quorum.QuorumState;
import dev.cohort.testkit.NetworkFaults.Direction;
import dev.cohort.testkit.history.CheckResult;
import dev.cohort.testkit.history.Checkers;
import dev.cohort.testkit.history.History;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The replicated key-value table under faults, with clients on every node using it as registers
 * throughout: whatever happens, every acknowledged write stays readable and every key's history is
 * linearizable (the testkit's checkers judge the recorded history).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReplicatedLogFaultTest {
  static TestCluster.Builder threeNodes(int replicas) {
    return TestCluster.builder()
        .node("node-a", "ledger").node("node-b", "ledger").node("node-c", "ledger")
        .config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.kvg { type = dynamic, cluster = main, partitions = 12, replicas = %d }
            cohort.tables.kv { partition-group = kvg }
            """.formatted(replicas));
  }

  @Test
  void givenThreeNodes_whenTheActiveOfManyPartitionsCrashesUnderLoad_thenEveryAcknowledgedWriteSurvives() {
    try (TestCluster cluster = threeNodes(1).start()) {
      PartitionTable before = cluster.awaitTableAgreement();
      String victim = busiestActive(before);
      var history = History.create();
      try (var workload = RegisterWorkload.start(cluster::nodes, "kv", RegisterWorkload.Options.defaults(), history)) {
        workload.awaitCompleted(200);

        cluster.crash(victim);
        PartitionTable after = cluster.awaitTableAgreement();
        assertTrue(after.partitions().stream().noneMatch(entry -> entry.heldBy(NodeName.of(victim))));
        long settled = workload.completed();
        workload.awaitCompleted(settled + 200);

        workload.stopAndReadAll(RegisterWorkload.Endpoint.of(cluster.node(survivor(cluster)), "kv"));
      }
      check(history);
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenThreeNodes_whenTheActiveIsCutFromTheMajority_thenItIsFenced_theMajorityPromotes_andItReturnsAsAReplica() {
    try (TestCluster cluster = threeNodes(1).start()) {
      PartitionTable before = cluster.awaitTableAgreement();
      String victim = busiestActive(before);
      Set<String> majority = new TreeSet<>(cluster.runningNodes());
      majority.remove(victim);
      KeyValueTable onVictim = Cohort.get(cluster.node(victim).system()).keyValueTable("kv");
      String fencedKey = keyActiveOn(onVictim, before, victim);
      var history = History.create();
      try (var workload = RegisterWorkload.start(cluster::nodes, "kv", RegisterWorkload.Options.defaults(), history)) {
        workload.awaitCompleted(200);

        cluster.cut(majority, Set.of(victim), Direction.BOTH_WAYS);
        Await.until(victim + " to lose its group's quorum", TestCluster.DEFAULT_TIMEOUT,
            () -> cluster.node(victim).quorum().values().stream().noneMatch(QuorumState::present) ? true : null);
        Throwable refused = failure(onVictim.put(fencedKey, "while cut".getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(CohortException.QuorumLost.class, refused, "the cut-off active refuses at once: " + refused);

        // The resolver downs the minority; the majority promotes the first in-sync replicas.
        PartitionTable promoted = cluster.awaitTableAgreement();
        assertEquals(majority, cluster.runningNodes());
        assertTrue(promoted.partitions().stream().allMatch(entry -> entry.available()
            && !entry.heldBy(NodeName.of(victim))), "every partition is active on the majority: " + promoted);
        workload.awaitCompleted(workload.completed() + 200);

        cluster.healAll();
        cluster.restart(victim);
        PartitionTable rejoined = cluster.awaitTableAgreement();
        assertTrue(rejoined.partitions().stream().anyMatch(entry -> entry.isInSync(NodeName.of(victim))),
            victim + " holds caught-up copies again: " + rejoined);
        workload.awaitCompleted(workload.completed() + 200);
        workload.stopAndReadAll(RegisterWorkload.Endpoint.of(cluster.node(victim), "kv"));
      }
      check(history);
    }
  }

  @Test
  void givenThreeNodes_whenAReplicaIsCutOffAndReturns_thenWritesGoOn_andItCatchesUp() {
    try (TestCluster cluster = threeNodes(2)
        // The resolver waits out the cut: the cut-off node stays a member and must return by catching up.
        .config("pekko.cluster.split-brain-resolver.stable-after = 60s")
        .start()) {
      cluster.awaitTableAgreement();
      var cutActive = new AtomicBoolean();
      NodeName cutOff = NodeName.of("node-c");
      var history = History.create();
      // Clients run on the majority side: requests from the cut-off node could only time out.
      Supplier<List<CohortNode>> clientNodes = () -> cluster.nodes().stream()
          .filter(node -> !node.name().equals(cutOff) || !cutActive.get()).toList();
      try (var workload = RegisterWorkload.start(clientNodes, "kv", RegisterWorkload.Options.defaults(), history)) {
        workload.awaitCompleted(200);

        cutActive.set(true);
        cluster.cut(Set.of("node-a", "node-b"), Set.of("node-c"), Direction.BOTH_WAYS);
        Await.until("node-c to leave the in-sync set of every partition it is a replica of", TestCluster.DEFAULT_TIMEOUT,
            () -> cluster.node("node-a").table().partitions().stream()
                .filter(entry -> !entry.active().equals(Optional.of(cutOff)))
                .noneMatch(entry -> entry.isInSync(cutOff)) ? true : null);
        workload.awaitCompleted(workload.completed() + 50);
        cluster.healAll();
        cutActive.set(false);

        PartitionTable healed = cluster.awaitTableAgreement();
        assertTrue(healed.partitions().stream().allMatch(entry -> entry.isInSync(cutOff)),
            "node-c caught up and is back in sync everywhere: " + healed);
        workload.awaitCompleted(workload.completed() + 200);
        workload.stopAndReadAll(RegisterWorkload.Endpoint.of(cluster.node("node-c"), "kv"));
      }
      check(history);
    }
  }

  @Test
  void givenThreeNodes_whenAFourthJoinsUnderLoad_thenPartitionsMoveToIt_andEveryWriteIsKept() {
    try (TestCluster cluster = threeNodes(1).node("node-d", "ledger")
        .startOnly(List.of("node-a", "node-b", "node-c"))) {
      cluster.awaitTableAgreement();
      var history = History.create();
      try (var workload = RegisterWorkload.start(cluster::nodes, "kv", RegisterWorkload.Options.defaults(), history)) {
        workload.awaitCompleted(200);

        cluster.start("node-d");
        PartitionTable moved = cluster.awaitTableAgreement();
        NodeName joined = NodeName.of("node-d");
        assertTrue(moved.partitions().stream().anyMatch(entry -> entry.active().equals(Optional.of(joined))),
            "node-d caught up and took over as active for its share: " + moved);
        assertTrue(moved.partitions().stream().allMatch(entry -> entry.outOfSyncReplicas().isEmpty()));
        workload.awaitCompleted(workload.completed() + 200);
        workload.stopAndReadAll(RegisterWorkload.Endpoint.of(cluster.node("node-d"), "kv"));
      }
      check(history);
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenThreeNodes_whenTheBusiestActivePausesLongerThanTheFailureDetectorAllows_thenItIsReplaced_andRejoins() {
    try (TestCluster cluster = threeNodes(1).start()) {
      PartitionTable before = cluster.awaitTableAgreement();
      String victim = busiestActive(before);
      var history = History.create();
      try (var workload = RegisterWorkload.start(() -> awake(cluster), "kv", RegisterWorkload.Options.defaults(), history)) {
        workload.awaitCompleted(200);

        cluster.pause(victim);
        Await.until("the others to down " + victim + " and promote its replicas", TestCluster.DEFAULT_TIMEOUT,
            () -> cluster.nodes().stream().filter(node -> !node.name().value().equals(victim))
                .allMatch(node -> node.table().partitions().stream()
                    .allMatch(entry -> entry.available() && !entry.heldBy(NodeName.of(victim)))) ? true : null);
        cluster.resume(victim);
        // Downed while it slept, it learns so on waking and stops; it comes back as a new node.
        Await.until(victim + " to stop after waking up downed", TestCluster.DEFAULT_TIMEOUT,
            () -> cluster.runningNodes().contains(victim) ? null : true);
        cluster.restart(victim);
        PartitionTable rejoined = cluster.awaitTableAgreement();
        assertTrue(rejoined.partitions().stream().anyMatch(entry -> entry.isInSync(NodeName.of(victim))),
            victim + " holds caught-up copies again: " + rejoined);
        workload.awaitCompleted(workload.completed() + 200);
        workload.stopAndReadAll(RegisterWorkload.Endpoint.of(cluster.node(victim), "kv"));
      }
      check(history);
    }
  }

  /** The running nodes that are not paused: a client calling into a paused node would wait for it. */
  static List<CohortNode> awake(TestCluster cluster) {
    Set<String> paused = cluster.pausedNodes();
    return cluster.nodes().stream().filter(node -> !paused.contains(node.name().value())).toList();
  }

  /** A key whose partition {@code node} is active for, found by writing through {@code kv}. */
  static String keyActiveOn(KeyValueTable kv, PartitionTable table, String node) {
    for (int i = 0; i < 1000; i++) {
      String key = "fence-" + i;
      KvWrite write = kv.put(key, new byte[] {1}).toCompletableFuture().join();
      if (table.entry(write.partition()).flatMap(PartitionEntry::active).equals(Optional.of(NodeName.of(node)))) {
        return key;
      }
    }
    throw new AssertionError("no key of 1000 lands on a partition " + node + " is active for");
  }

  static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("no answer", e);
    }
    throw new AssertionError("expected a failure, got success");
  }

  /** The node that is active for the most partitions. */
  static String busiestActive(PartitionTable table) {
    Map<NodeName, Long> actives = table.partitions().stream()
        .flatMap(entry -> entry.active().stream())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    return actives.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey().value();
  }

  static void check(History history) {
    CheckResult result = Checkers.register().check(history.snapshot());
    System.out.println(result);
    result.requireValid();
  }

  private static String survivor(TestCluster cluster) {
    return cluster.runningNodes().stream().min(Comparator.naturalOrder()).orElseThrow();
  }
}
