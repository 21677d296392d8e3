package dev.cohort.node.entity;

import dev.cohort.api.PartitionId;
import java.util.function.Function;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/** Shard ids of replicated entities: an entity's shard is the index of its partition. */
final class PartitionShards<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {
  private final Function<String, PartitionId> partitionOf;

  PartitionShards(Function<String, PartitionId> partitionOf) {
    this.partitionOf = partitionOf;
  }

  @Override
  public String entityId(ShardingEnvelope<M> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return Integer.toString(partitionOf.apply(entityId).index());
  }

  @Override
  public M unwrapMessage(ShardingEnvelope<M> envelope) {
    return envelope.message();
  }
}
