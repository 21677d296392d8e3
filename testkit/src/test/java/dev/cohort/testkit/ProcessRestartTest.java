package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.KvValue;
import dev.cohort.api.KvWrite;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node JVMs that keep their partitions on disk (RocksDB), restarted after a {@code kill -9}: they come
 * back with their data and catch up only what they missed.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ProcessRestartTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int WRITES_BEFORE = 3000;
  private static final int WRITES_WHILE_DOWN = 300;
  /** Entries a restarted copy may receive besides the writes it missed: new actives' opening entries. */
  private static final int OPENING_ENTRIES_SLACK = 60;
  private static final int IN_FLIGHT = 32;

  @Test
  void givenThreeNodesOnDisk_whenOneIsKilledAndRestarted_thenItCatchesUpOnlyTheTailAndHoldsEveryWrite(
      @TempDir Path dir) {
    try (ProcessCluster cluster = everyPartitionOnEveryNode(ProcessCluster.builder().directory(dir)).start()) {
      cluster.awaitTableAgreement();
      HttpClient http = HttpClient.newHttpClient();
      HttpKeyValueTable viaA = table(cluster, http, "node-a");
      putAll(viaA, 0, WRITES_BEFORE);

      cluster.crash("node-c");
      cluster.awaitTableAgreement();
      putAll(viaA, WRITES_BEFORE, WRITES_BEFORE + WRITES_WHILE_DOWN);

      cluster.restart("node-c");
      TableJson settled = cluster.awaitTableAgreement();
      assertTrue(settled.partitions().stream().allMatch(p -> p.inSync().contains("node-c")),
          "node-c is back in every partition's in-sync set: " + settled);

      List<PartitionJson> copiesOnC = cluster.tableView("node-c").partitions();
      long entries = copiesOnC.stream().mapToLong(p -> p.received().entries()).sum();
      long snapshotBytes = copiesOnC.stream().mapToLong(p -> p.received().snapshotBytes()).sum();
      long committed = copiesOnC.stream().mapToLong(PartitionJson::committedSeq).sum();
      System.out.printf("restarted node-c received %d entries and %d snapshot bytes; it missed %d writes; the "
          + "partitions' logs hold %d committed entries; by partition (received/committed): %s%n", entries, snapshotBytes,
          WRITES_WHILE_DOWN, committed, copiesOnC.stream()
              .map(p -> p.index() + ": " + p.received().entries() + "/" + p.committedSeq()).toList());
      assertTrue(copiesOnC.stream().allMatch(p -> p.received().restoredSeq() > 0),
          "every copy on node-c is the one it kept on disk: " + copiesOnC);
      assertEquals(0, snapshotBytes, "node-c needed no snapshot: it had its data");
      assertTrue(entries >= WRITES_WHILE_DOWN && entries <= WRITES_WHILE_DOWN + OPENING_ENTRIES_SLACK,
          "node-c received the " + WRITES_WHILE_DOWN + " writes it missed and a few opening entries, not a full copy: "
              + entries + " entries");

      HttpKeyValueTable onC = table(cluster, http, "node-c");
      for (int i = 0; i < WRITES_BEFORE + WRITES_WHILE_DOWN; i++) {
        Optional<KvValue> value = onC.get(key(i), ReadConsistency.ANY_REPLICA).toCompletableFuture().join();
        assertEquals(value(i), value.map(v -> new String(v.value(), StandardCharsets.UTF_8)).orElse(null),
            "node-c's own copy of " + key(i));
      }
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenEachNodeHoldingTwoThirds_whenOneIsKilledRemovedAndRestarted_thenItIsPlacedBackOnTheCopiesItKept(
      @TempDir Path dir) {
    try (ProcessCluster cluster = threeNodes(ProcessCluster.builder().directory(dir), 12, 1).start()) {
      cluster.awaitTableAgreement();
      HttpClient http = HttpClient.newHttpClient();
      HttpKeyValueTable viaA = table(cluster, http, "node-a");
      putAll(viaA, 0, WRITES_BEFORE);
      List<Integer> keptByC = partitionsOf(cluster.awaitTableAgreement(), "node-c");

      cluster.crash("node-c");
      TableJson without = cluster.awaitTableAgreement();
      assertEquals(List.of(), partitionsOf(without, "node-c"), "node-c was downed and its copies placed elsewhere");
      putAll(viaA, WRITES_BEFORE, WRITES_BEFORE + WRITES_WHILE_DOWN);

      cluster.restart("node-c");
      TableJson settled = cluster.awaitTableAgreement();
      assertEquals(keptByC, partitionsOf(settled, "node-c"), "node-c is placed back on the partitions it kept");
      List<PartitionJson> copiesOnC = cluster.tableView("node-c").partitions().stream()
          .filter(p -> keptByC.contains(p.index())).toList();
      long entries = copiesOnC.stream().mapToLong(p -> p.received().entries()).sum();
      assertEquals(0, copiesOnC.stream().mapToLong(p -> p.received().snapshotBytes()).sum(),
          "node-c needed no snapshot: " + copiesOnC);
      assertTrue(copiesOnC.stream().allMatch(p -> p.received().restoredSeq() > 0), "copies kept on disk: " + copiesOnC);
      assertTrue(entries <= WRITES_WHILE_DOWN + OPENING_ENTRIES_SLACK, "only the tail: " + entries + " entries");

      HttpKeyValueTable viaC = table(cluster, http, "node-c");
      for (int i = 0; i < WRITES_BEFORE + WRITES_WHILE_DOWN; i++) {
        Optional<KvValue> value = viaC.get(key(i)).toCompletableFuture().join();
        assertEquals(value(i), value.map(v -> new String(v.value(), StandardCharsets.UTF_8)).orElse(null), key(i));
      }
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  @Test
  void givenThreeNodesSyncingEveryWrite_whenAllAreKilledAndRestarted_thenEveryAcknowledgedWriteIsThere(
      @TempDir Path dir) {
    try (ProcessCluster cluster = everyPartitionOnEveryNode(ProcessCluster.builder().directory(dir))
        .config("cohort.storage.fsync = always")
        .start()) {
      cluster.awaitTableAgreement();
      HttpClient http = HttpClient.newHttpClient();
      putAll(table(cluster, http, "node-a"), 0, WRITES_BEFORE);

      for (String node : List.of("node-a", "node-b", "node-c")) {
        cluster.crash(node);
      }
      for (String node : List.of("node-a", "node-b", "node-c")) {
        cluster.restart(node);
      }
      TableJson settled = cluster.awaitTableAgreement();
      assertTrue(settled.partitions().stream().allMatch(p -> p.active() != null && p.inSync().size() == 3),
          "every partition is available again, with all three copies in sync: " + settled);

      HttpKeyValueTable viaB = table(cluster, http, "node-b");
      for (int i = 0; i < WRITES_BEFORE; i++) {
        Optional<KvValue> value = viaB.get(key(i)).toCompletableFuture().join();
        assertEquals(value(i), value.map(v -> new String(v.value(), StandardCharsets.UTF_8)).orElse(null),
            "acknowledged write of " + key(i));
      }
      putAll(viaB, WRITES_BEFORE, WRITES_BEFORE + WRITES_WHILE_DOWN);
      assertEquals(List.of(), cluster.loggedErrors());
    }
  }

  /** Three nodes; six partitions, each with an active and two replicas: every node holds every partition. */
  private static ProcessCluster.Builder everyPartitionOnEveryNode(ProcessCluster.Builder builder) {
    return threeNodes(builder, 6, 2);
  }

  private static ProcessCluster.Builder threeNodes(ProcessCluster.Builder builder, int partitions, int replicas) {
    return builder
        .nodeInZone("node-a", "zone-1", "ledger")
        .nodeInZone("node-b", "zone-2", "ledger")
        .nodeInZone("node-c", "zone-3", "ledger")
        .config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.accounts { type = dynamic, cluster = main, partitions = %d, replicas = %d }
            cohort.quorum.ledger.min-nodes = 2
            cohort.tables.kv { partition-group = accounts }
            # Snapshots as often as in every test, but a log long enough that a node away for a few
            # hundred writes catches up from it.
            cohort.replication.log-retain-entries = 5000
            """.formatted(partitions, replicas));
  }

  /** The partitions {@code node} holds in a settled table, where every copy is in sync. */
  private static List<Integer> partitionsOf(TableJson table, String node) {
    return table.partitions().stream().filter(p -> p.inSync().contains(node)).map(PartitionJson::index).toList();
  }

  private static HttpKeyValueTable table(ProcessCluster cluster, HttpClient http, String node) {
    return new HttpKeyValueTable(http, cluster.http(node).base().replaceFirst("^http://", ""), "kv", REQUEST_TIMEOUT);
  }

  /** Writes keys {@code from} to {@code to} (exclusive), a few at a time; every write must be acknowledged. */
  private static void putAll(HttpKeyValueTable table, int from, int to) {
    var inFlight = new ArrayList<CompletableFuture<KvWrite>>();
    for (int i = from; i < to; i++) {
      inFlight.add(table.put(key(i), value(i).getBytes(StandardCharsets.UTF_8)).toCompletableFuture());
      if (inFlight.size() == IN_FLIGHT || i == to - 1) {
        inFlight.forEach(CompletableFuture::join);
        inFlight.clear();
      }
    }
  }

  private static String key(int i) {
    return "key-" + i;
  }

  private static String value(int i) {
    return "value-" + i;
  }
}
