package dev.cohort.testkit.journal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cohort.api.CohortException;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.KvValue;
import dev.cohort.api.KvWrite;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.entity.ReplicatedEntities;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * {@link RegisterEntity} entities seen as a key-value table (one entity per key), so that the
 * testkit's {@code RegisterWorkload} and its checkers drive them through {@code EntityRef}s from a
 * node. Each call is one ask: no retry, so a timeout leaves the outcome unknown.
 */
final class EntityRegisterTable implements KeyValueTable {
  private final ReplicatedEntities<RegisterEntity.Command> entities;
  private final Duration timeout;

  EntityRegisterTable(ReplicatedEntities<RegisterEntity.Command> entities, Duration timeout) {
    this.entities = entities;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return entities.typeKey().name();
  }

  @Override
  public String partitionGroup() {
    return entities.partitionGroup();
  }

  @Override
  public int maxValueBytes() {
    return Integer.MAX_VALUE;
  }

  @Override
  public CompletionStage<KvWrite> put(String key, byte[] value) {
    return ask(key, replyTo -> new RegisterEntity.Put(new String(value, UTF_8), replyTo)).thenApply(r -> written(key, r));
  }

  @Override
  public CompletionStage<KvWrite> compareAndSet(String key, long expectedVersion, byte[] value) {
    return ask(key, replyTo -> new RegisterEntity.Cas(expectedVersion, new String(value, UTF_8), replyTo))
        .thenCompose(reply -> reply.conflict()
            ? CompletableFuture.failedStage(new CohortException.VersionConflict(expectedVersion,
                reply.value() == null ? Optional.empty() : Optional.of(reply.version())))
            : CompletableFuture.completedStage(written(key, reply)));
  }

  @Override
  public CompletionStage<KvWrite> delete(String key) {
    return ask(key, RegisterEntity.Delete::new).thenApply(r -> written(key, r));
  }

  @Override
  public CompletionStage<Optional<KvValue>> get(String key, ReadConsistency consistency) {
    return ask(key, RegisterEntity.Get::new).thenApply(reply -> reply.value() == null ? Optional.empty()
        : Optional.of(new KvValue(reply.value().getBytes(UTF_8), reply.version(), reply.version())));
  }

  private CompletionStage<RegisterEntity.Reply> ask(String key,
      Function<ActorRef<RegisterEntity.Reply>, RegisterEntity.Command> command) {
    return entities.entityRefFor(key).ask(command::apply, timeout);
  }

  private KvWrite written(String key, RegisterEntity.Reply reply) {
    return new KvWrite(reply.version(), reply.version(), entities.partitionOf(key));
  }
}
