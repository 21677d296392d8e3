package dev.cohort.node.internal.client;

import dev.cohort.api.KeyValueTable;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.api.NodeSpec;
import dev.cohort.node.internal.NodeRuntime;
import dev.cohort.node.internal.NodeView;
import dev.cohort.node.internal.partition.PeerHosts;
import dev.cohort.node.kv.RequestId;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * A node's key-value client: one {@link Router} shared by the handles of every declared table, and
 * the request ids of this node incarnation. Built once per node by {@link dev.cohort.node.Cohort}.
 */
public final class KvClient {
  private final NodeRuntime runtime;
  private final KeyPartitions partitions;
  private final Router router;
  private final long clientId;
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentMap<String, KeyValueTable> handles = new ConcurrentHashMap<>();
  private final JournalClient journal;

  private KvClient(ActorSystem<?> system, NodeRuntime runtime, KeyPartitions partitions, Router router, long clientId) {
    this.runtime = runtime;
    this.partitions = partitions;
    this.router = router;
    this.clientId = clientId;
    // Journal writes share the router and this incarnation's request ids with the tables' writes.
    this.journal = new JournalClient(system, runtime.self(), partitions, router, this::nextRequestId,
        new PeerHosts(system), runtime.client().requestTimeout());
  }

  /** The client of the node {@code runtime} describes, running on {@code system} and reading {@code view}. */
  public static KvClient create(ActorSystem<?> system, NodeRuntime runtime, NodeView view) {
    var partitions = new KeyPartitions(runtime.cohort(), runtime.tables(), system.dynamicAccess().classLoader());
    var replies = new Replies(runtime.tables().names(), runtime.tables().maxValueBytes(),
        node -> firstGroupOf(runtime, node));
    Delayer delayer = (delay, task) -> system.scheduler().scheduleOnce(delay, task, system.executionContext());
    ActorRef<ClientGateway.Command> gateway = system.systemActorOf(
        ClientGateway.create(runtime.replication().maxBatchBytes(), runtime.client().timeoutCheckInterval(),
            System::nanoTime),
        "cohort-client-gateway", Props.empty());
    var transport = new GatewayTransport(new PeerHosts(system), gateway, System::nanoTime);
    var router = new Router(runtime.self(), view::table, transport, delayer, System::nanoTime, runtime.client(), replies);
    // Unique per incarnation: a restarted node must not reuse the ids its previous life's requests
    // are remembered under, or a new write could be answered with an old result.
    return new KvClient(system, runtime, partitions, router, new SecureRandom().nextLong());
  }

  /** The same node's client for the replicated journal plugins, sharing this client's router and request ids. */
  public JournalClient journal() {
    return journal;
  }

  /**
   * The handle of table {@code name}.
   *
   * @throws dev.cohort.api.CohortException.UnknownTable if it is not declared
   */
  public KeyValueTable table(String name) {
    partitions.groupOf(name); // refuses an unknown name before anything is cached
    return handles.computeIfAbsent(name, n -> new RoutedTable(n, partitions, runtime.tables().maxValueBytes(),
        this::nextRequestId, router));
  }

  /** The declared tables with their partition groups, by name. */
  public SortedMap<String, String> tables() {
    return runtime.tables().partitionGroupOf();
  }

  /** The declared partition groups' names. */
  public Set<String> partitionGroups() {
    return runtime.cohort().partitionGroups().keySet();
  }

  /** Requests in flight on this node now. */
  public int inFlight() {
    return router.inFlight();
  }

  private RequestId nextRequestId() {
    return new RequestId(clientId, sequence.getAndIncrement());
  }

  private static Optional<NodeGroup> firstGroupOf(NodeRuntime runtime, NodeName node) {
    NodeSpec spec = runtime.cohort().nodes().get(node);
    return spec == null ? Optional.empty() : spec.groups().stream().sorted().findFirst();
  }
}
