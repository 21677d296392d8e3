package dev.cohort.node.entity;

import dev.cohort.api.PartitionId;
import dev.cohort.node.EntitySettings;
import dev.cohort.partitioning.PartitionTable;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One kind of replicated entity, registered with {@link dev.cohort.node.Cohort#entities}: an
 * ordinary behavior (an {@code EventSourcedBehavior} on Cohort's journal) that Cluster Sharding runs
 * on the active node of the entity's partition. Send it messages from any member through {@link
 * #entityRefFor}, as in plain Pekko.
 *
 * @param <M> the entity's message type
 */
public final class ReplicatedEntities<M> {
  private final EntityTypeKey<M> typeKey;
  private final String partitionGroup;
  private final Function<String, PartitionId> partitionOf;
  private final ClusterSharding sharding;

  private ReplicatedEntities(EntityTypeKey<M> typeKey, String partitionGroup, Function<String, PartitionId> partitionOf,
      ClusterSharding sharding) {
    this.typeKey = typeKey;
    this.partitionGroup = partitionGroup;
    this.partitionOf = partitionOf;
    this.sharding = sharding;
  }

  /**
   * Registers the entity kind on {@code system}'s Cluster Sharding, with one shard per partition of
   * {@code partitionGroup} placed on the partition's active as {@code table} names it.
   *
   * @param partitionOf the partition of an entity id: the group's mapper
   * @param create the behavior of the entity with the given id
   */
  public static <M> ReplicatedEntities<M> start(ActorSystem<?> system, EntityTypeKey<M> typeKey, String partitionGroup,
      Function<String, PartitionId> partitionOf, Supplier<PartitionTable> table, EntitySettings settings,
      Function<String, Behavior<M>> create) {
    Objects.requireNonNull(create, "create");
    ClusterSharding sharding = ClusterSharding.get(system);
    ClusterShardingSettings defaults = ClusterShardingSettings.create(system);
    var strategy = new FollowTheTable(system, partitionGroup, table, settings.allocationWait(),
        settings.allocationRetryInterval());
    sharding.init(Entity.of(typeKey, context -> create.apply(context.getEntityId()))
        .withMessageExtractor(new PartitionShards<M>(partitionOf))
        .withAllocationStrategy(strategy)
        .withSettings(defaults.withTuningParameters(
            defaults.tuningParameters().withRebalanceInterval(settings.rebalanceInterval()))));
    return new ReplicatedEntities<>(typeKey, partitionGroup, partitionOf, sharding);
  }

  /** A reference to the entity {@code entityId}, usable from any member. */
  public EntityRef<M> entityRefFor(String entityId) {
    return sharding.entityRefFor(typeKey, Objects.requireNonNull(entityId, "entityId"));
  }

  /** The partition the entity {@code entityId} lives on. */
  public PartitionId partitionOf(String entityId) {
    return partitionOf.apply(Objects.requireNonNull(entityId, "entityId"));
  }

  /** The entities' type key. */
  public EntityTypeKey<M> typeKey() {
    return typeKey;
  }

  /** The partition group the entities live on. */
  public String partitionGroup() {
    return partitionGroup;
  }
}
