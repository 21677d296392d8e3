package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.quorum.QuorumState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A cluster of three Cohort nodes in one JVM and the partition table they share. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PartitionTableClusterTest {
  private static final NodeName A = NodeName.of("node-a");
  private static final NodeName B = NodeName.of("node-b");
  private static final NodeName C = NodeName.of("node-c");
  /** The static partition of the tests that lose every copy of it. */
  private static final PartitionId PINNED = new PartitionId("pinned", 0);

  /** Three ledger nodes in three zones with a dynamic and a static partition group, on any test cluster. */
  static <B extends ClusterBuilder<B>> B threeLedgerNodes(B builder) {
    return builder
        .nodeInZone("node-a", "zone-1", "ledger")
        .nodeInZone("node-b", "zone-2", "ledger")
        .nodeInZone("node-c", "zone-3", "ledger")
        .config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.accounts { type = dynamic, cluster = main, partitions = 6, replicas = 1 }
            cohort.partition-groups.audit {
              type = static
              partitions = [
                { active = node-a, replicas = [node-b] }
                { active = node-c, replicas = [node-a, node-b] }
              ]
            }
            cohort.quorum.ledger.min-nodes = 2
            """);
  }

  static TestCluster threeNodes() {
    return threeLedgerNodes(TestCluster.builder()).start();
  }

  @Test
  void givenThreeNodes_whenTheyFormACluster_thenAllHoldTheSameTablePlacingPartitionsOnEveryNode() {
    try (TestCluster cluster = threeNodes()) {
      PartitionTable table = cluster.awaitTableAgreement();

      for (CohortNode node : cluster.nodes()) {
        assertEquals(table, node.table(), "table held by " + node.name());
      }
      assertEquals(Set.of(A, B, C), activesOf(table, "accounts"), "every node is active for some accounts partition");
      assertEquals(8, table.partitions().size());
      assertEquals(new Placement(A, List.of(B)), placementOf(table, "audit", 0));
      assertEquals(new Placement(C, List.of(A, B)), placementOf(table, "audit", 1));
      for (CohortNode node : cluster.nodes()) {
        QuorumState ledger = Await.until(node.name() + " to see all three ledger nodes", Duration.ofSeconds(10),
            () -> node.quorum().get(NodeGroup.of("ledger")).seen().size() == 3 ? node.quorum().get(NodeGroup.of("ledger")) : null);
        assertTrue(ledger.present(), node.name() + " sees quorum: " + ledger);
        assertEquals(Set.of(A, B, C), ledger.seen());
      }
    }
  }

  @Test
  void givenThreeNodes_whenOneLeaves_thenOnlyItsPartitionsChangeActive_toTheirFirstReplica_withEpochsBumped() {
    try (TestCluster cluster = threeNodes()) {
      PartitionTable before = cluster.awaitTableAgreement();

      cluster.stop("node-c");
      PartitionTable after = cluster.awaitTableAgreement();

      assertTrue(after.version() > before.version(), "a new table version is published");
      TableAssertions.assertFailoverOnlyFor(C, before, after);
    }
  }

  @Test
  void givenAPartitionOnlyTwoNodesHold_whenBothLeave_thenItIsUnavailable_andNoErrorIsLogged() {
    // A static partition pinned to node-b and node-c: once both are gone no copy is left anywhere.
    try (TestCluster cluster = threeLedgerNodes(TestCluster.builder()).config("""
            cohort.partition-groups.pinned {
              type = static
              partitions = [ { active = node-b, replicas = [node-c] } ]
            }
            """).start()) {
      cluster.awaitTableAgreement();

      // The cluster shut down node by node: with in-memory logs the partition loses every copy,
      // which is the operator's choice, not a fault, so the coordinator warns instead of raising an error.
      cluster.stop("node-b");
      cluster.stop("node-c");

      awaitUnavailable(cluster, PINNED);
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenAPartitionOnlyTwoNodesHold_whenBothCrash_thenItIsUnavailable_andAnErrorNamesIt() {
    // Five nodes, so that the three left keep the majority; the pinned partition lives on node-d and node-e.
    var builder = TestCluster.builder();
    for (String name : List.of("node-a", "node-b", "node-c", "node-d", "node-e")) {
      builder.node(name, "ledger");
    }
    try (TestCluster cluster = builder.config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.pinned {
              type = static
              partitions = [ { active = node-d, replicas = [node-e] } ]
            }
            cohort.quorum.ledger.min-nodes = 3
            """).start()) {
      cluster.awaitTableAgreement();

      // Nodes in one JVM keep their partitions in memory: both copies are lost, a fault the operator must hear of.
      cluster.crash("node-d");
      cluster.crash("node-e");

      awaitUnavailable(cluster, PINNED);
      List<String> errors = cluster.loggedErrors();
      assertTrue(errors.stream().anyMatch(error -> error.contains("lost their last live in-sync copy")
          && error.contains(PINNED.toString())), "an error names the lost partition: " + errors);
    }
  }

  /** Waits until node-a's table has {@code partition} without an active. */
  private static void awaitUnavailable(TestCluster cluster, PartitionId partition) {
    Await.until(partition + " to be marked unavailable", TestCluster.DEFAULT_TIMEOUT,
        () -> cluster.node("node-a").table().entry(partition).map(e -> !e.available()).orElse(false));
  }

  @Test
  void givenThreeNodes_whenTheCoordinatorLeaves_thenTheNextCoordinatorContinuesFromTheTableAMajorityHolds() {
    try (TestCluster cluster = threeNodes()) {
      PartitionTable before = cluster.awaitTableAgreement();

      // node-a started first, so it is the oldest member and runs the coordinator singleton.
      cluster.stop("node-a");
      PartitionTable after = cluster.awaitTableAgreement();

      assertTrue(after.version() > before.version(),
          "version " + after.version() + " continues after " + before.version() + " instead of starting again");
      TableAssertions.assertFailoverOnlyFor(A, before, after);
    }
  }

  @Test
  void givenThreeNodes_whenANodeWithATakenNameJoins_thenItIsRefused_andTheHolderIsUndisturbed() throws Exception {
    try (TestCluster cluster = threeNodes()) {
      PartitionTable before = cluster.awaitTableAgreement();
      CohortNode holder = cluster.node("node-b");

      CohortNode duplicate = cluster.startInstance("node-b");
      duplicate.whenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);

      String refusal = duplicate.refusal().orElseThrow(() -> new AssertionError("the duplicate was not refused"));
      assertTrue(refusal.contains("node name 'node-b' is already taken by live member " + holder.address()), refusal);
      Await.until("the refused newcomer to be gone from membership", Duration.ofSeconds(30),
          () -> memberCount(cluster.node("node-a")) == 3);
      assertFalse(holder.system().whenTerminated().isCompleted(), "the holder of the name keeps running");
      PartitionTable after = cluster.awaitTableAgreement();
      assertEquals(before, after, "the partition table is untouched");
      assertTrue(cluster.loggedErrors().stream().allMatch(error -> error.contains("already taken")),
          "only the refusal is logged as an error: " + cluster.loggedErrors());
    }
  }

  private static long memberCount(CohortNode node) {
    return StreamSupport.stream(Cluster.get(node.system()).state().getMembers().spliterator(), false).count();
  }

  private static Set<NodeName> activesOf(PartitionTable table, String group) {
    var actives = new TreeSet<NodeName>();
    table.partitions().stream()
        .filter(e -> e.id().group().equals(group))
        .forEach(e -> actives.add(e.placement().orElseThrow().active()));
    return actives;
  }

  private static Placement placementOf(PartitionTable table, String group, int index) {
    return table.entry(new PartitionId(group, index)).orElseThrow().placement().orElseThrow();
  }
}
