package dev.cohort.testkit.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.PartitionId;
import dev.cohort.node.Cohort;
import dev.cohort.node.CohortNode;
import dev.cohort.node.internal.partition.PartitionProtocol.JournalAnswer;
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
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
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
    return threeNodes("");
  }

  private static TestCluster threeNodes(String moreConfig) {
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
        .config(moreConfig)
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

  @Test
  void givenAReplayPageOfThreeEvents_andEventsDeletedAtSnapshots_entitiesRecoverEveryEvent_andContinueTheirNumbers()
      throws Exception {
    cluster = threeNodes("cohort.journal.replay-page = 3");
    cluster.awaitTableAgreement();
    // carol never snapshots: her recovery replays 10 events, 3 per query.
    String carolsActive = activeOf(partitionOf("carol"));
    ActorSystem<?> system = cluster.node(carolsActive).system();
    ActorRef<Counter.Command> carol = spawn(carolsActive, Counter.create("carol", RetentionCriteria.disabled()), "carol-1");
    for (int amount = 1; amount <= 10; amount++) {
      add(system, carol, amount);
    }
    carol.tell(new Counter.Stop());
    ActorRef<Counter.Command> carolAgain = spawn(carolsActive, Counter.create("carol", RetentionCriteria.disabled()), "carol-2");
    assertEquals(new Counter.Total(55, 10), get(system, carolAgain, ANSWER));

    // dave deletes his events up to each snapshot: he recovers from the snapshot, and his next event
    // follows the highest sequence number ever written, not the highest one left.
    String davesActive = activeOf(partitionOf("dave"));
    system = cluster.node(davesActive).system();
    RetentionCriteria deleting = RetentionCriteria.snapshotEvery(4, 1).withDeleteEventsOnSnapshot();
    ActorRef<Counter.Command> dave = spawn(davesActive, Counter.create("dave", deleting), "dave-1");
    for (int amount = 1; amount <= 9; amount++) {
      add(system, dave, amount);
    }
    dave.tell(new Counter.Stop());
    ActorRef<Counter.Command> daveAgain = spawn(davesActive, Counter.create("dave", deleting), "dave-2");
    assertEquals(new Counter.Total(45, 9), get(system, daveAgain, ANSWER));
    assertEquals(new Counter.Total(55, 10), add(system, daveAgain, 10));

    JournalAnswer stored = Cohort.get(system).journalClient().query(partitionOf("dave"), "Counter|dave", 1,
        Long.MAX_VALUE, 100, null).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(10, stored.highestSeqNr());
    assertTrue(stored.events().get(0).seqNr() > 1, "the events up to a snapshot were deleted: " + stored.events()
        .stream().map(e -> e.seqNr()).toList());
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
    return spawn(node, Counter.create(entityId), entityId + "-" + incarnation);
  }

  private ActorRef<Counter.Command> spawn(String node, Behavior<Counter.Command> counter, String name) {
    return cluster.node(node).system().systemActorOf(counter, "counter-" + name, Props.empty());
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
