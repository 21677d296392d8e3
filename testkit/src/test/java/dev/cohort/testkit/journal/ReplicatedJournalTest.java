package dev.cohort.testkit.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.PartitionId;
import dev.cohort.node.Cohort;
import dev.cohort.node.CohortNode;
import dev.cohort.testkit.Await;
import dev.cohort.testkit.TestCluster;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pekko Persistence on Cohort's replicated journal and snapshot store: an ordinary {@link
 * Counter} entity on the active of its partition persists through the partition log, and after that
 * node crashes the entity recovers on the new active with every confirmed event.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplicatedJournalTest {
  private static final Duration ANSWER = Duration.ofSeconds(20);
  private static final String GROUP = "entities";

  private TestCluster cluster;

  private static TestCluster threeNodes() {
    return TestCluster.builder()
        .node("node-a", "ledger").node("node-b", "ledger").node("node-c", "ledger")
        .config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.entities { type = dynamic, cluster = main, partitions = 4, replicas = 2 }
            cohort.quorum.ledger.min-nodes = 2
            pekko.persistence.journal.plugin = "cohort.journal"
            pekko.persistence.snapshot-store.plugin = "cohort.snapshot-store"
            pekko.actor.serialization-bindings {
              "dev.cohort.testkit.journal.Counter$Added" = cohort-kryo
              "dev.cohort.testkit.journal.Counter$Total" = cohort-kryo
            }
            cohort.kryo.classes {
              "dev.cohort.testkit.journal.Counter$Added" = 100
              "dev.cohort.testkit.journal.Counter$Total" = 101
            }
            """)
        .start();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void givenThreeNodes_whenTheActiveOfAnEntityCrashes_thenItRecoversOnTheNewActiveWithEveryConfirmedEvent() throws Exception {
    cluster = threeNodes();
    cluster.awaitTableAgreement();
    PartitionId partition = partitionOf("alice");
    String first = activeOf(partition);

    ActorRef<Counter.Command> alice = spawn(first, "alice", 1);
    long confirmed = 0;
    for (int amount = 1; amount <= 12; amount++) {
      Counter.Total total = add(cluster.node(first).system(), alice, amount);
      confirmed += amount;
      assertEquals(confirmed, total.sum(), "the total after adding " + amount);
    }

    cluster.crash(first);
    String second = Await.until("a new active for " + partition, ANSWER, () -> {
      String now = activeOf(partition);
      return now.equals(first) ? null : now;
    });
    ActorRef<Counter.Command> recovered = spawn(second, "alice", 2);
    Counter.Total total = get(cluster.node(second).system(), recovered, ANSWER);

    assertEquals(new Counter.Total(confirmed, 12), total, "recovered on " + second + " after " + first + " crashed");
    assertEquals(new Counter.Total(confirmed + 100, 13), add(cluster.node(second).system(), recovered, 100),
        "the recovered entity goes on writing after its last event");
  }

  @Test
  void givenAnEntityStartedOnANodeThatIsNotItsPartitionsActive_itsRecoveryFails_ratherThanReplayAReplicasCopy()
      throws Exception {
    cluster = threeNodes();
    cluster.awaitTableAgreement();
    PartitionId partition = partitionOf("bob");
    String active = activeOf(partition);
    String other = cluster.runningNodes().stream().filter(n -> !n.equals(active)).findFirst().orElseThrow();
    add(cluster.node(active).system(), spawn(active, "bob", 1), 5);

    ActorRef<Counter.Command> misplaced = spawn(other, "bob", 2);

    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> get(cluster.node(other).system(), misplaced, Duration.ofSeconds(5)));
    assertTrue(refused.getCause() instanceof TimeoutException, "no answer from an entity that failed to recover: "
        + refused.getCause());
  }

  private PartitionId partitionOf(String entityId) {
    CohortNode any = cluster.nodes().iterator().next();
    return Cohort.get(any.system()).journalClient().partitionOf(GROUP, entityId);
  }

  /** The node that its own table names active for {@code partition}: it answers the journal's queries. */
  private String activeOf(PartitionId partition) {
    return Await.until("a node that knows it is the active of " + partition, ANSWER, () -> cluster.nodes().stream()
        .filter(node -> node.table().entry(partition).flatMap(e -> e.active()).equals(Optional.of(node.name())))
        .map(node -> node.name().value()).findFirst().orElse(null));
  }

  private ActorRef<Counter.Command> spawn(String node, String entityId, int incarnation) {
    return cluster.node(node).system().systemActorOf(Counter.create(entityId), "counter-" + entityId + "-" + incarnation,
        Props.empty());
  }

  private static Counter.Total add(ActorSystem<?> system, ActorRef<Counter.Command> counter, int amount)
      throws Exception {
    CompletionStage<Counter.Total> answer = AskPattern.ask(counter, replyTo -> new Counter.Add(amount, replyTo), ANSWER,
        system.scheduler());
    return answer.toCompletableFuture().get();
  }

  private static Counter.Total get(ActorSystem<?> system, ActorRef<Counter.Command> counter, Duration timeout)
      throws Exception {
    CompletionStage<Counter.Total> answer = AskPattern.ask(counter, Counter.Get::new, timeout, system.scheduler());
    return answer.toCompletableFuture().get();
  }

}
