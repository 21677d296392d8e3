package dev.cohort.node.internal.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.cohort.node.CohortNode;
import dev.cohort.node.Main;
import dev.cohort.node.NodeProcess;
import dev.cohort.node.http.ClusterJson;
import dev.cohort.node.http.MemberJson;
import dev.cohort.node.http.NodeHttpClient;
import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code cohort demo}: starts the three nodes of {@code conf/demo/} as separate JVMs on loopback,
 * waits until they form one cluster and agree on one partition table, prints it, and stops them
 * (by their PIDs) cleanly.
 */
public final class DemoCommand {
  private static final List<String> NODE_FILES = List.of("node-a.conf", "node-b.conf", "node-c.conf");
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 30;

  private DemoCommand() {}

  /** A demo node's configuration file and the ports it uses. */
  private record DemoNode(String name, Path config, int clusterPort, int httpPort) {
    String http() {
      return "127.0.0.1:" + httpPort;
    }
  }

  /** Runs the demo; returns the exit code. */
  public static int run(Arguments arguments) {
    arguments.requireAllUsed();
    Path demoDir = Path.of(System.getProperty("cohort.home", ".")).resolve("conf/demo").toAbsolutePath().normalize();
    List<DemoNode> nodes = new ArrayList<>();
    for (String file : NODE_FILES) {
      nodes.add(describe(demoDir.resolve(file)));
    }
    for (DemoNode node : nodes) {
      for (int port : List.of(node.clusterPort(), node.httpPort())) {
        if (!isFree(port)) {
          System.err.printf("cohort demo: port %d (of %s) is in use; stop whatever holds it, "
              + "for example an earlier demo or node, and try again%n", port, node.name());
          return Main.FAILED;
        }
      }
    }
    try {
      return runCluster(nodes);
    } catch (IOException e) {
      System.err.println("cohort demo: " + e.getMessage());
      return Main.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.FAILED;
    }
  }

  private static int runCluster(List<DemoNode> nodes) throws IOException, InterruptedException {
    Path logDir = Files.createTempDirectory("cohort-demo-");
    System.out.printf("Starting %d Cohort nodes on loopback (logs in %s)%n", nodes.size(), logDir);
    List<NodeProcess> processes = new ArrayList<>();
    Thread stopOnInterrupt = new Thread(() -> processes.forEach(p -> {
      if (p.isAlive()) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy);
      }
    }));
    Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
    try {
      for (DemoNode node : nodes) {
        NodeProcess process = NodeProcess.start(node.name(), node.config(), logDir, List.of());
        processes.add(process);
        System.out.printf("  %s: pid %d, cluster port %d, HTTP http://%s%n",
            node.name(), process.pid(), node.clusterPort(), node.http());
      }
      long started = System.nanoTime();
      TableJson agreed = awaitAgreement(nodes, processes);
      if (agreed == null) {
        System.err.printf("cohort demo: the nodes did not agree on one partition table within %d s%n",
            FORMATION_TIMEOUT.toSeconds());
        processes.forEach(DemoCommand::printTail);
        return Main.FAILED;
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      ClusterJson cluster = new NodeHttpClient(nodes.get(0).http()).cluster();
      System.out.printf("%nCluster formed in %.1f s: %d members Up, coordinator %s, every node holds partition "
          + "table version %d%n%n", seconds, cluster.members().size(), cluster.coordinator(), agreed.version());
      StatusCommand.print(cluster, agreed, System.out);
      System.out.println();
      return stopAll(processes);
    } finally {
      for (NodeProcess process : processes) {
        if (process.isAlive()) {
          process.stop(STOP_GRACE);
        }
      }
      Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
    }
  }

  /**
   * Polls every node until all report every demo node Up and hold the same table, placing
   * partitions on all of them; null on timeout or if a node process died.
   */
  private static TableJson awaitAgreement(List<DemoNode> nodes, List<NodeProcess> processes)
      throws InterruptedException {
    Set<String> names = nodes.stream().map(DemoNode::name).collect(Collectors.toCollection(TreeSet::new));
    long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (processes.stream().anyMatch(p -> !p.isAlive())) {
        System.err.println("cohort demo: a node process exited early");
        return null;
      }
      TableJson agreed = agreedTable(nodes, names);
      if (agreed != null) {
        return agreed;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    return null;
  }

  private static TableJson agreedTable(List<DemoNode> nodes, Set<String> names) throws InterruptedException {
    TableJson first = null;
    for (DemoNode node : nodes) {
      try {
        var client = new NodeHttpClient(node.http());
        Set<String> up = client.cluster().members().stream()
            .filter(m -> m.status().equals("Up") && m.reachable())
            .map(MemberJson::name)
            .collect(Collectors.toSet());
        TableJson table = client.partitions();
        if (!up.equals(names) || !placedOn(table).equals(names)) {
          return null;
        }
        if (first != null && first.version() != table.version()) {
          return null;
        }
        first = table;
      } catch (IOException notYet) {
        return null;
      }
    }
    return first;
  }

  private static Set<String> placedOn(TableJson table) {
    var placed = new TreeSet<String>();
    for (PartitionJson p : table.partitions()) {
      if (p.active() != null) {
        placed.add(p.active());
      }
      placed.addAll(p.replicas());
    }
    return placed;
  }

  private static int stopAll(List<NodeProcess> processes) throws InterruptedException {
    System.out.println("Stopping the nodes (SIGTERM to each PID; each leaves the cluster gracefully)");
    for (int i = processes.size() - 1; i >= 0; i--) {
      NodeProcess process = processes.get(i);
      long begun = System.nanoTime();
      int exit = process.stop(STOP_GRACE);
      System.out.printf("  %s (pid %d) stopped in %.1f s, exit code %d%n",
          process.name(), process.pid(), (System.nanoTime() - begun) / 1e9, exit);
    }
    System.out.println("Demo done.");
    return 0;
  }

  private static void printTail(NodeProcess process) {
    System.err.printf("--- last lines of %s (%s) ---%n", process.name(), process.log());
    process.tail(LOG_TAIL_LINES).forEach(System.err::println);
  }

  private static DemoNode describe(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("demo configuration " + file + " is missing; run the demo from a Cohort checkout "
          + "(bin/cohort demo)");
    }
    Config config = CohortNode.loadConfig(
        ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)));
    return new DemoNode(
        config.getString("cohort.node.name"),
        file,
        config.getInt("pekko.remote.artery.canonical.port"),
        config.getInt("cohort.http.port"));
  }

  private static boolean isFree(int port) {
    try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
