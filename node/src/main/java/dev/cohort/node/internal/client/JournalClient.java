package dev.cohort.node.internal.client;

import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.node.internal.partition.PartitionHost;
import dev.cohort.node.internal.partition.PartitionProtocol.JournalAnswer;
import dev.cohort.node.internal.partition.PartitionProtocol.JournalQuery;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PeerHosts;
import dev.cohort.node.kv.JournalCommand;
import dev.cohort.node.kv.RequestId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * What the replicated journal and snapshot-store plugins need of a node: journal writes go through
 * the {@link Router} to the active of the persistence id's partition, like key-value writes; queries
 * go to this node's own copy, which answers only if it is that active.
 */
public final class JournalClient {
  private final ActorSystem<?> system;
  private final NodeName self;
  private final KeyPartitions partitions;
  private final Router router;
  private final Supplier<RequestId> requestIds;
  private final PeerHosts hosts;
  private final Duration queryTimeout;
  private final ConcurrentMap<String, String> groupOfEntityType = new ConcurrentHashMap<>();

  JournalClient(ActorSystem<?> system, NodeName self, KeyPartitions partitions, Router router,
      Supplier<RequestId> requestIds, PeerHosts hosts, Duration queryTimeout) {
    this.system = system;
    this.self = self;
    this.partitions = partitions;
    this.router = router;
    this.requestIds = requestIds;
    this.hosts = hosts;
    this.queryTimeout = queryTimeout;
  }

  /**
   * The partition of {@code key} (an entity id) in partition group {@code group}.
   *
   * @throws IllegalArgumentException if there is no such group, or its mapper cannot map a string key
   */
  public PartitionId partitionOf(String group, String key) {
    return partitions.partitionOfKey(group, key);
  }

  /**
   * Records that entities of {@code entityType} live on partition group {@code group}, so that the
   * journal keeps their events on the same partitions as their shards.
   *
   * @throws IllegalStateException if the type is already registered with another group
   */
  public void registerEntityType(String entityType, String group) {
    String earlier = groupOfEntityType.putIfAbsent(entityType, group);
    if (earlier != null && !earlier.equals(group)) {
      throw new IllegalStateException("entity type " + entityType + " is already registered with partition group "
          + earlier + ", not " + group);
    }
  }

  /** The partition group of entities of {@code entityType}, or {@code otherwise} if the type is not registered. */
  public String groupOfEntityType(String entityType, String otherwise) {
    return groupOfEntityType.getOrDefault(entityType, otherwise);
  }

  /**
   * Sequences {@code command}, made with a fresh request id, in {@code partition}'s log; the stage
   * completes once it is committed and applied, with the state machine's answer, or fails with the
   * {@link dev.cohort.api.CohortException} that stopped it (a {@code VersionConflict} if another writer
   * got there first).
   */
  public CompletionStage<Reply> write(PartitionId partition, Function<RequestId, JournalCommand> command) {
    return router.submit(Request.Write.of(partition, command.apply(requestIds.get())));
  }

  /**
   * Asks this node's copy of {@code partition}; the stage fails with an {@link IllegalStateException}
   * saying why if the copy here is not the active or cannot confirm it.
   */
  public CompletionStage<JournalAnswer> query(PartitionId partition, String persistenceId, long fromSeqNr, long toSeqNr,
      int maxEvents, JournalCommand.SnapshotCriteria snapshot) {
    ActorRef<PartitionHost.Command> host = hosts.hostOf(self).orElse(null);
    if (host == null) {
      return CompletableFuture.failedStage(new IllegalStateException(self + " is not a cluster member yet"));
    }
    CompletionStage<JournalAnswer> answer = AskPattern.ask(host,
        replyTo -> new JournalQuery(partition, persistenceId, fromSeqNr, toSeqNr, maxEvents, snapshot, replyTo),
        queryTimeout, system.scheduler());
    return answer.thenCompose(a -> a.refusal() == null ? CompletableFuture.completedFuture(a)
        : CompletableFuture.failedFuture(new IllegalStateException(
            "the journal of " + persistenceId + " on " + partition + " cannot be read on " + self + ": " + a.refusal())));
  }
}
