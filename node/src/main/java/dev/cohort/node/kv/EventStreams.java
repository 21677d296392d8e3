package dev.cohort.node.kv;

import dev.cohort.persistence.StateBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The replicated journal's part of a partition's state: per persistence id its events by sequence
 * number, its highest sequence number (kept after a delete, as Pekko Persistence requires) and its
 * snapshots, all in the partition's state store ({@link StateKeys}). Changed only by {@link
 * KvStateMachine#apply}, so every copy holds the same.
 *
 * <p>An append is a compare-and-set on the persistence id's highest sequence number: it applies
 * only if its first event follows the highest one. Two incarnations of an entity (a stale one on a
 * node cut off, a new one on the new active) cannot both extend the same history; the second gets
 * a {@link KvResult.Conflict} naming the current highest sequence number.
 */
public final class EventStreams {
  private final StateBatch state;

  /** One stored event. */
  public record Event(long seqNr, byte[] bytes) {}

  /** One stored snapshot. */
  public record Snapshot(long seqNr, long timestamp, byte[] bytes) {}

  EventStreams(StateBatch state) {
    this.state = state;
  }

  KvResult apply(long seq, JournalCommand command) {
    String id = command.persistenceId();
    if (command instanceof JournalCommand.AppendEvents append) {
      long highest = highestSeqNr(id);
      if (append.firstSeqNr() != highest + 1) {
        return new KvResult.Conflict(append.firstSeqNr() - 1, OptionalLong.of(highest));
      }
      byte[] events = StateKeys.stream(StateKeys.EVENT, id);
      long seqNr = append.firstSeqNr();
      for (byte[] event : append.events()) {
        state.put(StateKeys.numbered(events, seqNr++), event);
      }
      state.put(StateKeys.stream(StateKeys.HIGHEST, id), StateKeys.longBytes(append.lastSeqNr()));
      return new KvResult.Written(append.lastSeqNr(), seq);
    }
    if (command instanceof JournalCommand.DeleteEvents delete) {
      byte[] events = StateKeys.stream(StateKeys.EVENT, id);
      state.forEach(StateKeys.numbered(events, 0), StateKeys.afterNumber(events, delete.toSeqNr()),
          (key, value) -> state.delete(key));
      return new KvResult.Deleted(seq);
    }
    byte[] snapshots = StateKeys.stream(StateKeys.SNAPSHOT, id);
    if (command instanceof JournalCommand.SaveSnapshot save) {
      state.put(StateKeys.numbered(snapshots, save.seqNr()), ByteBuffer.allocate(Long.BYTES + save.snapshot().length)
          .putLong(save.timestamp()).put(save.snapshot()).array());
      return new KvResult.Written(save.seqNr(), seq);
    }
    JournalCommand.SnapshotCriteria criteria = ((JournalCommand.DeleteSnapshots) command).criteria();
    for (Snapshot snapshot : snapshots(id)) {
      if (criteria.selects(snapshot.seqNr(), snapshot.timestamp())) {
        state.delete(StateKeys.numbered(snapshots, snapshot.seqNr()));
      }
    }
    return new KvResult.Deleted(seq);
  }

  /** The highest sequence number written for {@code persistenceId}, 0 if none. */
  public long highestSeqNr(String persistenceId) {
    return state.get(StateKeys.stream(StateKeys.HIGHEST, persistenceId)).map(bytes -> StateKeys.readLong(bytes, 0))
        .orElse(0L);
  }

  /** At most {@code max} events of {@code persistenceId} from {@code fromSeqNr} to {@code toSeqNr}, in order. */
  public List<Event> events(String persistenceId, long fromSeqNr, long toSeqNr, int max) {
    var events = new ArrayList<Event>();
    if (fromSeqNr > toSeqNr || max < 1) {
      return events;
    }
    byte[] prefix = StateKeys.stream(StateKeys.EVENT, persistenceId);
    for (var pair : state.scan(StateKeys.numbered(prefix, Math.max(0, fromSeqNr)),
        StateKeys.afterNumber(prefix, toSeqNr), max)) {
      events.add(new Event(StateKeys.seqNrOf(pair.getKey()), pair.getValue()));
    }
    return events;
  }

  /** The snapshot of {@code persistenceId} with the highest sequence number that {@code criteria} selects. */
  public Optional<Snapshot> latestSnapshot(String persistenceId, JournalCommand.SnapshotCriteria criteria) {
    Snapshot latest = null;
    for (Snapshot snapshot : snapshots(persistenceId)) {
      if (criteria.selects(snapshot.seqNr(), snapshot.timestamp())) {
        latest = snapshot;
      }
    }
    return Optional.ofNullable(latest);
  }

  /** Every snapshot of {@code persistenceId}, by sequence number: an entity keeps a few. */
  private List<Snapshot> snapshots(String persistenceId) {
    byte[] prefix = StateKeys.stream(StateKeys.SNAPSHOT, persistenceId);
    var found = new ArrayList<Snapshot>();
    state.forEach(StateKeys.numbered(prefix, 0), StateKeys.afterNumber(prefix, Long.MAX_VALUE), (key, value) ->
        found.add(new Snapshot(StateKeys.seqNrOf(key), StateKeys.readLong(value, 0),
            Arrays.copyOfRange(value, Long.BYTES, value.length))));
    return found;
  }
}
