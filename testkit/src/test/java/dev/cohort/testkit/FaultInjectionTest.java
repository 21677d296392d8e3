package dev.cohort.testkit;

import static dev.cohort.testkit.TableAssertions.placements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.quorum.QuorumState;
import dev.cohort.testkit.NetworkFaults.Direction;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Crashes, network cuts and pauses on a three-node cluster in one JVM, and what Cohort shows. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultInjectionTest {
  private static final NodeGroup LEDGER = NodeGroup.of("ledger");
  private static final Duration WHILE = Duration.ofSeconds(30);
  /** Keeps the Split Brain Resolver from acting within a test, to watch a cut or pause itself. */
  private static final String PATIENT_RESOLVER = "pekko.cluster.split-brain-resolver.stable-after = 60s";

  @Test
  void givenThreeNodes_whenOneCrashes_thenTheOthersDownItAndFailItsPartitionsOver_andItRejoinsWhenRestarted() {
    try (TestCluster cluster = PartitionTableClusterTest.threeNodes()) {
      PartitionTable before = cluster.awaitTableAgreement();

      cluster.crash("node-c");
      PartitionTable after = cluster.awaitTableAgreement();

      assertEquals(Set.of("node-a", "node-b"), cluster.runningNodes());
      TableAssertions.assertFailoverOnlyFor(NodeName.of("node-c"), before, after);

      cluster.restart("node-c");
      PartitionTable rejoined = cluster.awaitTableAgreement();

      assertTrue(rejoined.version() > after.version());
      assertTrue(rejoined.partitions().stream().anyMatch(e -> e.heldBy(NodeName.of("node-c"))),
          "the restarted node holds partitions again: " + rejoined);
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenThreeNodes_whenAllCrash_thenTheFirstRestartedFormsTheClusterAnew_andTheTestClusterCountsASecondFormation() {
    try (TestCluster cluster = PartitionTableClusterTest.threeNodes()) {
      cluster.awaitTableAgreement();
      assertEquals(1, cluster.formations());

      for (String node : List.of("node-a", "node-b", "node-c")) {
        cluster.crash(node);
      }
      for (String node : List.of("node-a", "node-b", "node-c")) {
        cluster.restart(node);
      }
      PartitionTable reformed = cluster.awaitTableAgreement();

      assertEquals(2, cluster.formations());
      for (CohortNode node : cluster.nodes()) {
        assertEquals(2, cluster.formationOf(node), node.name() + " started in the second formation");
      }
      assertTrue(reformed.partitions().stream().allMatch(e -> e.available()),
          "a cluster formed from nothing places every partition afresh: " + reformed);
    }
  }

  @Test
  void givenACutIntoTwoAndOne_thenTheMinorityLosesQuorum_theMajorityKeepsIt_andAllAgreeAgainAfterTheHeal() {
    try (TestCluster cluster = threeNodes(PATIENT_RESOLVER)) {
      PartitionTable before = cluster.awaitTableAgreement();

      cluster.cut(Set.of("node-a", "node-b"), Set.of("node-c"), Direction.BOTH_WAYS);

      QuorumState minority = awaitQuorum(cluster.node("node-c"), false);
      assertEquals(Set.of(NodeName.of("node-c")), minority.seen());
      assertEquals(2, minority.needed());
      for (String side : Set.of("node-a", "node-b")) {
        CohortNode node = cluster.node(side);
        QuorumState majority = Await.until(side + " to lose sight of node-c", WHILE, () -> {
          QuorumState state = node.quorum().get(LEDGER);
          return state.seen().size() == 2 ? state : null;
        });
        assertEquals(Set.of(NodeName.of("node-a"), NodeName.of("node-b")), majority.seen(), side);
        assertTrue(majority.present(), side + " keeps quorum with two of three");
      }
      assertEquals(placements(before), placements(cluster.node("node-a").table()), "a cut alone changes no placement");

      cluster.healAll();

      assertEquals(placements(before), placements(cluster.awaitTableAgreement()), "node-c's copies are back in sync");
      for (CohortNode node : cluster.nodes()) {
        assertEquals(3, awaitQuorum(node, true).seen().size(), node.name() + " sees all three again");
      }
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenACutIntoTwoAndOne_whenTheResolverActs_thenTheMinorityStops_andTheMajorityPlacesWithoutIt() {
    try (TestCluster cluster = PartitionTableClusterTest.threeNodes()) {
      PartitionTable before = cluster.awaitTableAgreement();
      CohortNode minority = cluster.node("node-c");

      cluster.cut(Set.of("node-a", "node-b"), Set.of("node-c"), Direction.BOTH_WAYS);

      Await.until("the minority node to down itself", WHILE,
          () -> minority.whenTerminated().toCompletableFuture().isDone());
      cluster.healAll();
      PartitionTable after = cluster.awaitTableAgreement();
      assertEquals(Set.of("node-a", "node-b"), cluster.runningNodes());
      TableAssertions.assertFailoverOnlyFor(NodeName.of("node-c"), before, after);
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenAPausedNode_thenTheOthersSeeItUnreachable_andOnResumeItCarriesOnWithTheSameTable() {
    try (TestCluster cluster = threeNodes(PATIENT_RESOLVER)) {
      PartitionTable before = cluster.awaitTableAgreement();

      cluster.pause("node-c");

      for (String other : Set.of("node-a", "node-b")) {
        CohortNode node = cluster.node(other);
        Await.until(other + " to see node-c unreachable", WHILE,
            () -> !node.upNodes().contains(NodeName.of("node-c")));
        assertTrue(node.quorum().get(LEDGER).present(), other + " keeps quorum with two of three");
      }

      cluster.resume("node-c");

      assertEquals(placements(before), placements(cluster.awaitTableAgreement()), "node-c's copies are back in sync");
      assertFalse(cluster.node("node-c").whenTerminated().toCompletableFuture().isDone());
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  private static TestCluster threeNodes(String settingForAll) {
    return TestCluster.builder()
        .node("node-a", "ledger").node("node-b", "ledger").node("node-c", "ledger")
        .config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.accounts { type = dynamic, cluster = main, partitions = 6, replicas = 1 }
            """)
        .config(settingForAll)
        .start();
  }

  private static QuorumState awaitQuorum(CohortNode node, boolean present) {
    return Await.until(node.name() + (present ? " to have" : " to lose") + " quorum", WHILE, () -> {
      QuorumState state = node.quorum().get(LEDGER);
      return state != null && state.present() == present ? state : null;
    });
  }
}
