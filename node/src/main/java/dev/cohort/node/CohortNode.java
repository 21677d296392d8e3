package dev.cohort.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.node.internal.Coordinator;
import dev.cohort.node.internal.HttpApi;
import dev.cohort.node.internal.Members;
import dev.cohort.node.internal.NodeGuardian;
import dev.cohort.node.internal.NodeNameTaken;
import dev.cohort.node.internal.NodeRuntime;
import dev.cohort.node.internal.NodeView;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.node.internal.NodeStorage;
import dev.cohort.quorum.QuorumSettings;
import dev.cohort.quorum.QuorumState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.SortedMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * One running Cohort node: a Pekko cluster member with its coordinator singleton, partition
 * table subscriber, quorum monitor and HTTP API.
 *
 * <p>Start one with {@link #start(Config)}; the configuration is the node's own file (its
 * {@code cohort} and {@code pekko} sections) and is validated as a whole before anything starts.
 */
public final class CohortNode implements AutoCloseable {
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final String SEED_NODES = "pekko.cluster.seed-nodes";

  private final ActorSystem<Void> system;
  private final CohortSettings settings;
  private final NodeName name;
  private final NodeView view;
  private final InetSocketAddress httpAddress;
  private final NodeStorage storage;

  private CohortNode(ActorSystem<Void> system, CohortSettings settings, NodeName name, NodeView view,
      InetSocketAddress httpAddress, NodeStorage storage) {
    this.system = system;
    this.settings = settings;
    this.name = name;
    this.view = view;
    this.httpAddress = httpAddress;
    this.storage = storage;
  }

  /**
   * The full configuration a node runs with: {@code config} over Cohort's Pekko defaults over
   * every module's reference.conf, with system properties on top.
   */
  public static Config loadConfig(Config config) {
    Config pekkoDefaults = ConfigFactory.parseResources(CohortNode.class.getClassLoader(), "cohort-pekko.conf");
    return ConfigFactory.load(config.withFallback(pekkoDefaults));
  }

