package dev.cohort.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import dev.cohort.api.NodeName;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.partitioning.PlacementPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

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
 * declared node is started by {@link Builder#start()}. Closing the cluster stops every node it
 * started, whatever the test did.
 */
public final class TestCluster implements AutoCloseable {
  /** How long the await methods wait unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Map<String, Config> nodeConfigs;
  private final Map<String, CohortNode> running = new LinkedHashMap<>();
  private final List<CohortNode> extras = new ArrayList<>();

  private TestCluster(Map<String, Config> nodeConfigs) {
    this.nodeConfigs = nodeConfigs;
  }

  /** A builder of a test cluster. */
  public static Builder builder() {
    return new Builder();
  }

  /** Declares the nodes and shared configuration of a test cluster. */
  public static final class Builder {
    private final Map<String, String> rosterEntries = new LinkedHashMap<>();
    private final Map<String, List<String>> nodeOverrides = new LinkedHashMap<>();
    private final List<String> shared = new ArrayList<>();

    private Builder() {}

    /** Declares a node in {@code groups}. */
    public Builder node(String name, String... groups) {
      return declare(name, Optional.empty(), groups);
    }

    /** Declares a node in {@code groups} that runs in {@code zone}. */
    public Builder nodeInZone(String name, String zone, String... groups) {
      return declare(name, Optional.of(zone), groups);
    }

    /** HOCON every node runs with (clusters, partition groups, quorum, Pekko settings...). */
    public Builder config(String hocon) {
      shared.add(hocon);
      return this;
    }

    /** HOCON only node {@code name} runs with, over the shared configuration. */
    public Builder nodeConfig(String name, String hocon) {
      if (!rosterEntries.containsKey(name)) {
        throw new IllegalArgumentException("declare node " + name + " before configuring it");
      }
      nodeOverrides.get(name).add(hocon);
      return this;
    }

    /** Starts every declared node, in declaration order, and returns the cluster. */
    public TestCluster start() {
      if (rosterEntries.isEmpty()) {
        throw new IllegalStateException("a test cluster needs at least one node");
      }
      String roster = rosterEntries.entrySet().stream()
          .map(e -> ConfigUtil.joinPath("cohort", "nodes", e.getKey()) + " " + e.getValue())
          .collect(Collectors.joining("\n"));
      Config base = parseAll(shared)
          .withFallback(ConfigFactory.parseString(roster))
          .withFallback(ConfigFactory.parseResources(TestCluster.class.getClassLoader(), "cohort-test.conf"));
      var configs = new LinkedHashMap<String, Config>();
      nodeOverrides.forEach((name, overrides) -> configs.put(name, parseAll(overrides)
          .withFallback(ConfigFactory.parseString("cohort.node.name = " + name
              + "\npekko.remote.artery.canonical.port = 0\npekko.cluster.seed-nodes = []"))
          .withFallback(base)));
      var cluster = new TestCluster(configs);
      try {
        configs.keySet().forEach(cluster::start);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }

    private Builder declare(String name, Optional<String> zone, String... groups) {
      NodeName.of(name);
      if (rosterEntries.containsKey(name)) {
        throw new IllegalArgumentException("node " + name + " is declared twice");
      }
      String groupList = java.util.Arrays.stream(groups).map(ConfigUtil::quoteString).collect(Collectors.joining(", "));
      rosterEntries.put(name, "{ groups = [" + groupList + "]"
          + zone.map(z -> ", zone = " + ConfigUtil.quoteString(z)).orElse("") + " }");
      nodeOverrides.put(name, new ArrayList<>());
      return this;
    }

    private static Config parseAll(List<String> hocon) {
      Config config = ConfigFactory.empty();
      for (int i = hocon.size() - 1; i >= 0; i--) {
        config = ConfigFactory.parseString(hocon.get(i)).withFallback(config);
      }
      return config;
    }
  }

  /**
   * Starts declared node {@code name} and joins it to the running nodes (or, if none runs, lets
   * it form the cluster).
   *
   * @throws IllegalStateException if it is already running
   */
  public CohortNode start(String name) {
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
  public CohortNode startInstance(String name) {
    CohortNode node = startAndJoin(name);
    extras.add(node);
    return node;
  }

  private CohortNode startAndJoin(String name) {
    Config config = configOf(name);
    List<Address> seeds = running.values().stream().map(CohortNode::address).toList();
    CohortNode node = CohortNode.start(config);
    var manager = Cluster.get(node.system()).manager();
    if (seeds.isEmpty()) {
      manager.tell(Join.create(node.address()));
    } else {
      manager.tell(new JoinSeedNodes(seeds));
    }
    return node;
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
  public CohortNode node(String name) {
    CohortNode node = running.get(name);
    if (node == null) {
      throw new IllegalArgumentException("node " + name + " is not running; running: " + running.keySet());
    }
    return node;
  }

  /** The running nodes, in start order. */
  public Collection<CohortNode> runningNodes() {
    return List.copyOf(running.values());
  }

  /** The names of the running nodes. */
  public Set<NodeName> runningNames() {
    return running.keySet().stream().map(NodeName::of).collect(Collectors.toCollection(TreeSet::new));
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

  private PartitionTable agreedTable() {
    Set<NodeName> names = runningNames();
    PartitionTable agreed = null;
    for (CohortNode node : running.values()) {
      PartitionTable table = node.table();
      if (!node.upNodes().equals(names) || table.version() == 0 || (agreed != null && agreed.version() != table.version())) {
        return null;
      }
      agreed = table;
    }
    CohortNode any = running.values().iterator().next();
    boolean settled = PlacementPlanner.plan(any.settings(), names, agreed).table().version() == agreed.version();
    return settled ? agreed : null;
  }

  /** Stops running node {@code name} gracefully: it leaves the cluster, then its ActorSystem stops. */
  public void stop(String name) {
    CohortNode node = node(name);
    running.remove(name);
    node.close();
  }

  /** Stops every node this cluster started. */
  @Override
  public void close() {
    var all = new ArrayList<CohortNode>(extras);
    all.addAll(running.values());
    extras.clear();
    running.clear();
    all.forEach(node -> node.system().terminate());
    for (CohortNode node : all) {
      node.close();
    }
  }
}
