package dev.cohort.testkit;

import com.typesafe.config.Config;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import dev.cohort.node.CohortNode;
import dev.cohort.node.NodeProcess;
import dev.cohort.node.ReplicationSettings;
import dev.cohort.node.http.ClusterJson;
import dev.cohort.node.http.MemberJson;
import dev.cohort.node.http.NodeHttpClient;
import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.partitioning.PlacementPlanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Cohort nodes as real JVMs ({@code cohort node --config FILE}) on loopback, with the timings of
 * {@code cohort-test.conf}: for the faults one JVM cannot fake, a {@code kill -9} and a SIGSTOP.
 *
 * <pre>{@code
 * try (ProcessCluster cluster = ProcessCluster.builder()
 *     .nodeInZone("node-a", "zone-1", "ledger").nodeInZone("node-b", "zone-2", "ledger")
 *     .nodeInZone("node-c", "zone-3", "ledger")
 *     .config("cohort.clusters.main.node-groups = [ledger]\n"
 *         + "cohort.partition-groups.accounts { cluster = main, partitions = 12, replicas = 1 }")
 *     .start()) {
 *   TableJson table = cluster.awaitTableAgreement();
 *   cluster.crash("node-c");
 *   ...
 * }
 * }</pre>
 *
 * <p>Each node runs with one configuration file, written before each start: the roster made from
 * the declared nodes, the per-node and shared HOCON, {@code cohort-process-test.conf} and {@code
 * cohort-test.conf}, and on top what the cluster owns: the node's name, two ports chosen up front
 * (cluster and HTTP, fixed for the node's life, so a restarted node comes back at the same
 * address) and every declared node as a seed node, so that any node can be restarted and rejoin.
 * A restarted node lists itself last among its seeds while other nodes run: Pekko lets only the
 * first seed form a new cluster, and a restarted node must join the running one, never form a
 * second. Each node logs to {@code <name>.log} in the cluster's directory, every incarnation to
 * the same file.
 *
 * <p>Signals go only to the processes this cluster started, by PID. {@link #close()} stops all of
 * them whatever happened; a JVM shutdown hook does the same if the test JVM exits first.
 */
public final class ProcessCluster implements NodeFaults, AutoCloseable {
  /** How long the await methods wait unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** How long one HTTP request to a node may take: a paused node answers nothing. */
  public static final Duration HTTP_TIMEOUT = Duration.ofSeconds(2);
  /** How many log lines of each node failure messages carry. */
  private static final int TAIL_LINES = 25;
  /** How long {@link #close()} lets the nodes leave after SIGTERM before it kills them. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
  /** How long a graceful {@link #stop} may take before the node is killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  /**
   * JVM options of every node before the builder's: short-lived test nodes start about twice as
   * fast on two busy cores with the C1 compiler only.
   */
  private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

  private final Path directory;
  private final boolean ownsDirectory;
  private final Map<String, ProcessNode> declared;
  private final CohortSettings settings;
  /** Whether one in-sync holder of an unavailable partition revives it alone (the nodes' commit policy). */
  private final boolean anyHolderRevives;
  private final List<String> jvmOptions;
  /** The latest incarnation of each node ever started, alive or not. */
  private final Map<String, NodeProcess> latest = new LinkedHashMap<>();
  /** Every process this cluster started, for close(). */
  private final List<NodeProcess> started = new ArrayList<>();
  private final Thread stopOnExit = new Thread(this::killAll, "process-cluster-stop-on-exit");

  private ProcessCluster(Path directory, boolean ownsDirectory, Map<String, ProcessNode> declared,
      CohortSettings settings, boolean anyHolderRevives, List<String> jvmOptions) {
    this.directory = directory;
    this.ownsDirectory = ownsDirectory;
    this.declared = declared;
    this.settings = settings;
    this.anyHolderRevives = anyHolderRevives;
    this.jvmOptions = jvmOptions;
  }

  /** A builder of a process cluster. */
  public static Builder builder() {
    return new Builder();
  }

  /** Declares the nodes and configuration of a process cluster. */
  public static final class Builder extends ClusterBuilder<Builder> {
    private final List<String> jvmOptions = new ArrayList<>();
    private Path directory;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * JVM options for every node JVM, after the defaults (those of {@link NodeProcess#start}, and
     * {@code -XX:TieredStopAtLevel=1}), so that they win.
     */
    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(Arrays.asList(options));
      return this;
    }

    /**
     * The existing directory for configuration files and logs (a test's {@code @TempDir}, say);
     * by default a new temporary directory that {@link #close()} deletes.
     */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /**
     * Writes the configuration files, starts every declared node's JVM (in declaration order) and
     * returns the cluster at once; the nodes then form the cluster by themselves ({@link
     * #awaitTableAgreement()} waits for that).
     *
     * @throws dev.cohort.api.ConfigurationException if the configuration cannot work, before any
     *     JVM starts
     */
    public ProcessCluster start() {
      try {
        return startIn(directory == null ? Files.createTempDirectory("cohort-process-cluster-") : directory,
            directory == null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the node configurations", e);
      }
    }

    private ProcessCluster startIn(Path dir, boolean ownsDirectory) throws IOException {
      Map<String, ProcessNode> nodes = ProcessNode.layOut(this, dir, HTTP_TIMEOUT);
      // Validates the shape once here, so a configuration that cannot work fails before any JVM starts.
      Config first = CohortNode.loadConfig(nodes.values().iterator().next().config());
      CohortSettings settings = CohortSettings.fromConfig(first);
      boolean anyHolderRevives = ReplicationSettings.fromConfig(first).commitPolicy()
          .anyInSyncCopyHoldsEveryCommittedEntry();

      var jvm = new ArrayList<>(DEFAULT_JVM_OPTIONS);
      jvm.addAll(jvmOptions);
      var cluster = new ProcessCluster(dir, ownsDirectory, nodes, settings, anyHolderRevives, List.copyOf(jvm));
      Runtime.getRuntime().addShutdownHook(cluster.stopOnExit);
      try {
        nodes.keySet().forEach(cluster::startProcess);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }
  }

  // --- nodes ------------------------------------------------------------------------------------

  @Override
  public Set<String> declaredNodes() {
    return Collections.unmodifiableSet(new TreeSet<>(declared.keySet()));
  }

  /** The nodes whose JVM is alive: not crashed, not exited by themselves; paused ones included. */
  @Override
  public Set<String> runningNodes() {
    return latest.entrySet().stream()
        .filter(e -> e.getValue().isAlive())
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The running nodes that are paused. */
  public Set<String> pausedNodes() {
    return latest.entrySet().stream()
        .filter(e -> e.getValue().isPaused())
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The HTTP client of declared node {@code name} (it answers only while the node runs). */
  public NodeHttpClient http(String name) {
    return declared(name).http();
  }

  /** The Pekko address declared node {@code name} always runs at, such as {@code pekko://cohort@127.0.0.1:41234}. */
  public String address(String name) {
    return declared(name).address();
  }

  /**
   * The configuration declared node {@code name} runs with, as written to its file, but for the
   * seed nodes (which {@link #restart} orders anew).
   */
  public Config configOf(String name) {
    return declared(name).config();
  }

  /** The file node {@code name}'s latest incarnation was started with. */
  public Path configFile(String name) {
    return declared(name).configFile();
  }

  /** The PID of node {@code name}'s latest incarnation. */
  public long pid(String name) {
    return process(name).pid();
  }

  /** Node {@code name}'s log file (every incarnation's output). */
  public Path log(String name) {
    return directory.resolve(name + ".log");
  }

  /** The last {@code lines} lines of node {@code name}'s log. */
  public List<String> tail(String name, int lines) {
    return process(name).tail(lines);
  }

  /** The last lines of every started node's log, for failure messages. */
  public String tails() {
    var out = new StringBuilder();
    for (NodeProcess process : latest.values()) {
      out.append("\n--- last lines of ").append(process).append(", ").append(process.log()).append(" ---\n");
      process.tail(TAIL_LINES).forEach(line -> out.append(line).append('\n'));
    }
    return out.toString();
  }

  /**
   * Every line of every node's log, all incarnations, logged at ERROR (a line with {@code " ERROR "}
   * in it, as the testkit's logback pattern writes the level); prefixed with the node's name.
   */
  public List<String> loggedErrors() {
    var errors = new ArrayList<String>();
    for (String name : latest.keySet()) {
      try (Stream<String> lines = Files.lines(log(name), StandardCharsets.UTF_8)) {
        lines.filter(line -> line.contains(" ERROR ")).forEach(line -> errors.add(name + ": " + line));
      } catch (IOException | UncheckedIOException e) {
        errors.add(name + ": (cannot read " + log(name) + ": " + e.getMessage() + ")");
      }
    }
    return errors;
  }

  /**
   * {@code GET /cluster} of node {@code name}; fails with an unchecked exception so that it can be
   * polled with {@link Await} (which retries on those).
   */
  public ClusterJson clusterView(String name) {
    try {
      return http(name).cluster();
    } catch (IOException e) {
      throw new UncheckedIOException(name + " did not answer GET /cluster: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + name, e);
    }
  }

  /** {@code GET /partitions} of node {@code name}, failing unchecked like {@link #clusterView}. */
  public TableJson tableView(String name) {
    try {
      return http(name).partitions();
    } catch (IOException e) {
      throw new UncheckedIOException(name + " did not answer GET /partitions: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + name, e);
    }
  }

  // --- faults -----------------------------------------------------------------------------------

  /** Kills running node {@code name} with SIGKILL ({@code kill -9} of its PID) and waits until it is gone. */
  @Override
  public void crash(String name) {
    NodeProcess process = running(name);
    interruptibly(process::kill);
  }

  /**
   * Starts node {@code name} again, a new JVM with the same configuration file: same name, same
   * ports. If the cluster still counts its old incarnation as a member, Pekko downs that one when
   * the new incarnation joins from the same address.
   *
   * @throws IllegalStateException if the node is running
   */
  @Override
  public void restart(String name) {
    declared(name);
    NodeProcess previous = latest.get(name);
    if (previous != null && previous.isAlive()) {
      throw new IllegalStateException("node " + name + " is running (pid " + previous.pid()
          + "); crash or stop it before restarting it");
    }
    startProcess(name);
  }

  /** Stops running node {@code name} with SIGSTOP: it answers nothing and sends no heartbeat. */
  @Override
  public void pause(String name) {
    NodeProcess process = running(name);
    if (process.isPaused()) {
      throw new IllegalStateException("node " + name + " is already paused");
    }
    interruptibly(process::pause);
  }

  /** Continues paused node {@code name} with SIGCONT. */
  @Override
  public void resume(String name) {
    NodeProcess process = running(name);
    if (!process.isPaused()) {
      throw new IllegalStateException("node " + name + " is not paused; paused: " + pausedNodes());
    }
    interruptibly(process::resume);
  }

  /**
   * Stops running node {@code name} gracefully (SIGTERM: it leaves the cluster), killing it if it
   * takes longer than 20 s; returns its exit code.
   */
  public int stop(String name) {
    NodeProcess process = running(name);
    int[] exit = new int[1];
    interruptibly(() -> exit[0] = process.stop(STOP_GRACE));
    return exit[0];
  }

  // --- agreement --------------------------------------------------------------------------------

  /**
   * Waits until every running, non-paused node reports exactly the running, non-paused nodes as
   * Up and reachable, and all hold the same partition table (version > 0), one the coordinator
   * would not change any more for those nodes (every copy caught up, nothing to replan, and no
   * unavailable partition that a running holder will revive with the data it kept on disk); returns
   * it. While a node is paused this holds only once the others have downed it and failed over.
   *
   * @throws AssertionError after {@link #DEFAULT_TIMEOUT}, with what each node last reported and
   *     the tails of their logs
   */
  public TableJson awaitTableAgreement() {
    return awaitTableAgreement(DEFAULT_TIMEOUT);
  }

  /** {@link #awaitTableAgreement()} with a timeout. */
  public TableJson awaitTableAgreement(Duration timeout) {
    var lastSeen = new AtomicReference<String>("nothing yet");
    try {
      return Await.until("the running, non-paused nodes to agree on one settled partition table", timeout,
          () -> agreedTable(lastSeen));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nlast seen: " + lastSeen.get() + tails(), e);
    }
  }

  private TableJson agreedTable(AtomicReference<String> lastSeen) {
    Set<String> expected = new TreeSet<>(runningNodes());
    expected.removeAll(pausedNodes());
    if (expected.isEmpty()) {
      lastSeen.set("no node is running and not paused");
      return null;
    }
    TableJson agreed = null;
    for (String name : expected) {
      Set<String> up = clusterView(name).members().stream()
          .filter(MemberJson::upAndReachable)
          .map(MemberJson::name)
          .collect(Collectors.toCollection(TreeSet::new));
      TableJson table = tableView(name);
      lastSeen.set(name + " sees " + up + " Up and reachable and holds table version " + table.version()
          + " (expected " + expected + ")");
      if (!up.equals(expected) || table.version() == 0 || (agreed != null && agreed.version() != table.version())) {
        return null;
      }
      Optional<PartitionJson> reviving = revivable(name, table, expected);
      if (reviving.isPresent()) {
        lastSeen.set(name + " holds table version " + table.version() + ", where it may yet revive "
            + reviving.get().group() + "/" + reviving.get().index() + " with the data it kept");
        return null;
      }
      agreed = table;
    }
    Set<NodeName> live = expected.stream().map(NodeName::of).collect(Collectors.toCollection(TreeSet::new));
    PartitionTable table = agreed.toTable();
    boolean settled = table.caughtUp() && PlacementPlanner.plan(settings, live, table).table().version() == agreed.version();
    lastSeen.set("all hold table version " + agreed.version() + (settled ? ""
        : table.caughtUp() ? ", which the coordinator has yet to replan for " + expected : ", with replicas catching up"));
    return settled ? agreed : null;
  }

  /**
   * An unavailable partition in {@code view}, {@code node}'s table, that {@code node} may revive as
   * one of its in-sync holders: its copy has not started yet, or kept a log on disk, which it reports
   * to the coordinator until the partition is revived (at once, or once every holder runs, as the
   * commit policy needs). A table with one is not settled: the coordinator is about to change it.
   */
  private Optional<PartitionJson> revivable(String node, TableJson view, Set<String> running) {
    return view.partitions().stream()
        .filter(p -> p.active() == null && p.inSync().contains(node))
        .filter(p -> p.received() == null
            || (p.received().restoredSeq() > 0 && (anyHolderRevives || running.containsAll(p.inSync()))))
        .findFirst();
  }

  // --- lifecycle --------------------------------------------------------------------------------

  /**
   * Stops every process this cluster started, whatever happened: paused ones are continued, all
   * get SIGTERM at once, and those still running 5 s later get SIGKILL. Deletes the cluster's
   * directory if the cluster made it.
   */
  @Override
  public void awaitAgreement(Duration timeout) {
    awaitTableAgreement(timeout);
  }

  @Override
  public void close() {
    List<NodeProcess> alive = started.stream().filter(NodeProcess::isAlive).toList();
    var stoppers = new ArrayList<Thread>();
    for (NodeProcess process : alive) {
      // In parallel: the nodes leave together, so close takes one grace period, not one per node.
      Thread stopper = new Thread(() -> interruptibly(() -> process.stop(CLOSE_GRACE)), "stop-" + process.name());
      stopper.start();
      stoppers.add(stopper);
    }
    try {
      for (Thread stopper : stoppers) {
        stopper.join(CLOSE_GRACE.plusSeconds(15).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      killAll();
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException exiting) {
        // The JVM is already shutting down; the hook has run or will find nothing alive.
      }
    }
    if (ownsDirectory) {
      deleteDirectory();
    }
  }

  private void killAll() {
    for (NodeProcess process : started) {
      if (process.isAlive()) {
        try {
          process.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
          // A JVM that outlives SIGKILL is beyond help here; close goes on with the others.
        }
      }
    }
  }

  private void deleteDirectory() {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      // Leftover temporary files are not worth failing a test for.
    }
  }

  @Override
  public String toString() {
    return "ProcessCluster(" + latest.values() + " in " + directory + ")";
  }

  private void startProcess(String name) {
    ProcessNode node = declared(name);
    long incarnation = started.stream().filter(p -> p.name().equals(name)).count() + 1;
    try {
      node.writeConfig(seedsFor(name, incarnation == 1));
      // A marker between incarnations, since they share one log file.
      Files.writeString(log(name), String.format("%s ----- ProcessCluster: starting %s, incarnation %d -----%n",
          LocalTime.now(), name, incarnation), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      NodeProcess process = NodeProcess.start(name, node.configFile(), directory, jvmOptions);
      started.add(process);
      latest.put(name, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + name, e);
    }
  }

  /**
   * Every declared node as a seed, in declaration order at the first start, so the first declared
   * node forms the cluster. A restarted node lists itself last while others run, so that it joins
   * them rather than form a cluster of its own; first if it is alone, so that it can form one.
   */
  private List<String> seedsFor(String name, boolean firstStart) {
    List<String> all = declared.values().stream().map(ProcessNode::address).toList();
    if (firstStart) {
      return all;
    }
    String self = declared(name).address();
    var seeds = new ArrayList<>(all);
    seeds.remove(self);
    seeds.add(runningNodes().isEmpty() ? 0 : seeds.size(), self);
    return seeds;
  }

  private ProcessNode declared(String name) {
    ProcessNode node = declared.get(name);
    if (node == null) {
      throw new IllegalArgumentException("node " + name + " is not declared; declared: " + declared.keySet());
    }
    return node;
  }

  private NodeProcess process(String name) {
    declared(name);
    NodeProcess process = latest.get(name);
    if (process == null) {
      throw new IllegalStateException("node " + name + " was never started");
    }
    return process;
  }

  private NodeProcess running(String name) {
    NodeProcess process = process(name);
    if (!process.isAlive()) {
      throw new IllegalStateException("node " + name + " is not running; running: " + runningNodes());
    }
    return process;
  }

  /** A step that may wait for a process. */
  private interface Waiting {
    void run() throws InterruptedException;
  }

  /** Runs {@code step}; if interrupted, keeps the interrupt for the caller and fails unchecked. */
  private static void interruptibly(Waiting step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
