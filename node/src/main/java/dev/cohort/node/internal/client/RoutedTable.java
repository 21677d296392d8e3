package dev.cohort.node.internal.client;

import dev.cohort.api.CohortException;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.KvValue;
import dev.cohort.api.KvWrite;
import dev.cohort.api.PartitionId;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.RequestId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** A {@link KeyValueTable} whose calls go through the node's {@link Router}. */
final class RoutedTable implements KeyValueTable {
  private final String name;
  private final String group;
  private final int maxValueBytes;
  private final KeyPartitions partitions;
  private final Supplier<RequestId> requestIds;
  private final Router router;

  RoutedTable(String name, KeyPartitions partitions, int maxValueBytes, Supplier<RequestId> requestIds, Router router) {
    this.name = name;
    this.group = partitions.groupOf(name);
    this.maxValueBytes = maxValueBytes;
    this.partitions = partitions;
    this.requestIds = requestIds;
    this.router = router;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String partitionGroup() {
    return group;
  }

  @Override
  public int maxValueBytes() {
    return maxValueBytes;
  }

  @Override
  public CompletionStage<KvWrite> put(String key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(key, value, id -> new KvCommand.Put(id, name, key, value));
  }

  @Override
  public CompletionStage<KvWrite> compareAndSet(String key, long expectedVersion, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(key, value, id -> new KvCommand.CompareAndSet(id, name, key, expectedVersion, value));
  }

  @Override
  public CompletionStage<KvWrite> delete(String key) {
    Objects.requireNonNull(key, "key");
    return write(key, null, id -> new KvCommand.Delete(id, name, key));
  }

  @Override
  public CompletionStage<Optional<KvValue>> get(String key, ReadConsistency consistency) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(consistency, "consistency");
    PartitionId partition;
    try {
      partition = partitions.partitionOf(name, key);
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
    return router.submit(new Request.Read(partition, name, key, consistency)).thenApply(RoutedTable::valueOf);
  }

  /** Refuses an oversized value before anything is sent, then routes the command. */
  private CompletionStage<KvWrite> write(String key, byte[] value, Function<RequestId, KvCommand> command) {
    if (value != null && value.length > maxValueBytes) {
      return CompletableFuture.failedStage(new CohortException.TooLarge(value.length, maxValueBytes));
    }
    Request.Write request;
    try {
      request = Request.Write.of(partitions.partitionOf(name, key), command.apply(requestIds.get()));
    } catch (RuntimeException e) { // a key the mapper cannot place, or that is not valid Unicode text
      return CompletableFuture.failedStage(e);
    }
    return router.submit(request).thenApply(reply -> writeOf(reply, request.partition()));
  }

  private static KvWrite writeOf(Reply reply, PartitionId partition) {
    return reply.outcome() == Outcome.DELETED
        ? new KvWrite(0, reply.seq(), partition)
        : new KvWrite(reply.version(), reply.seq(), partition);
  }

  private static Optional<KvValue> valueOf(Reply reply) {
    if (reply.outcome() == Outcome.ABSENT) {
      return Optional.empty();
    }
    // A local answer is the state machine's own array, not a copy off the wire: never hand it out.
    return Optional.of(new KvValue(reply.value().clone(), reply.version(), reply.seq()));
  }

  @Override
  public String toString() {
    return "KeyValueTable[" + name + " on " + group + "]";
  }
}
