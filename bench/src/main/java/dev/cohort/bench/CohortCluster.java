package dev.cohort.bench;

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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Three Cohort nodes on loopback: node-a in this JVM (the driver's), node-b and node-c as JVMs of
 * their own, which can be killed and started again on their data ({@link #kill}, {@link #restart}).
 * One dynamic partition group of {@value #PARTITIONS} partitions with one replica each, and one
 * key-value table on it.
 */
final class CohortCluster implements SystemUnderTest {
  static final String TABLE = "bench";
  static final String GROUP = "kv";
  static final int PARTITIONS = 24;
  /** The node in the driver's JVM. */
  static final String DRIVER = "node-a";
  /** The nodes that run as JVMs of their own: those {@link #kill} and {@link #restart} act on. */
  static final List<String> PROCESS_NODES = List.of("node-b", "node-c");
  /** Every node, the driver's first. */
  static final List<String> NODES = Stream.concat(Stream.of(DRIVER), PROCESS_NODES.stream()).toList();
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /**
   * Where the nodes keep their partitions.
   *
   * @param settings the {@code cohort.storage} settings but {@code dir} (the cluster's {@code data}
   *     directory), in HOCON: {@code engine = memory}, or {@code engine = rocksdb} and maybe an fsync policy
   * @param description the same for people
   */
  record Storage(String settings, String description) {
    /** From {@code bench.cohort.storage} ({@link CohortCluster#durable()}); on disk, Cohort's default fsync policy. */
    static Storage fromSystemProperties() {
      return durable()
          ? new Storage("engine = rocksdb", "on disk (RocksDB, fsync every 10 ms)")
          : new Storage("engine = memory", "in memory");
    }
  }

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
  private final Path directory;
  /** The latest incarnation of each node JVM, node-b's first; {@link #restart} replaces one. */
  private final List<NodeProcess> processes;
  private final Map<String, Path> configFiles;
  private final Map<String, Integer> httpPorts;
  private final List<String> nodeJvmOptions;
  private final CohortNode node;
  private final KeyValueTable table;
  private final PartitionMapper mapper;
  private final int partitionCount;
  private final List<String> probeKeys;

  private CohortCluster(Report report, Path directory, List<NodeProcess> processes, Map<String, Path> configFiles,
      Map<String, Integer> httpPorts, List<String> nodeJvmOptions, CohortNode node) {
    this.report = report;
    this.directory = directory;
    this.processes = processes;
    this.configFiles = configFiles;
    this.httpPorts = httpPorts;
    this.nodeJvmOptions = nodeJvmOptions;
    this.node = node;
    this.table = Cohort.get(node.system()).keyValueTable(TABLE);
    PartitionGroupSettings group = node.settings().partitionGroups().get(GROUP);
    this.mapper = Mappers.create(group.mapper(), CohortCluster.class.getClassLoader());
    this.partitionCount = group.partitionCount();
    this.probeKeys = SystemUnderTest.oneKeyPerPartition(partitionCount, this::partitionOf);
  }

  /**
   * Where the nodes keep partition logs and states, from {@code bench.cohort.storage}: {@code memory}
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

  /**
   * The cluster of bench/run.sh: in {@code bench.dir}/{@link #sideName()}, storage as {@link
   * Storage#fromSystemProperties()}.
   */
  static CohortCluster start(BenchSettings settings, Report report) throws Exception {
    return start(settings.directory().resolve(sideName()), Storage.fromSystemProperties(), settings.nodeJvmOptions(),
        report);
  }

  /**
   * Starts the three nodes and returns once every partition accepts writes.
   *
   * @param dir the nodes' configuration files and logs, and their data in {@code dir/data} (emptied first)
   * @param storage where the nodes keep their partitions
   * @param nodeJvmOptions the options of node-b's and node-c's JVMs, also when restarted
   */
  static CohortCluster start(Path dir, Storage storage, List<String> nodeJvmOptions, Report report) throws Exception {
    Files.createDirectories(dir);
    deleteRecursively(dir.resolve("data")); // a benchmark starts from empty nodes, whatever ran here before
    List<Integer> ports = Ports.free(2 * NODES.size());
    List<Integer> clusterPorts = ports.subList(0, NODES.size());
    List<Integer> httpPorts = ports.subList(NODES.size(), ports.size());
    Files.writeString(dir.resolve("cluster.conf"), clusterConf(clusterPorts, dir.resolve("data"), storage),
        StandardCharsets.UTF_8);
    var files = new LinkedHashMap<String, Path>();
    var httpPortOf = new LinkedHashMap<String, Integer>();
    for (int i = 0; i < NODES.size(); i++) {
      Path file = dir.resolve(NODES.get(i) + ".conf");
      Files.writeString(file, "include \"cluster.conf\"\n"
          + "cohort.node.name = " + NODES.get(i) + "\n"
          + "cohort.http.port = " + httpPorts.get(i) + "\n"
          + "pekko.remote.artery.canonical.port = " + clusterPorts.get(i) + "\n", StandardCharsets.UTF_8);
      files.put(NODES.get(i), file);
      httpPortOf.put(NODES.get(i), httpPorts.get(i));
    }
    report.info("starting node-b and node-c as JVMs of their own, node-a in this JVM (configuration and logs in %s); "
        + "partitions %s", dir, storage.description());
    // Written by this thread only (start, restart), read by the shutdown hook.
    var processes = new CopyOnWriteArrayList<NodeProcess>();
    // If this JVM is stopped early, its node JVMs go too (by their own PIDs).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(processes).forEach(p -> {
      if (p.isAlive()) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
    })));
    CohortNode node = null;
    try {
      for (String name : PROCESS_NODES) {
        NodeProcess process = NodeProcess.start(name, files.get(name), dir, nodeJvmOptions);
        processes.add(process);
        report.info("%s: pid %d, log %s", process.name(), process.pid(), process.log());
      }
      node = CohortNode.start(ConfigFactory.parseFile(files.get(DRIVER).toFile()));
      long started = System.nanoTime();
      awaitPlaced(node, processes);
      var cluster = new CohortCluster(report, dir, processes, Map.copyOf(files), Map.copyOf(httpPortOf),
          List.copyOf(nodeJvmOptions), node);
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

  /** Deletes {@code path} and everything under it, if it exists. */
  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }

  private static String clusterConf(List<Integer> clusterPorts, Path dataDir, Storage storage) {
    String seeds = clusterPorts.stream().map(port -> "\"pekko://cohort@127.0.0.1:" + port + "\"")
        .collect(Collectors.joining(", "));
    return """
        # Written by dev.cohort.bench.CohortCluster: three nodes on loopback, one table on a dynamic
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
          # Partition logs and states: %s (CohortCluster.Storage).
          storage { %s, dir = "%s" }
        }
        pekko.cluster.seed-nodes = [%s]
        """.formatted(GROUP, PARTITIONS, TABLE, GROUP, storage.description(), storage.settings(), dataDir, seeds)
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

  /** The index of the partition of {@link #GROUP} that {@code key} of the table is on. */
  int partitionOf(String key) {
    return mapper.partitionOf(key, partitionCount);
  }

  /** The node in this JVM. */
  CohortNode driver() {
    return node;
  }

  /** The key-value table every key goes to, through the node in this JVM. */
  KeyValueTable table() {
    return table;
  }

  /** The latest incarnation of node JVM {@code name}. */
  NodeProcess process(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name + " is not a node JVM of this cluster; they are "
            + PROCESS_NODES));
  }

  /** The {@code host:port} of node {@code name}'s HTTP API, fixed for the node's life. */
  String httpAddress(String name) {
    return "127.0.0.1:" + httpPorts.get(name);
  }

  /** Node {@code name}'s own data directory. */
  Path dataDir(String name) {
    return directory.resolve("data").resolve(name);
  }

  /**
   * Kills node JVM {@code name} with SIGKILL ({@code kill -9} of its PID), as in a crash, and waits
   * until it is gone.
   *
   * @return the JVM's exit code (137)
   */
  int kill(String name) throws InterruptedException {
    return process(name).kill();
  }

  /**
   * Starts node JVM {@code name} again with its configuration file: same name, ports and data
   * directory, which it reopens. Returns at once; the node joins the cluster on its own. Every
   * node is a seed, node-a (in this JVM) first, so the restarted node joins the running cluster.
   *
   * @throws IllegalStateException if the node's JVM is running
   */
  NodeProcess restart(String name) throws IOException {
    NodeProcess previous = process(name);
    if (previous.isAlive()) {
      throw new IllegalStateException(name + " is running (pid " + previous.pid() + "); kill it before restarting it");
    }
    NodeProcess process = NodeProcess.start(name, configFiles.get(name), directory, nodeJvmOptions);
    processes.set(processes.indexOf(previous), process);
    return process;
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