  /**
   * Validates {@code config} and starts the node; returns once its HTTP API is bound. The node
   * then joins the cluster through Pekko's seed nodes (or a manual join).
   *
   * @throws ConfigurationException if the configuration cannot work, naming the key
   * @throws IllegalStateException if the HTTP API cannot bind (for example, the port is taken)
   */
  public static CohortNode start(Config config) {
    Config full = loadConfig(config);
    CohortSettings settings = CohortSettings.fromConfig(full);
    NodeName name = settings.selfName(full);
    NodeSettings nodeSettings = NodeSettings.fromConfig(full);
    NodeRuntime node = new NodeRuntime(name, settings, QuorumSettings.fromConfig(full, settings), nodeSettings,
        ReplicationSettings.fromConfig(full), TableSettings.fromConfig(full, settings), ClientSettings.fromConfig(full),
        EntitySettings.fromConfig(full));

    List<Address> seeds = seedNodes(full);

    // A node's roles are its roster groups plus its name, so every member can see both. It joins
    // its seeds only once it is fully started (below), so that a refusal cannot overtake the start.
    var roles = new ArrayList<String>();
    settings.nodes().get(name).groups().stream().map(NodeGroup::name).sorted().forEach(roles::add);
    roles.add(Members.nameRole(name));
    StorageSettings storageSettings = StorageSettings.fromConfig(full);
    NodeStorage storage = NodeStorage.open(storageSettings, name);
    Config pekko = ConfigFactory.parseMap(Map.of("pekko.cluster.roles", roles, SEED_NODES, List.of()))
        .withFallback(storage.pekkoSettings())
        .withFallback(full);
    var view = new NodeView();
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(NodeGuardian.create(node, view, storage), nodeSettings.systemName(), pekko);
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    // The storage outlives the actors that write it, whatever stops the node.
    system.getWhenTerminated().thenRun(storage::close);
    system.log().info("{} keeps its partitions {}", name, storage.durable()
        ? "in " + storage.dir() + " (fsync " + storageSettings.fsync() + ")" : "in memory: nothing survives a restart");
    try {
      Cohort.get(system).init(node, view);
      InetSocketAddress http = bindHttp(system, settings, name, view, nodeSettings, Coordinator.singleton(system, node));
      if (!seeds.isEmpty()) {
        Cluster.get(system).manager().tell(new JoinSeedNodes(seeds));
      }
      return new CohortNode(system, settings, name, view, http, storage);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  private static List<Address> seedNodes(Config config) {
    try {
      return config.getStringList(SEED_NODES).stream().map(AddressFromURIString::parse).toList();
    } catch (Exception e) { // Pekko's parser throws MalformedURLException without declaring it
      throw new ConfigurationException(SEED_NODES, "must be a list of addresses such as "
          + "[\"pekko://cohort@127.0.0.1:25521\"]: " + e.getMessage());
    }
  }

  private static InetSocketAddress bindHttp(ActorSystem<Void> system, CohortSettings settings, NodeName name,
      NodeView view, NodeSettings nodeSettings, ActorRef<Coordinator.Command> coordinator) {
    var api = new HttpApi(Cluster.get(system), settings, name, view, coordinator);
    CompletionStage<ServerBinding> binding = Http.get(system)
        .newServerAt(nodeSettings.httpBindAddress(), nodeSettings.httpPort())
        .bind(api.route());
    try {
      ServerBinding bound = binding.toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      bound.addToCoordinatedShutdown(Duration.ofSeconds(3), system);
      return bound.localAddress();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cohort.http: cannot bind the HTTP API to " + nodeSettings.httpBindAddress() + ":" + nodeSettings.httpPort()
              + " (" + cause.getMessage() + "); free the port or set cohort.http.port", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the HTTP API", e);
    }
  }

  /** This node's name. */
  public NodeName name() {
    return name;
  }

  /** The cluster's shape this node runs with. */
  public CohortSettings settings() {
    return settings;
  }

  /** The node's ActorSystem. */
  public ActorSystem<Void> system() {
    return system;
  }

  /** The latest partition table this node has received (version 0 before the first). */
  public PartitionTable table() {
    return view.table();
  }

  /** This node's view of the quorum of every node group. */
  public SortedMap<NodeGroup, QuorumState> quorum() {
    return view.quorum();
  }

  /** The nodes this node sees as Up members and can reach. */
  public Set<NodeName> upNodes() {
    var state = Cluster.get(system).state();
    var up = new TreeSet<>(Members.upNames(state.getMembers()));
    up.retainAll(Members.reachableNames(state.getMembers(), state.getUnreachable()));
    return Collections.unmodifiableSet(up);
  }

  /**
   * The names held by members this node knows of: every member that is not down, exiting or
   * removed, reachable or not. A name in this set cannot be taken by a newcomer.
   */
  public Set<NodeName> memberNames() {
    return Collections.unmodifiableSet(new TreeSet<>(Members.byName(Cluster.get(system).state().getMembers()).keySet()));
  }

  /** This node's Pekko cluster address, for joining other nodes to it. */
  public Address address() {
    return Cluster.get(system).selfMember().address();
  }

  /** Where the HTTP API listens. */
  public InetSocketAddress httpAddress() {
    return httpAddress;
  }

  /** Completes when the node has stopped, for whatever reason. */
  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /**
   * Why the node refused to stay in the cluster, if it did: a person-readable sentence, for
   * example that its name is held by another live member.
   */
  public Optional<String> refusal() {
    return CoordinatedShutdown.get(system).getShutdownReason()
        .filter(NodeNameTaken.class::isInstance)
        .map(reason -> ((NodeNameTaken) reason).describe());
  }

  /**
   * Leaves the cluster gracefully and stops the node; returns when it has stopped and its storage is
   * closed, so that another node may open the same directory.
   */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      storage.close();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("node " + name + " did not stop within " + STOP_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
