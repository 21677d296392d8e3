package dev.cohort.node.journal;

import com.typesafe.config.Config;
import dev.cohort.api.PartitionId;
import dev.cohort.node.Cohort;
import dev.cohort.node.internal.client.JournalClient;
import dev.cohort.node.kv.EventStreams;
import dev.cohort.node.kv.JournalCommand;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.serialization.Snapshot;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * Pekko Persistence's snapshot store on Cohort's partition logs, beside {@link ReplicatedJournal}:
 * a snapshot is saved through the log of its persistence id's partition (so it is on the in-sync
 * replicas before it is confirmed) and loaded from this node's copy, which must be the partition's
 * active. Enable it with {@code pekko.persistence.snapshot-store.plugin = "cohort.snapshot-store"}.
 * A snapshot is at most {@code cohort.tables.max-value-bytes} once serialized.
 */
public final class ReplicatedSnapshotStore extends SnapshotStore {
  private final JournalPluginSettings settings;
  private final JournalClient client;
  private final Serialization serialization;

  /** Built by Pekko Persistence with the plugin's config. */
  public ReplicatedSnapshotStore(Config config) {
    Cohort cohort = Cohort.get(Adapter.toTyped(context().system()));
    this.client = cohort.journalClient();
    this.settings = JournalPluginSettings.of(config, cohort.partitionGroups(), false);
    this.serialization = SerializationExtension.get(context().system());
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    CompletionStage<Optional<SelectedSnapshot>> loaded = client.query(partitionOf(persistenceId), persistenceId, 1, 0, 0,
        criteriaOf(criteria)).thenApply(answer -> answer.snapshot().map(found -> selected(persistenceId, found)));
    return FutureConverters.asScala(loaded);
  }

  private SelectedSnapshot selected(String persistenceId, EventStreams.Snapshot found) {
    Object state = serialization.deserialize(found.bytes(), Snapshot.class).get().data();
    return SelectedSnapshot.create(new SnapshotMetadata(persistenceId, found.seqNr(), found.timestamp()), state);
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    byte[] bytes;
    try {
      bytes = serialization.serialize(new Snapshot(snapshot)).get();
    } catch (RuntimeException e) {
      return FutureConverters.asScala(CompletableFuture.failedStage(e));
    }
    return done(client.write(partitionOf(metadata.persistenceId()), id -> new JournalCommand.SaveSnapshot(id,
        metadata.persistenceId(), metadata.sequenceNr(), metadata.timestamp(), bytes)));
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    // Pekko's contract: a timestamp of 0 matches a snapshot at that sequence number whatever its timestamp.
    long minTimestamp = metadata.timestamp() == 0 ? 0 : metadata.timestamp();
    long maxTimestamp = metadata.timestamp() == 0 ? Long.MAX_VALUE : metadata.timestamp();
    return delete(metadata.persistenceId(), new JournalCommand.SnapshotCriteria(metadata.sequenceNr(),
        metadata.sequenceNr(), minTimestamp, maxTimestamp));
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return delete(persistenceId, criteriaOf(criteria));
  }

  private Future<Void> delete(String persistenceId, JournalCommand.SnapshotCriteria criteria) {
    return done(client.write(partitionOf(persistenceId),
        id -> new JournalCommand.DeleteSnapshots(id, persistenceId, criteria)));
  }

  private static Future<Void> done(CompletionStage<?> write) {
    return FutureConverters.asScala(write.thenApply(reply -> (Void) null));
  }

  private static JournalCommand.SnapshotCriteria criteriaOf(SnapshotSelectionCriteria criteria) {
    return new JournalCommand.SnapshotCriteria(criteria.minSequenceNr(), criteria.maxSequenceNr(),
        criteria.minTimestamp(), criteria.maxTimestamp());
  }

  private PartitionId partitionOf(String persistenceId) {
    // An entity registered with Cohort.entities keeps its events on its shard's partition group.
    String group = client.groupOfEntityType(PersistenceId.extractEntityType(persistenceId), settings.partitionGroup());
    return client.partitionOf(group, PersistenceId.extractEntityId(persistenceId));
  }
}
