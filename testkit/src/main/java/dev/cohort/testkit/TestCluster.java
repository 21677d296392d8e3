package dev.cohort.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.NodeName;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.partitioning.PlacementPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cohort nodes as ActorSystems in one JVM on loopback, each on free ports, with the timings of
 * {@code cohort-test.conf} so that failures are acted on within seconds.
 *
 * <pre>{@code
 * try (TestCluster cluster = TestCluster.builder()
 *     .node("node-a", "ledger").node("node-b", "ledger").node("node-c", "ledger")
 *     .config("cohort.clusters.main.node-groups = [ledger]\n"
 *         + "cohort.partition-groups.accounts { cluster = main, partitions = 12, replicas = 1 }")
 *     .start()) {
 *   PartitionTable table = cluster.awaitTableAgreement();
 *   ...
 * }
 * }</pre>
 *
 * <p>The roster ({@code cohort.nodes}) is made from the nodes declared on the builder; every
 * declared node is started by {@link Builder#start()}. Faults ({@link NodeFaults},
 * {@link NetworkFaults}) may be injected from any thread. Closing the cluster stops every node it
 * started, whatever the test did.
 */
public final class TestCluster implements NodeFaults, NetworkFaults, AutoCloseable {
  /** How long the await methods wait unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);

  private final Map<String, Config> nodeConfigs;
  private final ErrorLog errorLog = ErrorLog.attach();
  private final Map<String, CohortNode> running = new LinkedHashMap<>();
  private final Consumer<CohortNode> onStart;
  private final Map<String, Pause> paused = new HashMap<>();
  private final List<CohortNode> extras = new ArrayList<>();
  /** Crashed nodes still shutting down in the background; close() waits for them. */
  private final List<CohortNode> crashed = new ArrayList<>();
  /** The formation each node started in, by identity: see {@link #formationOf}. */
  private final Map<CohortNode, Integer> formationByNode = new IdentityHashMap<>();
  /** How many times a node found no running node to join and formed the cluster. */
  private int formations;

  private TestCluster(Map<String, Config> nodeConfigs, Consumer<CohortNode> onStart) {
    this.nodeConfigs = nodeConfigs;
    this.onStart = onStart;
  }

  /** A builder of a test cluster. */
  public static Builder builder() {
    return new Builder();
  }

  /** Declares the nodes and shared configuration of a test cluster. */
  public static final class Builder extends ClusterBuilder<Builder> {
    private Consumer<CohortNode> onStart = node -> {};

    private Builder() {}

