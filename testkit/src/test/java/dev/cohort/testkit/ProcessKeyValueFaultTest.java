package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeName;
import dev.cohort.node.http.TableJson;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.testkit.RegisterWorkload.Endpoint;
import dev.cohort.testkit.history.History;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated key-value table on three node JVMs, used through HTTP as registers, when the
 * node that is active for the most partitions is killed with {@code kill -9} and then started
 * again on its data directory, all under load; the history is checked.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ProcessKeyValueFaultTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  @Test
  void givenThreeNodeJvms_whenTheBusiestActiveIsKilledAndRestartedUnderLoad_thenEveryAcknowledgedWriteSurvives(
      @TempDir Path dir) {
    try (ProcessCluster cluster = PartitionTableClusterTest.threeLedgerNodes(ProcessCluster.builder().directory(dir))
        .config("cohort.tables.kv { partition-group = accounts }")
        .start()) {
      PartitionTable before = cluster.awaitTableAgreement().toTable();
      String victim = ReplicatedLogFaultTest.busiestActive(before);
      HttpClient http = HttpClient.newHttpClient();
      var history = History.create();
      try (var workload = RegisterWorkload.startOn(() -> endpoints(cluster, http), RegisterWorkload.Options.defaults(),
          history)) {
        workload.awaitCompleted(200);

        long killed = System.nanoTime();
        cluster.crash(victim);
        TableJson after = cluster.awaitTableAgreement();
        System.out.printf("kill -9 of %s: table settled without it %.1f s later%n", victim,
            (System.nanoTime() - killed) / 1e9);
        assertTrue(after.toTable().partitions().stream()
            .allMatch(entry -> entry.available() && !entry.heldBy(NodeName.of(victim))), "failed over: " + after);
        workload.awaitCompleted(workload.completed() + 200);

        long restarted = System.nanoTime();
        cluster.restart(victim);
        TableJson back = cluster.awaitTableAgreement();
        System.out.printf("%s restarted on its data: back in every in-sync set %.1f s later%n", victim,
            (System.nanoTime() - restarted) / 1e9);
        assertTrue(back.partitions().stream().filter(p -> p.group().equals("accounts"))
            .allMatch(p -> p.active() != null && p.inSync().size() == 2), "every partition in sync again: " + back);
        workload.awaitCompleted(workload.completed() + 200);
        workload.stopAndReadAll(endpoints(cluster, http).get(0));
      }
      ReplicatedLogFaultTest.check(history);
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  /** The HTTP table of every node that runs and is not paused. */
  private static List<Endpoint> endpoints(ProcessCluster cluster, HttpClient http) {
    Set<String> paused = cluster.pausedNodes();
    return cluster.runningNodes().stream().filter(name -> !paused.contains(name))
        .map(name -> new Endpoint(name, new HttpKeyValueTable(http,
            cluster.http(name).base().replaceFirst("^http://", ""), "kv", REQUEST_TIMEOUT)))
        .toList();
  }
}
