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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code cohort demo}: starts the three nodes of {@code conf/demo/} as separate JVMs on loopback,
 * waits until they form one cluster and agree on one partition table, and prints it. Then it runs a
 * key-value workload against table {@value DemoKvHttp#TABLE} for about 20 s
 * ({@link DemoWorkload}, a progress line per second), kills one node with SIGKILL half-way, shows
 * the failover as the survivors see it ({@link DemoFailover}), reads every acknowledged write back,
 * prints a summary, and stops the surviving nodes (by their PIDs) cleanly.
 *
 * <p>Exits 0 only if every acknowledged write was read back, no read was stale and every partition
 * got a live active again after the kill; else {@link Main#FAILED}.
 */
public final class DemoCommand {
  private static final List<String> NODE_FILES = List.of("node-a.conf", "node-b.conf", "node-c.conf");
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 30;
  /**
   * The demo's node JVMs live for half a minute. On a small machine the optimizing JIT compiler (C2)
   * takes a third or more of each fresh JVM's CPU for the first minute, so the quick compiler alone
   * serves them better (measured on 2 cores: about 2.5 times the requests per second); nodes started
   * with {@code cohort node} keep the JVM's defaults.
   */
  private static final List<String> NODE_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");
  /** How long the workload runs at least; the failover and the restart after it make it longer. */
  private static final Duration WORKLOAD_DURATION = Duration.ofSeconds(20);
  /** When one node is killed: half-way, so the progress lines show before, dip and after. */
  private static final Duration KILL_AT = WORKLOAD_DURATION.dividedBy(2);
  /** The workload runs at least this long after the failover, and after the restart, to show each. */
  private static final Duration AFTER_FAILOVER = Duration.ofSeconds(3);
  /**
   * How long the survivors may take to give every partition a live active: far beyond the expected
   * failure detection + split brain resolver stable-after (5 s) + down-removal-margin (2 s).
   */
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(45);
  /** How long the killed node, started again, may take to be back in every partition's in-sync set. */
  private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);
  /** How long the kill waits for replicas that are catching up to be in sync again. */
  private static final Duration IN_SYNC_WAIT = Duration.ofSeconds(10);
  /** Answers from a survivor during the failover should be quick; a slow one is polled again. */
  private static final Duration SURVIVOR_TIMEOUT = Duration.ofSeconds(2);
  /** Keys of the check's failures listed in the output. */
  private static final int PROBLEMS_SHOWN = 10;
  private static final int PERCENT = 100;

  private DemoCommand() {}

  /** A demo node's configuration file and the ports it uses. */
  private record DemoNode(String name, Path config, int clusterPort, int httpPort) {
    String http() {
      return "127.0.0.1:" + httpPort;
    }
  }

  /**
   * The kill of the demo: which node, its process, and when (of {@link System#nanoTime()}, and into
   * the workload).
   */
  private record Kill(String victim, NodeProcess process, long atNanos, Duration atElapsed) {}

  /**
   * The killed node started again on its data directory.
   *
   * @param inSync whether it was back in every partition's in-sync set within {@link #RESTART_TIMEOUT}
   * @param took from its start until then (or until the timeout)
   * @param kept the copies it found on disk and the entries they received since; the same for the
   *     copies placed on it anew
   */
  private record Restart(NodeProcess process, boolean inSync, Duration took, Received kept, Received added) {}

  /**
   * What some copies of a restarted node received.
   *
   * @param copies how many
   * @param restoredSeqs the seqs their logs on disk ended at, summed
   * @param committedSeqs their committed seqs now, summed
   * @param entries log entries they received
   * @param snapshotBytes snapshot bytes they received
   */
  private record Received(int copies, long restoredSeqs, long committedSeqs, long entries, long snapshotBytes) {
    static Received of(List<PartitionJson> copies) {
      return new Received(copies.size(), copies.stream().mapToLong(p -> p.received().restoredSeq()).sum(),
          copies.stream().mapToLong(PartitionJson::committedSeq).sum(),
          copies.stream().mapToLong(p -> p.received().entries()).sum(),
          copies.stream().mapToLong(p -> p.received().snapshotBytes()).sum());
    }

    String describe() {
      return String.format("%d log entries and %d snapshot bytes", entries, snapshotBytes);
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
    String group = demoTableGroup(nodes.get(0).config());
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
      return runCluster(nodes, group);
    } catch (IOException e) {
      System.err.println("cohort demo: " + e.getMessage());
      return Main.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.FAILED;
    }
  }

  private static int runCluster(List<DemoNode> nodes, String group) throws IOException, InterruptedException {
    Path logDir = Files.createTempDirectory("cohort-demo-");
    // Each node keeps its partitions on disk in a directory of its own under the demo's directory.
    List<String> jvmOptions = new ArrayList<>(NODE_JVM_OPTIONS);
    jvmOptions.add("-Dcohort.storage.dir=" + logDir.resolve("data"));
    System.out.printf("Starting %d Cohort nodes on loopback (logs and data in %s)%n", nodes.size(), logDir);
    List<NodeProcess> processes = new ArrayList<>();
    Thread stopOnInterrupt = new Thread(() -> processes.forEach(p -> {
      if (p.isAlive()) {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroy);
      }
    }));
    Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
    try {
      for (DemoNode node : nodes) {
        NodeProcess process = NodeProcess.start(node.name(), node.config(), logDir, jvmOptions);
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
      int result = runWorkload(nodes, processes, group, jvmOptions, logDir);
      System.out.println();
      stopAll(processes);
      return result;
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
   * partitions on all of them with every copy in sync; null on timeout or if a node process died.
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
        if (!up.equals(names) || !placedOn(table).equals(names) || !DemoFailover.fullyInSync(table)) {
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

  /**
   * The workload, the kill half-way, the failover, the check and the summary; returns the exit
   * code.
   */
  private static int runWorkload(List<DemoNode> nodes, List<NodeProcess> processes, String group,
      List<String> jvmOptions, Path logDir) throws InterruptedException {
    var httpOf = new LinkedHashMap<String, String>();
    nodes.forEach(node -> httpOf.put(node.name(), node.http()));
    var kv = new DemoKvHttp(httpOf);
    DemoWorkload workload = DemoWorkload.start(kv, System.out);
    Consumer<String> say = event -> System.out.printf("  >>> %5.1fs  %s%n", seconds(workload.elapsed()), event);
    sleepUntil(workload, KILL_AT);

    TableJson before = awaitInSync(nodes, say);
    if (before == null) {
      System.err.println("cohort demo: no node answers GET /partitions; cannot choose a node to kill");
      workload.stop();
      processes.forEach(DemoCommand::printTail);
      return Main.FAILED;
    }
    Kill kill = kill(before, coordinator(nodes), group, processes, workload, say);

    List<DemoNode> survivors = nodes.stream().filter(node -> !node.name().equals(kill.victim())).toList();
    DemoFailover.Outcome failover = DemoFailover.watch(kill.victim(), kill.atNanos(), before, group,
        survivors.stream().map(node -> new NodeHttpClient(node.http(), SURVIVOR_TIMEOUT)).toList(),
        FAILOVER_TIMEOUT, say);
    if (failover.recovered()) {
      say.accept(String.format("FAILOVER DONE %.1f s after the kill: no partition names %s as active; took over %s",
          seconds(failover.took()), kill.victim(), takeovers(failover, group)));
    } else {
      say.accept(String.format("NO FAILOVER: %.1f s after the kill some partition still has no live active",
          seconds(failover.took())));
    }
    sleepUntil(workload, workload.elapsed().plus(AFTER_FAILOVER));
    Restart restart = restart(nodes, kill, processes, jvmOptions, logDir, workload, say);
    Duration showRestart = workload.elapsed().plus(AFTER_FAILOVER);
    sleepUntil(workload, WORKLOAD_DURATION.compareTo(showRestart) >= 0 ? WORKLOAD_DURATION : showRestart);
    DemoWorkload.Result result = workload.stop();

    List<String> readFrom = (restart.inSync() ? nodes : survivors).stream().map(DemoNode::name).toList();
    System.out.printf("%nReading back every acknowledged key from %s (linearizable GETs)%n",
        String.join(" and ", readFrom));
    DemoCheck.Result check = DemoCheck.run(kv, workload.acknowledged(), readFrom, System.out);
    printCheck(check);
    boolean passed = check.passed() && result.staleReads() == 0 && failover.recovered() && restart.inSync();
    printSummary(result, check, failover, kill, restart, passed);
    if (!passed) {
      System.out.println("Node logs: " + kill.process().log().getParent());
    }
    return passed ? 0 : Main.FAILED;
  }

  /**
   * Starts the killed node again on its data directory and waits until it is back in every
   * partition's in-sync set, then says how much it had to catch up; the workload sends it requests
   * again from then on.
   */
  private static Restart restart(List<DemoNode> nodes, Kill kill, List<NodeProcess> processes, List<String> jvmOptions,
      Path logDir, DemoWorkload workload, Consumer<String> say) throws InterruptedException {
    DemoNode node = nodes.stream().filter(n -> n.name().equals(kill.victim())).findFirst().orElseThrow();
    NodeProcess process;
    try {
      process = NodeProcess.start(node.name(), node.config(), logDir, jvmOptions);
    } catch (IOException e) {
      say.accept("cannot restart " + node.name() + ": " + e.getMessage());
      return new Restart(kill.process(), false, Duration.ZERO, null, null);
    }
    processes.add(process);
    long started = System.nanoTime();
    say.accept(String.format("RESTART %s (pid %d) on its data directory", node.name(), process.pid()));
    Set<String> names = nodes.stream().map(DemoNode::name).collect(Collectors.toCollection(TreeSet::new));
    long deadline = started + RESTART_TIMEOUT.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline && agreedTable(nodes, names) == null) {
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    TableJson own = null;
    try {
      own = new NodeHttpClient(node.http(), SURVIVOR_TIMEOUT).partitions();
    } catch (IOException unanswered) {
      // reported below as not back
    }
    if (own == null || agreedTable(nodes, names) == null) {
      say.accept(String.format("%s is NOT back in sync %.1f s after its restart", node.name(), seconds(took)));
      return new Restart(process, false, took, null, null);
    }
    workload.nodeUp(node.name());
    List<PartitionJson> copies = own.partitions().stream().filter(p -> p.received() != null).toList();
    Received kept = Received.of(copies.stream().filter(p -> p.received().restoredSeq() > 0).toList());
    Received added = Received.of(copies.stream().filter(p -> p.received().restoredSeq() == 0).toList());
    say.accept(String.format("%s is back in sync %.1f s after its restart: the %d partition copies it kept on disk "
        + "(their logs, %d entries in all, are now %d long) received %s; %d copies placed on it anew received %s", node.name(),
        seconds(took), kept.copies(), kept.restoredSeqs(), kept.committedSeqs(), kept.describe(), added.copies(),
        added.describe()));
    return new Restart(process, true, took, kept, added);
  }

  /**
   * Kills (SIGKILL) the node active for the most partitions of {@code group} in {@code table}.
   *
   * @param coordinator the node running the coordinator, if known: killing it delays the failover by
   *     the coordinator's own move, which the output should explain
   */
  private static Kill kill(TableJson table, String coordinator, String group, List<NodeProcess> processes,
      DemoWorkload workload, Consumer<String> say) throws InterruptedException {
    String victim = DemoFailover.victim(table, group);
    NodeProcess process = processes.stream().filter(p -> p.name().equals(victim)).findFirst().orElseThrow();
    long partitions = table.partitions().stream().filter(p -> p.group().equals(group)).count();
    say.accept(String.format("KILL -9 %s (pid %d), active for %d of %d %s partitions%s", victim, process.pid(),
        DemoFailover.activeCounts(table, group).get(victim), partitions, group,
        victim.equals(coordinator) ? " and the coordinator" : ""));
    var kill = new Kill(victim, process, System.nanoTime(), workload.elapsed());
    process.kill();
    workload.nodeDown(victim);
    return kill;
  }

  /**
   * The partition table once every copy is in sync, so that the kill shows a failover and not a
   * partition whose only in-sync copy is lost (which stays unavailable, by design); after {@link
   * #IN_SYNC_WAIT} the table as it is, with a note. Null if no node answers.
   */
  private static TableJson awaitInSync(List<DemoNode> nodes, Consumer<String> say) throws InterruptedException {
    long deadline = System.nanoTime() + IN_SYNC_WAIT.toNanos();
    TableJson table = readTable(nodes);
    boolean waited = false;
    while (table != null && !DemoFailover.fullyInSync(table) && System.nanoTime() < deadline) {
      if (!waited) {
        say.accept("waiting until every partition copy is in sync before the kill (table version " + table.version()
            + ")");
        waited = true;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
      table = readTable(nodes);
    }
    if (table != null && !DemoFailover.fullyInSync(table)) {
      say.accept("note: not every partition copy is in sync after " + IN_SYNC_WAIT.toSeconds() + " s (table version "
          + table.version() + "); a partition whose only in-sync copy is killed stays unavailable, by design");
    }
    return table;
  }

  /** The node running the coordinator, as the first node that answers says; null if none does. */
  private static String coordinator(List<DemoNode> nodes) throws InterruptedException {
    for (DemoNode node : nodes) {
      try {
        return new NodeHttpClient(node.http(), SURVIVOR_TIMEOUT).cluster().coordinator();
      } catch (IOException tryAnother) {
        // the next node may answer
      }
    }
    return null;
  }

  /** The partition table of the first node that answers, null if none does. */
  private static TableJson readTable(List<DemoNode> nodes) throws InterruptedException {
    for (DemoNode node : nodes) {
      try {
        return new NodeHttpClient(node.http(), SURVIVOR_TIMEOUT).partitions();
      } catch (IOException tryAnother) {
        // the next node may answer
      }
    }
    return null;
  }

  /** Waits until the workload has run for {@code elapsed}. */
  private static void sleepUntil(DemoWorkload workload, Duration elapsed) throws InterruptedException {
    Duration left = elapsed.minus(workload.elapsed());
    if (!left.isNegative()) {
      Thread.sleep(left.toMillis());
    }
  }

  private static void printCheck(DemoCheck.Result check) {
    if (check.passed()) {
      System.out.printf("check: %d acknowledged keys, all readable%n", check.keys());
      return;
    }
    if (check.keys() == 0) {
      System.out.println("check: FAILED, no write was acknowledged at all");
      return;
    }
    System.out.printf("check: FAILED, %d of %d acknowledged keys readable; %d wrong or unreadable%n",
        check.readable(), check.keys(), check.keys() - check.readable());
    check.problems().entrySet().stream().limit(PROBLEMS_SHOWN)
        .forEach(problem -> System.out.println("  " + problem.getValue()));
  }

  private static void printSummary(DemoWorkload.Result result, DemoCheck.Result check, DemoFailover.Outcome failover,
      Kill kill, Restart restart, boolean passed) {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("requests", String.format("%d in %.1f s (%d/s), %d in flight at once",
        result.requests(), seconds(result.ran()), Math.round(result.requests() / seconds(result.ran())),
        DemoWorkload.WINDOW)));
    rows.add(List.of("acknowledged writes", String.format("%d, to %d of %d keys", result.writes(), result.keys(),
        DemoWorkload.KEYS)));
    rows.add(List.of("reads", String.format("%d linearizable, %d stale", result.reads(), result.staleReads())));
    rows.add(List.of("errors", result.failed() == 0 ? "none" : String.format("%d (%.1f%%): %s", result.failed(),
        PERCENT * (double) result.failed() / result.requests(), result.errors().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))));
    rows.add(List.of("latency", String.format("p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms",
        DemoWorkload.millis(result.latency(), 50), DemoWorkload.millis(result.latency(), 99),
        DemoWorkload.millis(result.latency(), 99.9), DemoWorkload.maxMillis(result.latency()))));
    rows.add(List.of("killed", String.format("%s (pid %d) at %.1f s", kill.victim(), kill.process().pid(),
        seconds(kill.atElapsed()))));
    rows.add(List.of("failover", failover.recovered()
        ? String.format("%.1f s from kill -9 until every partition had a live active", seconds(failover.took()))
        : String.format("NONE: partitions without a live active %.1f s after the kill", seconds(failover.took()))));
    rows.add(List.of("restarted", restart.inSync()
        ? String.format("%s (pid %d) back in sync %.1f s after its restart; copies kept on disk received %s",
            kill.victim(), restart.process().pid(), seconds(restart.took()), restart.kept().describe())
        : String.format("%s NOT back in sync %.1f s after its restart", kill.victim(), seconds(restart.took()))));
    rows.add(List.of("check", check.passed() ? check.keys() + " acknowledged keys, all readable"
        : String.format("FAILED: %d of %d acknowledged keys readable", check.readable(), check.keys())));
    if (result.unfinished() > 0) {
      rows.add(List.of("unfinished", result.unfinished() + " requests still unanswered when the workload ended"));
    }
    rows.add(List.of("result", passed ? "PASSED" : "FAILED"));
    System.out.printf("%nSummary%n");
    TablePrinter.printRows(rows, System.out);
    result.staleExamples().forEach(stale -> System.out.println("  stale read: " + stale));
  }

  private static String takeovers(DemoFailover.Outcome failover, String group) {
    if (failover.takenOver().isEmpty()) {
      return "nothing";
    }
    return failover.takenOver().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue() + " " + group + " partition" + (e.getValue() == 1 ? "" : "s"))
        .collect(Collectors.joining(", "));
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static void stopAll(List<NodeProcess> processes) throws InterruptedException {
    System.out.println("Stopping the nodes (SIGTERM to each PID; each leaves the cluster gracefully)");
    for (int i = processes.size() - 1; i >= 0; i--) {
      NodeProcess process = processes.get(i);
      if (!process.isAlive()) {
        continue;
      }
      long begun = System.nanoTime();
      int exit = process.stop(STOP_GRACE);
      System.out.printf("  %s (pid %d) stopped in %.1f s, exit code %d%n",
          process.name(), process.pid(), (System.nanoTime() - begun) / 1e9, exit);
    }
    System.out.println("Demo done.");
  }

  private static void printTail(NodeProcess process) {
    System.err.printf("--- last lines of %s (%s) ---%n", process.name(), process.log());
    process.tail(LOG_TAIL_LINES).forEach(System.err::println);
  }

  /** The partition group of the demo's table, from {@code cohort.tables} of the demo configuration. */
  private static String demoTableGroup(Path file) {
    Config config = CohortNode.loadConfig(
        ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)));
    String key = "cohort.tables." + DemoKvHttp.TABLE + ".partition-group";
    if (!config.hasPath(key)) {
      throw new UsageException("the demo configuration (" + file.getParent() + ") declares no key-value table '"
          + DemoKvHttp.TABLE + "'; add cohort.tables." + DemoKvHttp.TABLE + " { partition-group = accounts } "
          + "to cluster.conf");
    }
    return config.getString(key);
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
