package dev.cohort.node;

import dev.cohort.api.CohortException;
import dev.cohort.api.KeyValueTable;
import dev.cohort.node.entity.ReplicatedEntities;
import dev.cohort.node.internal.NodeRuntime;
import dev.cohort.node.internal.NodeView;
import dev.cohort.node.internal.client.JournalClient;
import dev.cohort.node.internal.client.KvClient;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Cohort on an actor system: the entry point of the Java API. A node started with {@link
 * CohortNode#start} has it ready; nothing else is needed.
 *
 * <pre>{@code
 * KeyValueTable accounts = Cohort.get(node.system()).keyValueTable("accounts");
 * accounts.put("alice", bytes).thenAccept(write -> ...);
 * }</pre>
 */
public final class Cohort implements Extension {
  private static final Id ID = new Id();

  private final ActorSystem<?> system;
  private volatile KvClient client;
  private volatile NodeRuntime runtime;
  private volatile NodeView view;

  private Cohort(ActorSystem<?> system) {
    this.system = system;
  }

  /** The extension's identity: Pekko keeps one {@link Cohort} per actor system. */
  private static final class Id extends ExtensionId<Cohort> {
    @Override
    public Cohort createExtension(ActorSystem<?> system) {
      return new Cohort(system);
    }
  }

  /** Cohort on {@code system}. */
  public static Cohort get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * Makes Cohort serve calls on {@code system} as the node {@code runtime} describes, reading the
   * node's current view. Called once by {@link CohortNode#start}, before the node serves anything.
   *
   * @throws IllegalStateException if called twice
   */
  public void init(NodeRuntime runtime, NodeView view) {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(view, "view");
    synchronized (this) {
      if (client != null) {
        throw new IllegalStateException("Cohort is already initialized on this actor system");
      }
      this.runtime = runtime;
      this.view = view;
      client = KvClient.create(system, runtime, view);
    }
  }

  /**
   * The key-value table {@code name}, declared under {@code cohort.tables}. Handles are cheap and
   * thread-safe; the same name gives the same handle.
   *
   * @throws CohortException.UnknownTable if no such table is declared
   * @throws IllegalStateException if this actor system is not a started Cohort node
   */
  public KeyValueTable keyValueTable(String name) {
    Objects.requireNonNull(name, "name");
    return client().table(name);
  }

  /**
   * The declared key-value tables, by name, each with the partition group it lives on.
   *
   * @throws IllegalStateException if this actor system is not a started Cohort node
   */
  public SortedMap<String, String> tables() {
    return client().tables();
  }

  /**
   * Registers a kind of replicated entity: Cluster Sharding runs the behavior {@code create} gives
   * for an entity id on the active node of the id's partition in {@code partitionGroup} (the shard is
   * the partition), and moves it when the partition table names another active. Call it on every
   * node that holds partitions of the group, as with {@code ClusterSharding.init}.
   *
   * <p>Make the behavior an {@code EventSourcedBehavior} with {@code
   * PersistenceId.of(typeKey.name(), entityId)} on Cohort's journal ({@code
   * pekko.persistence.journal.plugin = "cohort.journal"}): its events then live in the same
   * partition's log, are confirmed only once replicated, and replay on the new active after a
   * failover.
   *
   * @throws IllegalArgumentException if there is no such partition group
   * @throws IllegalStateException if this actor system is not a started Cohort node, or the type is
   *     already registered with another group
   */
  public <M> ReplicatedEntities<M> entities(String partitionGroup, EntityTypeKey<M> typeKey,
      Function<String, Behavior<M>> create) {
    Objects.requireNonNull(partitionGroup, "partitionGroup");
    Objects.requireNonNull(typeKey, "typeKey");
    KvClient current = client();
    if (!current.partitionGroups().contains(partitionGroup)) {
      throw new IllegalArgumentException("no partition group '" + partitionGroup + "'; declared: "
          + new TreeSet<>(current.partitionGroups()));
    }
    JournalClient journal = current.journal();
    journal.registerEntityType(typeKey.name(), partitionGroup);
    return ReplicatedEntities.start(system, typeKey, partitionGroup, id -> journal.partitionOf(partitionGroup, id),
        view::table, runtime.entities(), create);
  }

  /** The declared partition groups' names. */
  public Set<String> partitionGroups() {
    return client().partitionGroups();
  }

  /**
   * The client Cohort's replicated journal and snapshot-store plugins ({@code cohort.journal}, {@code
   * cohort.snapshot-store}) write and read through; not meant for applications.
   *
   * @throws IllegalStateException if this actor system is not a started Cohort node
   */
  public JournalClient journalClient() {
    return client().journal();
  }

  private KvClient client() {
    KvClient current = client;
    if (current == null) {
      throw new IllegalStateException("Cohort is not running on this actor system: start a node with CohortNode.start");
    }
    return current;
  }
}
