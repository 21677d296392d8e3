package dev.cohort.node.entity;

import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.node.internal.Members;
import dev.cohort.partitioning.PartitionTable;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.cluster.typed.Cluster;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * Cluster Sharding's allocation of replicated entities: shard {@code i} is partition {@code i} of
 * the group, and lives on that partition's active node, as the partition table names it. A shard
 * whose active has no region yet (the table is about to change after a crash) waits for one up to
 * {@code allocationWait}, then goes to the requesting region; a rebalance moves every shard that is
 * not on its partition's active back there, so the shards follow the table when it changes.
 */
final class FollowTheTable extends ShardCoordinator.AbstractShardAllocationStrategy {
  private final ActorSystem<?> system;
  private final String group;
  private final Supplier<PartitionTable> table;
  private final Duration allocationWait;
  private final Duration retryInterval;

  FollowTheTable(ActorSystem<?> system, String group, Supplier<PartitionTable> table, Duration allocationWait,
      Duration retryInterval) {
    this.system = system;
    this.group = group;
    this.table = table;
    this.allocationWait = allocationWait;
    this.retryInterval = retryInterval;
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
    var allocated = new CompletableFuture<ActorRef>();
    allocate(requester, shardId, currentShardAllocations.keySet(), System.nanoTime() + allocationWait.toNanos(),
        allocated);
    return FutureConverters.asScala(allocated);
  }

  private void allocate(ActorRef requester, String shardId, Set<ActorRef> regions, long deadline,
      CompletableFuture<ActorRef> allocated) {
    Optional<ActorRef> onActive = activeOf(shardId).flatMap(active -> regionOf(active, regions));
    if (onActive.isPresent()) {
      allocated.complete(onActive.get());
    } else if (System.nanoTime() >= deadline) {
      allocated.complete(requester); // a later rebalance moves it to the active
    } else {
      system.scheduler().scheduleOnce(retryInterval, () -> allocate(requester, shardId, regions, deadline, allocated),
          system.executionContext());
    }
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
      Set<String> rebalanceInProgress) {
    Set<String> misplaced = new HashSet<>();
    currentShardAllocations.forEach((region, shards) -> {
      Optional<NodeName> host = nodeOf(region);
      for (String shard : CollectionConverters.asJava(shards)) {
        Optional<NodeName> active = activeOf(shard);
        boolean elsewhere = active.isPresent() && !active.equals(host)
            && regionOf(active.get(), currentShardAllocations.keySet()).isPresent();
        if (elsewhere && !rebalanceInProgress.contains(shard)) {
          misplaced.add(shard);
        }
      }
    });
    return FutureConverters.asScala(CompletableFuture.completedFuture(misplaced));
  }

  private Optional<NodeName> activeOf(String shardId) {
    int index;
    try {
      index = Integer.parseInt(shardId);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return table.get().entry(new PartitionId(group, index)).flatMap(entry -> entry.active());
  }

  private Optional<ActorRef> regionOf(NodeName node, Set<ActorRef> regions) {
    return regions.stream().filter(region -> nodeOf(region).equals(Optional.of(node))).findFirst();
  }

  /** The node a region runs on: a local region's path has no host, so it is this node. */
  private Optional<NodeName> nodeOf(ActorRef region) {
    Address address = region.path().address().hasLocalScope()
        ? Cluster.get(system).selfMember().address() : region.path().address();
    for (Member member : Cluster.get(system).state().getMembers()) {
      if (member.address().equals(address)) {
        return Members.nameOf(member);
      }
    }
    return Optional.empty();
  }
}