    /**
     * Runs {@code hook} on every node the cluster starts, restarts included, before it joins: an
     * application's own start-up, such as registering its entities with {@code Cohort.entities}.
     */
    public Builder onStart(Consumer<CohortNode> hook) {
      onStart = Objects.requireNonNull(hook, "hook");
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** Starts every declared node, in declaration order, and returns the cluster. */
    public TestCluster start() {
      return startOnly(names());
    }

    /**
     * Starts only the declared nodes {@code first}, in declaration order; the others are in the
     * roster and can join later with {@link TestCluster#start(String)}.
     *
     * @throws IllegalArgumentException if one of {@code first} is not declared
     */
    public TestCluster startOnly(Collection<String> first) {
      if (!names().containsAll(first)) {
        throw new IllegalArgumentException("nodes " + first + " are not all declared: " + names());
      }
      Config base = base(ConfigFactory.empty());
      var configs = new LinkedHashMap<String, Config>();
      for (String name : names()) {
        configs.put(name, overrides(name)
            .withFallback(ConfigFactory.parseString("cohort.node.name = " + name
                + "\npekko.remote.artery.canonical.port = 0\npekko.cluster.seed-nodes = []"))
            .withFallback(base));
      }
      var cluster = new TestCluster(configs, onStart);
      try {
        configs.keySet().stream().filter(first::contains).forEach(cluster::start);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }
  }

  /**
   * Starts declared node {@code name} and joins it to the running nodes (or, if none runs, lets
   * it form the cluster).
   *
   * @throws IllegalStateException if it is already running
   */
  public synchronized CohortNode start(String name) {
    if (running.containsKey(name)) {
      throw new IllegalStateException("node " + name + " is already running");
    }
    CohortNode node = startAndJoin(name);
    running.put(name, node);
    return node;
  }

  /**
   * Starts one more instance of declared node {@code name} and joins it to the running nodes, even
   * if {@code name} is running: for tests of how the cluster treats a newcomer, such as one whose
   * name is taken. The cluster stops it on close.
   */
  public synchronized CohortNode startInstance(String name) {
    CohortNode node = startAndJoin(name);
    extras.add(node);
    return node;
  }

  private CohortNode startAndJoin(String name) {
    Config config = configOf(name);
    List<Address> seeds = running.values().stream().map(CohortNode::address).toList();
    CohortNode node = CohortNode.start(config);
    onStart.accept(node);
    var manager = Cluster.get(node.system()).manager();
    if (seeds.isEmpty()) {
      formations++;
      if (formations > 1) {
        LOG.warn("No node is running: {} forms the cluster anew (formation {}); nothing of the earlier one survives",
            name, formations);
      }
      manager.tell(Join.create(node.address()));
    } else {
      manager.tell(new JoinSeedNodes(seeds));
    }
    formationByNode.put(node, formations);
    return node;
  }

  /**
   * Which formation of the cluster {@code node} started in: 1 for the cluster the builder started;
   * one more each time every node was down (crashed, or downed by the Split Brain Resolver) and a
   * started node had to form a new cluster, which shares nothing, not even table versions, with
   * the earlier one.
   *
   * @throws IllegalArgumentException if this cluster did not start {@code node}
   */
  public synchronized int formationOf(CohortNode node) {
    Integer formation = formationByNode.get(node);
    if (formation == null) {
      throw new IllegalArgumentException("node " + node.name() + " was not started by this cluster");
    }
    return formation;
  }

  /** How many times the cluster was formed: 1, plus one for every time it was formed anew after all nodes were down. */
  public synchronized int formations() {
    return formations;
  }

  /**
   * The configuration declared node {@code name} runs with (shared settings, roster, its own
   * overrides and the test timings), for starting it elsewhere, such as in a JVM of its own.
   */
  public Config configOf(String name) {
    Config config = nodeConfigs.get(name);
    if (config == null) {
      throw new IllegalArgumentException("node " + name + " is not declared; declared: " + nodeConfigs.keySet());
    }
    return config;
  }

  /** Running node {@code name}. */
  public synchronized CohortNode node(String name) {
    forgetStoppedNodes();
    CohortNode node = running.get(name);
    if (node == null) {
      throw new IllegalArgumentException("node " + name + " is not running; running: " + running.keySet());
    }
    return node;
  }

  /** The running nodes, in start order. */
  public synchronized Collection<CohortNode> nodes() {
    forgetStoppedNodes();
    return List.copyOf(running.values());
  }

  /** The names of the running nodes. */
  public synchronized Set<NodeName> runningNames() {
    return running.keySet().stream().map(NodeName::of).collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public Set<String> declaredNodes() {
    return Collections.unmodifiableSet(new TreeSet<>(nodeConfigs.keySet()));
  }

  @Override
  public synchronized Set<String> runningNodes() {
    forgetStoppedNodes();
    return Collections.unmodifiableSet(new TreeSet<>(running.keySet()));
  }

  /** The running nodes that are paused. */
  public synchronized Set<String> pausedNodes() {
    return Collections.unmodifiableSet(new TreeSet<>(paused.keySet()));
  }

  // --- faults ---------------------------------------------------------------------------------

  /**
   * Crashes running node {@code name}: every link to and from it is cut at the transport first, so
   * that it vanishes without a goodbye (its graceful leave, which stopping an ActorSystem attempts,
   * never reaches anyone); then its ActorSystem stops in the background. The others see it become
   * unreachable and the Split Brain Resolver downs it.
   */
  @Override
  public synchronized void crash(String name) {
    CohortNode node = node(name);
    TransportLinks links = new TransportLinks(node.system());
    for (CohortNode other : running.values()) {
      if (other != node) {
        links.blackhole(other.address(), true);
        new TransportLinks(other.system()).blackhole(node.address(), true);
      }
    }
    Pause pause = paused.remove(name);
    if (pause != null) {
      pause.release();
    }
    running.remove(name);
    crashed.add(node);
    node.system().terminate();
  }

  /**
   * Starts crashed node {@code name} again, as a new incarnation with the same name, once every
   * running node has stopped counting the old one as a member (the Split Brain Resolver downed
   * it); joins it to the running nodes.
   *
   * @throws IllegalStateException if {@code name} is running
   */
  @Override
  public void restart(String name) {
    if (runningNodes().contains(name)) {
      throw new IllegalStateException("node " + name + " is running; crash or stop it before restarting it");
    }
    NodeName nodeName = NodeName.of(name);
    Await.until("the running nodes to let go of " + name + "'s old incarnation", DEFAULT_TIMEOUT,
        () -> nodes().stream().noneMatch(node -> node.memberNames().contains(nodeName)));
    start(name);
  }

  /**
   * Pauses running node {@code name}: every thread of its actors is held, as under a long GC pause,
   * so it neither answers nor sends heartbeats until {@link #resume}.
   */
  @Override
  public synchronized void pause(String name) {
    CohortNode node = node(name);
    if (paused.containsKey(name)) {
      throw new IllegalStateException("node " + name + " is already paused");
    }
    paused.put(name, Pause.of(node.system()));
  }

  @Override
  public synchronized void resume(String name) {
    Pause pause = paused.remove(name);
    if (pause == null) {
      throw new IllegalStateException("node " + name + " is not paused; paused: " + paused.keySet());
    }
    pause.release();
  }

  /** Cuts the links between two sets of running nodes at the transport (Artery's blackhole). */
  @Override
  public synchronized void cut(Set<String> side, Set<String> otherSide, Direction direction) {
    if (!Collections.disjoint(side, otherSide)) {
      throw new IllegalArgumentException("the two sides of a cut overlap: " + side + " and " + otherSide);
    }
    boolean bothWays = direction == Direction.BOTH_WAYS;
    for (String from : side) {
      CohortNode a = node(from);
      for (String to : otherSide) {
        CohortNode b = node(to);
        new TransportLinks(a.system()).blackhole(b.address(), bothWays);
        if (bothWays) {
          new TransportLinks(b.system()).blackhole(a.address(), true);
        }
      }
    }
  }

  /** Restores every link between running nodes (links to crashed incarnations stay cut). */
  @Override
  public synchronized void healAll() {
    for (CohortNode node : running.values()) {
      TransportLinks links = new TransportLinks(node.system());
      for (CohortNode other : running.values()) {
        if (other != node) {
          links.restore(other.address());
        }
      }
    }
  }

  /**
   * Waits until every running node sees exactly the running nodes Up and reachable, and all hold
   * the same partition table, one the coordinator would not change any more (it is settled for
   * the running nodes); returns it.
   */
  public PartitionTable awaitTableAgreement() {
    return awaitTableAgreement(DEFAULT_TIMEOUT);
  }

  /** {@link #awaitTableAgreement()} with a timeout. */
  public PartitionTable awaitTableAgreement(Duration timeout) {
    return Await.until("the running nodes " + running.keySet() + " to agree on one settled partition table",
        timeout, this::agreedTable);
  }

  private synchronized PartitionTable agreedTable() {
    forgetStoppedNodes();
    Set<NodeName> names = runningNames();
    if (!paused.isEmpty()) {
      throw new IllegalStateException("nodes " + paused.keySet() + " are paused: resume them before awaiting agreement");
    }
    CohortNode any = running.values().iterator().next();
    // With no partition groups the table stays empty at version 0; otherwise wait for a first one.
    long firstVersion = any.settings().partitionGroups().isEmpty() ? 0 : 1;
    PartitionTable agreed = null;
    for (CohortNode node : running.values()) {
      PartitionTable table = node.table();
      if (!node.upNodes().equals(names) || table.version() < firstVersion
          || (agreed != null && agreed.version() != table.version())) {
        // Thrown, not returned as null, so that a timeout says what the nodes last disagreed on.
        throw new IllegalStateException("not agreed yet: " + views());
      }
      agreed = table;
    }
    // Settled: every copy caught up, and planning again would change nothing.
    if (!agreed.caughtUp()) {
      throw new IllegalStateException("table v" + agreed.version() + " agreed, copies still catching up: " + agreed);
    }
    if (PlacementPlanner.plan(any.settings(), names, agreed).table().version() != agreed.version()) {
      throw new IllegalStateException("table v" + agreed.version() + " agreed, but planning would change it: " + agreed);
    }
    return agreed;
  }

  /** What each running node sees: its up members and its table's version. */
  private String views() {
    var views = new StringBuilder();
    running.forEach((name, node) -> views.append(name).append(" sees ").append(node.upNodes())
        .append(" at table v").append(node.table().version()).append("; "));
    return views.toString();
  }

  @Override
  public void awaitAgreement(Duration timeout) {
    awaitTableAgreement(timeout);
  }

  /**
   * A node that stopped by itself (downed by the Split Brain Resolver on the minority side of a
   * cut, say) counts as crashed from then on: it can be restarted.
   */
  private synchronized void forgetStoppedNodes() {
    running.entrySet().removeIf(entry -> {
      CohortNode node = entry.getValue();
      if (!node.whenTerminated().toCompletableFuture().isDone()) {
        return false;
      }
      Pause pause = paused.remove(entry.getKey());
      if (pause != null) {
        pause.release();
      }
      crashed.add(node);
      return true;
    });
  }

  /** Stops running node {@code name} gracefully: it leaves the cluster, then its ActorSystem stops. */
  public synchronized void stop(String name) {
    CohortNode node = node(name);
    running.remove(name);
    node.close();
  }

  /**
   * Every ERROR logged in this JVM since the cluster started, by Cohort, Pekko or anything else:
   * a test asserts it is empty, or holds only what it provoked.
   */
  public List<String> loggedErrors() {
    return errorLog.errors();
  }

  /** Stops every node this cluster started, whatever state the test left them in. */
  @Override
  public synchronized void close() {
    paused.values().forEach(Pause::release);
    paused.clear();
    var all = new ArrayList<CohortNode>(extras);
    all.addAll(running.values());
    all.addAll(crashed);
    extras.clear();
    running.clear();
    crashed.clear();
    all.forEach(node -> node.system().terminate());
    try {
      for (CohortNode node : all) {
        node.close();
      }
    } finally {
      errorLog.detach();
    }
  }
}
