package dev.cohort.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionGroupSettings;
import dev.cohort.api.PartitionMapper;
import dev.cohort.api.ReadConsistency;
import dev.cohort.mappers.Mappers;
import dev.cohort.node.Cohort;
import dev.cohort.node.CohortNode;
import dev.cohort.node.NodeProcess;
import dev.cohort.partitioning.PartitionEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Three Cohort nodes on loopback: node-a in this JVM (the driver's), node-b and node-c as JVMs of
 * their own. One dynamic partition group of {@value #PARTITIONS} partitions with one replica each,
 * and one key-value table on it.
 */
final class CohortCluster implements SystemUnderTest {
  static final String TABLE = "bench";
  static final String GROUP = "kv";
  static final int PARTITIONS = 24;
  private static final List<String> NODES = List.of("node-a", "node-b", "node-c");
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /**
   * Failure detection and downing for the failover figure: the loopback timings of
   * shared/PEKKO-NOTES.md, tighter than Cohort's production defaults (cohort-pekko.conf: Pekko's 1 s
   * heartbeat and 3 s acceptable pause, stable-after 5 s, down-removal-margin 2 s). The acceptable
   * pause and stable-after can be set with {@code bench.cohort.heartbeat-pause} and {@code
   * bench.cohort.stable-after} (a busy machine delays heartbeats, and a node then gets downed by
   * mistake); {@code -Dbench.cohort.detector=production} leaves all of them at Cohort's defaults.
   */
  static String detectorSettings() {
    if (System.getProperty("bench.cohort.detector", "loopback").equals("production")) {
      return "# failure detection: Cohort's production defaults (cohort-pekko.conf)\n";
    }
    return """
        pekko.cluster {
          failure-detector.heartbeat-interval = 200ms
          failure-detector.acceptable-heartbeat-pause = %s
          gossip-interval = 200ms
          leader-actions-interval = 200ms
          split-brain-resolver.stable-after = %s
          down-removal-margin = 500ms
        }
        """.formatted(System.getProperty("bench.cohort.heartbeat-pause", "1s"),
        System.getProperty("bench.cohort.stable-after", "1s"));
  }

  private final Report report;
  private final List<NodeProcess> processes;
  private final CohortNode node;
  private final KeyValueTable table;
  private final List<String> probeKeys;

  private CohortCluster(Report report, List<NodeProcess> processes, CohortNode node, List<String> probeKeys) {
    this.report = report;
    this.processes = processes;
    this.node = node;
    this.table = Cohort.get(node.system()).keyValueTable(TABLE);
    this.probeKeys = probeKeys;
  }

  /**
   * Where the nodes keep partition logs and snapshots, from {@code bench.cohort.storage}: {@code memory}
   * (the default, as in the earlier runs) or {@code rocksdb} (on disk under the run's directory, with
   * Cohort's default fsync policy: in the background every 10 ms).
   */
  static boolean durable() {
    String storage = System.getProperty("bench.cohort.storage", "memory");
    if (!storage.equals("memory") && !storage.equals("rocksdb")) {
      throw new IllegalArgumentException("bench.cohort.storage must be memory or rocksdb, got '" + storage + "'");
    }
    return storage.equals("rocksdb");
  }

  /** The name of this side in the figures: {@code cohort}, or {@code cohort-durable} on RocksDB. */
  static String sideName() {
    return durable() ? "cohort-durable" : "cohort";
  }

  static CohortCluster start(BenchSettings settings, Report report) throws Exception {
    Path dir = settings.directory().resolve(sideName());
    Files.createDirectories(dir);
    deleteRecursively(dir.resolve("data")); // a benchmark starts from empty nodes, whatever ran here before
    List<Integer> ports = Ports.free(2 * NODES.size());
    List<Integer> clusterPorts = ports.subList(0, NODES.size());
    List<Integer> httpPorts = ports.subList(NODES.size(), ports.size());
    Files.writeString(dir.resolve("cluster.conf"), clusterConf(clusterPorts, dir.resolve("data")), StandardCharsets.UTF_8);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < NODES.size(); i++) {
      Path file = dir.resolve(NODES.get(i) + ".conf");
      Files.writeString(file, "include \"cluster.conf\"\n"
          + "cohort.node.name = " + NODES.get(i) + "\n"
          + "cohort.http.port = " + httpPorts.get(i) + "\n"
          + "pekko.remote.artery.canonical.port = " + clusterPorts.get(i) + "\n", StandardCharsets.UTF_8);
      files.add(file);
    }
    report.info("starting node-b and node-c as JVMs of their own, node-a in this JVM (configuration and logs in %s); "
        + "partitions %s", dir, durable() ? "on disk (RocksDB, fsync every 10 ms)" : "in memory");
    var processes = new ArrayList<NodeProcess>();
    // If this JVM is stopped early, its node JVMs go too (by their own PIDs).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(processes).forEach(p -> {
      if (p.isAlive()) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
    })));
    CohortNode node = null;
    try {
      for (int i = 1; i < NODES.size(); i++) {
        NodeProcess process = NodeProcess.start(NODES.get(i), files.get(i), dir, settings.nodeJvmOptions());
        processes.add(process);
        report.info("%s: pid %d, log %s", process.name(), process.pid(), process.log());
      }
      node = CohortNode.start(ConfigFactory.parseFile(files.get(0).toFile()));
      long started = System.nanoTime();
      awaitPlaced(node, processes);
      List<String> probes = probeKeys(node);
      var cluster = new CohortCluster(report, processes, node, probes);
      cluster.awaitWritable();
      report.info("cluster ready %.1f s after node-a started: 3 nodes up, %d partitions placed with one in-sync replica each, every "
          + "partition accepts writes; table version %d", (System.nanoTime() - started) / 1e9, PARTITIONS,
          node.table().version());
      return cluster;
    } catch (Exception | Error e) {
      for (NodeProcess process : processes) {
        report.info("last lines of %s:%n  %s", process.name(), String.join("\n  ", process.tail(20)));
        process.stop(STOP_GRACE);
      }
      if (node != null) {
        node.close();
      }
      throw e;
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }

  private static String clusterConf(List<Integer> clusterPorts, Path dataDir) {
    String seeds = clusterPorts.stream().map(port -> "\"pekko://cohort@127.0.0.1:" + port + "\"")
        .collect(Collectors.joining(", "));
    return """
        # Written by dev.cohort.bench.CohortBench: three nodes on loopback, one table on a dynamic
        # partition group with one replica per partition.
        cohort {
          nodes {
            node-a { groups = [bench], zone = "zone-1" }
            node-b { groups = [bench], zone = "zone-2" }
            node-c { groups = [bench], zone = "zone-3" }
          }
          clusters { main { node-groups = [bench] } }
          partition-groups {
            %s { type = dynamic, cluster = main, partitions = %d, replicas = 1, mapper = consistent-hash }
          }
          tables { %s { partition-group = %s } }
          quorum { bench { min-nodes = 2 } }
          # Partition logs and snapshots: see CohortCluster.durable().
          storage { engine = %s, dir = "%s" }
        }
        pekko.cluster.seed-nodes = [%s]
        """.formatted(GROUP, PARTITIONS, TABLE, GROUP, durable() ? "rocksdb" : "memory", dataDir, seeds)
        + detectorSettings();
  }

  /** Waits until every node is up and every partition has an active and an in-sync replica, spread over all three. */
  private static void awaitPlaced(CohortNode node, List<NodeProcess> processes) throws InterruptedException {
    long deadline = System.nanoTime() + BenchSettings.START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (NodeProcess process : processes) {
        if (!process.isAlive()) {
          throw new IllegalStateException(process.name() + " exited while the cluster formed");
        }
      }
      if (placed(node)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the cluster did not form within " + BenchSettings.START_TIMEOUT.toSeconds()
        + " s; up: " + node.upNodes() + ", table: " + node.table());
  }

  private static boolean placed(CohortNode node) {
    if (node.upNodes().size() != NODES.size()) {
      return false;
    }
    List<PartitionEntry> entries = node.table().group(GROUP);
    if (entries.size() != PARTITIONS) {
      return false;
    }
    Set<NodeName> actives = new HashSet<>();
    for (PartitionEntry entry : entries) {
      if (!entry.available() || entry.placement().get().nodes().size() != 2
          || !entry.inSync().containsAll(entry.placement().get().nodes())) {
        return false;
      }
      actives.add(entry.active().get());
    }
    return actives.size() == NODES.size();
  }

  /** The first probe key that falls on each partition. */
  private static List<String> probeKeys(CohortNode node) {
    PartitionGroupSettings group = node.settings().partitionGroups().get(GROUP);
    PartitionMapper mapper = Mappers.create(group.mapper(), CohortCluster.class.getClassLoader());
    return SystemUnderTest.oneKeyPerPartition(group.partitionCount(), key -> mapper.partitionOf(key, group.partitionCount()));
  }

  @Override
  public String name() {
    return "cohort";
  }

  @Override
  public CompletionStage<?> put(String key, byte[] value) {
    return table.put(key, value);
  }

  @Override
  public CompletionStage<?> get(String key) {
    return table.get(key, ReadConsistency.LINEARIZABLE);
  }

  @Override
  public List<String> probeKeys() {
    return probeKeys;
  }

  /** Kills the separate node that is active for the most partitions. */
  @Override
  public String killMember() throws InterruptedException {
    List<PartitionEntry> entries = node.table().group(GROUP);
    Map<String, Long> activeCount = entries.stream().filter(PartitionEntry::available)
        .collect(Collectors.groupingBy(e -> e.active().get().value(), Collectors.counting()));
    NodeProcess victim = processes.stream()
        .max(Comparator.comparingLong((NodeProcess p) -> activeCount.getOrDefault(p.name(), 0L)))
        .orElseThrow();
    long held = entries.stream().filter(e -> e.heldBy(NodeName.of(victim.name()))).count();
    int exit = victim.kill();
    return String.format("%s (pid %d, exit %d): active for %d and replica for %d of %d partitions", victim.name(),
        victim.pid(), exit, activeCount.getOrDefault(victim.name(), 0L),
        held - activeCount.getOrDefault(victim.name(), 0L), entries.size());
  }

  @Override
  public String failureDetection() {
    String detector = detectorSettings().startsWith("#")
        ? "Cohort's production defaults (cohort-pekko.conf: heartbeat 1 s, acceptable pause 3 s, stable-after 5 s, "
            + "down-removal-margin 2 s)"
        : detectorSettings().replaceAll("\\s+", " ").trim();
    return detector
        + " (over cohort-pekko.conf; cohort.client: attempt-timeout 1s, retry-backoff 50ms; "
        + "cohort.replication.lag-max-silence 2s)";
  }

  @Override
  public void close() {
    for (NodeProcess process : processes) {
      if (process.isAlive()) {
        try {
          process.stop(STOP_GRACE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    node.close();
    report.info("nodes stopped; node logs in %s", processes.get(0).log().getParent());
  }
}
