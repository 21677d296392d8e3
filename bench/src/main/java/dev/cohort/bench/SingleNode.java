package dev.cohort.bench;

import com.typesafe.config.ConfigFactory;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.NodeName;
import dev.cohort.node.Cohort;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Cohort node in this JVM, alone in its cluster: one dynamic partition group without replicas
 * (so one node is every copy, and its quorum of one is met), one key-value table on it, partitions
 * on disk (RocksDB) with {@code fsync = never}. Any {@code -Dcohort...} system property overrides
 * these settings, as for every node.
 */
final class SingleNode implements AutoCloseable {
  private static final String NODE = "node-a";

  private final CohortNode node;
  private final KeyValueTable table;
  private final Path dataDir;

  private SingleNode(CohortNode node, Path dataDir) {
    this.node = node;
    this.table = Cohort.get(node.system()).keyValueTable(CohortCluster.TABLE);
    this.dataDir = dataDir;
  }

  /** Starts the node on an empty data directory and returns once it is active for every partition. */
  static SingleNode start(LookupSettings settings, Report report) throws Exception {
    Path dir = settings.directory();
    Files.createDirectories(dir);
    Path data = dataRoot(settings);
    CohortCluster.deleteRecursively(data); // a benchmark starts from an empty node, whatever ran here before
    Path file = dir.resolve(NODE + ".conf");
    Files.writeString(file, nodeConf(settings.partitions(), Ports.free(1).get(0), data), StandardCharsets.UTF_8);
    report.info("starting %s in this JVM (configuration %s): %d partitions on disk (RocksDB, fsync never) in %s",
        NODE, file, settings.partitions(), data);
    CohortNode node = CohortNode.start(ConfigFactory.parseFile(file.toFile()));
    try {
      long started = System.nanoTime();
      awaitActive(node, settings.partitions());
      report.info("%s ready %.1f s after it started: active for all %d partitions", NODE,
          (System.nanoTime() - started) / 1e9, settings.partitions());
      return new SingleNode(node, data.resolve(NODE));
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
  }

  /**
   * Deletes the node's data once it has stopped, unless {@link LookupSettings#keepData()}; the
   * configuration file stays.
   */
  static void cleanUp(LookupSettings settings, Report report) throws IOException {
    Path data = dataRoot(settings);
    if (settings.keepData()) {
      report.info("the node's data stays in %s", data);
    } else {
      CohortCluster.deleteRecursively(data);
      report.info("deleted the node's data in %s (-Dbench.lookup.keep-data=true keeps it)", data);
    }
  }

  private static Path dataRoot(LookupSettings settings) {
    return settings.directory().resolve("data");
  }

  private static String nodeConf(int partitions, int port, Path dataDir) {
    return """
        # Written by dev.cohort.bench.LookupBench: one node alone in its cluster, one table on a dynamic
        # partition group without replicas, partitions on disk, never synced (the OS writes them back).
        cohort {
          node.name = %s
          nodes { %s { groups = [bench] } }
          clusters { main { node-groups = [bench] } }
          partition-groups {
            %s { type = dynamic, cluster = main, partitions = %d, replicas = 0, mapper = consistent-hash }
          }
          tables { %s { partition-group = %s } }
          quorum { bench { min-nodes = 1 } }
          storage { engine = rocksdb, dir = "%s", fsync = never }
          http.port = 0
        }
        pekko.remote.artery.canonical.port = %d
        pekko.cluster.seed-nodes = ["pekko://cohort@127.0.0.1:%d"]
        """.formatted(NODE, NODE, CohortCluster.GROUP, partitions, CohortCluster.TABLE, CohortCluster.GROUP, dataDir,
        port, port);
  }

  private static void awaitActive(CohortNode node, int partitions) throws InterruptedException {
    long deadline = System.nanoTime() + BenchSettings.START_TIMEOUT.toNanos();
    while (!active(node, partitions)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the node was not active for every partition within "
            + BenchSettings.START_TIMEOUT.toSeconds() + " s; up: " + node.upNodes() + ", table: " + node.table());
      }
      Thread.sleep(100);
    }
  }

  private static boolean active(CohortNode node, int partitions) {
    NodeName self = node.name();
    List<PartitionEntry> entries = node.table().group(CohortCluster.GROUP);
    return node.upNodes().contains(self) && entries.size() == partitions && entries.stream()
        .allMatch(e -> e.available() && e.active().get().equals(self) && e.isInSync(self));
  }

  /** The table every key goes to. */
  KeyValueTable table() {
    return table;
  }

  /** The node's own data directory. */
  Path dataDir() {
    return dataDir;
  }

  /** The bytes of the files under the node's data directory now, by its subdirectory ({@link DiskUsage}). */
  Map<String, Long> diskBytes() throws IOException {
    return DiskUsage.bySubdirectory(dataDir);
  }

  @Override
  public void close() {
    node.close();
  }
}
