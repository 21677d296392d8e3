package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeName;
import dev.cohort.node.http.MemberJson;
import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three Cohort nodes as real JVMs: one is killed with {@code kill -9}, or stopped with SIGSTOP. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProcessClusterTest {
  private static final Set<String> ALL = Set.of("node-a", "node-b", "node-c");
  private static final Set<String> SURVIVORS = Set.of("node-a", "node-b");
  /** node-a is the first seed, so it forms the cluster, is the oldest and runs the coordinator. */
  private static final String VICTIM = "node-c";
  private static final Duration DETECTION_TIMEOUT = Duration.ofSeconds(30);

  private static ProcessCluster.Builder threeNodes(Path dir) {
    return PartitionTableClusterTest.threeLedgerNodes(ProcessCluster.builder().directory(dir));
  }

  @Test
  void givenThreeNodeJvms_whenOneIsKilled_thenTheOthersDownIt_andFailOver_andItRejoinsWhenRestarted(@TempDir Path dir) {
    try (ProcessCluster cluster = threeNodes(dir).start()) {
      TableJson before = cluster.awaitTableAgreement();
      long oldPid = cluster.pid(VICTIM);

      long killed = System.nanoTime();
      cluster.crash(VICTIM);
      awaitMarkedUnreachable(cluster, VICTIM);
      long unreachable = System.nanoTime();
      // Only the Split Brain Resolver downs members here, and a member is removed only once downed.
      for (String survivor : SURVIVORS) {
        Await.until(survivor + " to remove " + VICTIM, DETECTION_TIMEOUT,
            () -> cluster.clusterView(survivor).member(VICTIM).isEmpty());
      }
      long removed = System.nanoTime();
      TableJson after = cluster.awaitTableAgreement();
      long failedOver = System.nanoTime();

      assertEquals(SURVIVORS, cluster.runningNodes());
      assertTrue(sbrDecisions(cluster).stream().anyMatch(line -> line.contains("SBR took decision DownUnreachable")
              && line.contains("downing [" + cluster.address(VICTIM) + "]")),
          "a survivor's Split Brain Resolver downed " + VICTIM + ": " + sbrDecisions(cluster));
      assertTrue(after.version() > before.version(), "a new table version is published");
      TableAssertions.assertFailoverOnlyFor(NodeName.of(VICTIM), before.toTable(), after.toTable());

      long restarted = System.nanoTime();
      cluster.restart(VICTIM);
      TableJson rejoined = cluster.awaitTableAgreement();
      System.out.printf("kill -9 of %s: unreachable after %d ms, removed after %d ms, new table agreed after %d ms; "
              + "restarted, all three agree again after %d ms%n", VICTIM, millis(killed, unreachable),
          millis(killed, removed), millis(killed, failedOver), millis(restarted, System.nanoTime()));

      assertEquals(ALL, cluster.runningNodes());
      assertNotEquals(oldPid, cluster.pid(VICTIM), "a new JVM");
      assertEquals(cluster.address(VICTIM), cluster.clusterView("node-a").member(VICTIM).orElseThrow().address(),
          "the new incarnation comes back at the same address");
      assertTrue(rejoined.version() > after.version(), "a new table version is published");
      assertTrue(activeOn(rejoined, VICTIM), VICTIM + " is active again for some partition: " + rejoined);
      assertEquals(List.of(), cluster.loggedErrors(), "no node logged an ERROR");
    }
  }

  @Test
  void givenThreeNodeJvms_whenOneIsPausedBriefly_thenItBecomesUnreachable_andAfterResumingIsReachableAgain_notDowned(
      @TempDir Path dir) throws Exception {
    // The resolver waits 20 s of stable membership before downing, far longer than this pause
    // (detection, about 3-4 s, plus the resume), so it must not act.
    try (ProcessCluster cluster = threeNodes(dir)
        .config("pekko.cluster.split-brain-resolver.stable-after = 20s")
        .start()) {
      TableJson before = cluster.awaitTableAgreement();
      long pid = cluster.pid(VICTIM);

      cluster.pause(VICTIM);
      long paused = System.nanoTime();
      assertThrows(IOException.class, () -> cluster.http(VICTIM).health(), "a stopped JVM answers nothing");
      awaitMarkedUnreachable(cluster, VICTIM);
      long unreachable = System.nanoTime();
      for (String survivor : SURVIVORS) {
        assertEquals(MemberJson.UP, cluster.clusterView(survivor).member(VICTIM).orElseThrow().status(),
            VICTIM + " is unreachable to " + survivor + " but not downed");
      }
      long resumed = System.nanoTime();
      cluster.resume(VICTIM);
      TableJson after = cluster.awaitTableAgreement();
      System.out.printf("SIGSTOP of %s: unreachable after %d ms, all reachable again %d ms after SIGCONT%n",
          VICTIM, millis(paused, unreachable), millis(resumed, System.nanoTime()));

      assertEquals(ALL, cluster.runningNodes());
      assertEquals(pid, cluster.pid(VICTIM), "the same JVM carries on");
      assertEquals(TableAssertions.placements(before.toTable()), TableAssertions.placements(after.toTable()),
          "no failover: an unreachable member keeps its partitions until it is downed");
      assertEquals(List.of(), sbrDecisions(cluster), "the Split Brain Resolver took no decision");
      assertEquals(List.of(), cluster.loggedErrors(), "no node logged an ERROR");
    }
  }

  /**
   * Waits until each survivor has been seen marking {@code node} unreachable, remembering who has:
   * after a crash the Split Brain Resolver removes it about 2 s later, and a survivor seen
   * early must not have to be seen again.
   */
  private static void awaitMarkedUnreachable(ProcessCluster cluster, String node) {
    Set<String> seen = new TreeSet<>();
    Await.until("every survivor to mark " + node + " unreachable", DETECTION_TIMEOUT, () -> {
      for (String survivor : SURVIVORS) {
        if (cluster.clusterView(survivor).member(node).filter(m -> !m.reachable()).isPresent()) {
          seen.add(survivor);
        }
      }
      return seen.equals(SURVIVORS);
    });
  }

  private static boolean activeOn(TableJson table, String node) {
    return table.partitions().stream().map(PartitionJson::active).anyMatch(node::equals);
  }

  private static List<String> sbrDecisions(ProcessCluster cluster) {
    return cluster.declaredNodes().stream()
        .flatMap(name -> cluster.tail(name, Integer.MAX_VALUE).stream())
        .filter(line -> line.contains("SBR took decision"))
        .toList();
  }

  private static long millis(long from, long to) {
    return TimeUnit.NANOSECONDS.toMillis(to - from);
  }
}
