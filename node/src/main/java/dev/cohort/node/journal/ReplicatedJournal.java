package dev.cohort.node.journal;

import com.typesafe.config.Config;
import dev.cohort.api.PartitionId;
import dev.cohort.node.Cohort;
import dev.cohort.node.internal.client.JournalClient;
import dev.cohort.node.internal.partition.PartitionProtocol.JournalAnswer;
import dev.cohort.node.kv.EventStreams;
import dev.cohort.node.kv.JournalCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.PartialFunction;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;

/**
 * Pekko Persistence's journal on Cohort's partition logs. Enable it with {@code
 * pekko.persistence.journal.plugin = "cohort.journal"} on a Cohort node.
 *
 * <ul>
 *   <li>A persistence id lives on the partition its entity id ({@link PersistenceId#extractEntityId})
 *       maps to in the configured partition group, like a key of a table.
 *   <li>A batch of events ({@link AtomicWrite}) is one entry of that partition's log: it is confirmed
 *       only when committed on the in-sync replicas, and it applies only if it continues the
 *       persistence id's sequence numbers, so a stale incarnation of an entity cannot write.
 *   <li>Replay and the highest sequence number are read from this node's copy, which must be the
 *       partition's active: an entity runs there.
 * </ul>
 *
 * <p>Events are stored as Pekko serializes a {@link PersistentRepr}, so their payloads need a
 * serializer binding (Cohort's {@code cohort-kryo}, say); never Java serialization.
 */
public final class ReplicatedJournal extends AsyncWriteJournal {
  private final JournalPluginSettings settings;
  private final JournalClient client;
  private final Serialization serialization;
  /** The last write of each persistence id still in flight: the next one waits for it, to keep their order. */
  private final Map<String, CompletableFuture<Void>> inFlight = new HashMap<>();

  /** Built by Pekko Persistence with the plugin's config. */
  public ReplicatedJournal(Config config) {
    Cohort cohort = Cohort.get(Adapter.toTyped(context().system()));
    this.client = cohort.journalClient();
    this.settings = JournalPluginSettings.of(config, cohort.partitionGroups(), true);
    this.serialization = SerializationExtension.get(context().system());
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    List<Optional<Exception>> results = new ArrayList<>();
    for (AtomicWrite write : messages) {
      List<byte[]> events = new ArrayList<>();
      try {
        for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
          events.add(serialization.serialize(repr).get());
        }
      } catch (RuntimeException e) {
        results.add(Optional.of(e)); // rejected: nothing of it is written, and the entity goes on
        continue;
      }
      results.add(Optional.empty());
      writes.add(inOrder(write.persistenceId(), () -> client.write(partitionOf(write.persistenceId()),
          id -> new JournalCommand.AppendEvents(id, write.persistenceId(), write.lowestSequenceNr(), events))));
    }
    CompletionStage<Iterable<Optional<Exception>>> all = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .thenApply(done -> results);
    return FutureConverters.asScala(all);
  }

  /**
   * Runs {@code write} after the persistence id's previous write completes (whatever its outcome):
   * two batches of one entity in flight at once could reach the active in the other order.
   */
  private CompletableFuture<Void> inOrder(String persistenceId, Supplier<CompletionStage<?>> write) {
    CompletableFuture<Void> previous = inFlight.getOrDefault(persistenceId, CompletableFuture.completedFuture(null));
    CompletableFuture<Void> next = previous.handle((ok, failed) -> null)
        .thenCompose(ignored -> write.get()).thenApply(written -> null);
    inFlight.put(persistenceId, next);
    // Forgotten once done, unless a newer write took its place meanwhile; the journal's own thread runs this.
    next.whenComplete((ok, failed) -> self().tell(new WriteDone(persistenceId, next), self()));
    return next;
  }

  private record WriteDone(String persistenceId, CompletableFuture<Void> write) {}

  @Override
  public PartialFunction<Object, BoxedUnit> receivePluginInternal() {
    return new PFBuilder<Object, BoxedUnit>()
        .match(WriteDone.class, done -> {
          inFlight.remove(done.persistenceId(), done.write());
          return BoxedUnit.UNIT;
        })
        .build();
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    return FutureConverters.asScala(inOrder(persistenceId, () -> client.write(partitionOf(persistenceId),
        id -> new JournalCommand.DeleteEvents(id, persistenceId, toSequenceNr))));
  }

  @Override
  public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
      Consumer<PersistentRepr> replayCallback) {
    return FutureConverters.asScala(replay(persistenceId, fromSequenceNr, toSequenceNr, max, replayCallback));
  }

  /** Reads page after page until {@code max} events are replayed or none are left in the range. */
  private CompletionStage<Void> replay(String persistenceId, long from, long to, long max,
      Consumer<PersistentRepr> callback) {
    if (max <= 0 || from > to) {
      return CompletableFuture.completedFuture(null);
    }
    int page = (int) Math.min(settings.replayPage(), max);
    return client.query(partitionOf(persistenceId), persistenceId, from, to, page, null).thenCompose(answer -> {
      for (EventStreams.Event event : answer.events()) {
        callback.accept(serialization.deserialize(event.bytes(), PersistentRepr.class).get());
      }
      if (answer.events().size() < page) {
        return CompletableFuture.completedFuture(null);
      }
      long next = answer.events().get(answer.events().size() - 1).seqNr() + 1;
      return replay(persistenceId, next, to, max - answer.events().size(), callback);
    });
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    return FutureConverters.asScala(client.query(partitionOf(persistenceId), persistenceId, fromSequenceNr,
        fromSequenceNr, 0, null).thenApply(JournalAnswer::highestSeqNr));
  }

  private PartitionId partitionOf(String persistenceId) {
    // An entity registered with Cohort.entities keeps its events on its shard's partition group.
    String group = client.groupOfEntityType(PersistenceId.extractEntityType(persistenceId), settings.partitionGroup());
    return client.partitionOf(group, PersistenceId.extractEntityId(persistenceId));
  }
}
