package dev.cohort.node.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The replicated journal's part of a partition's state: per persistence id its events by sequence
 * number, its highest sequence number (kept after a delete, as Pekko Persistence requires) and its
 * snapshots. Changed only by {@link KvStateMachine#apply}, so every copy holds the same.
 *
 * <p>An append is a compare-and-set on the persistence id's highest sequence number: it applies
 * only if its first event follows the highest one. Two incarnations of an entity (a stale one on a
 * node cut off, a new one on the new active) cannot both extend the same history; the second gets
 * a {@link KvResult.Conflict} naming the current highest sequence number.
 */
public final class EventStreams {
  private final Map<String, Stream> streams = new HashMap<>();

  /** One stored event. */
  public record Event(long seqNr, byte[] bytes) {}

  /** One stored snapshot. */
  public record Snapshot(long seqNr, long timestamp, byte[] bytes) {}

  /** The journal of one persistence id. */
  static final class Stream {
    long highestSeqNr;
    final TreeMap<Long, byte[]> events = new TreeMap<>();
    final TreeMap<Long, Snapshot> snapshots = new TreeMap<>();
  }

  KvResult apply(long seq, JournalCommand command) {
    Stream stream = streams.computeIfAbsent(command.persistenceId(), id -> new Stream());
    if (command instanceof JournalCommand.AppendEvents append) {
      if (append.firstSeqNr() != stream.highestSeqNr + 1) {
        return new KvResult.Conflict(append.firstSeqNr() - 1, OptionalLong.of(stream.highestSeqNr));
      }
      long seqNr = append.firstSeqNr();
      for (byte[] event : append.events()) {
        stream.events.put(seqNr++, event);
      }
      stream.highestSeqNr = append.lastSeqNr();
      return new KvResult.Written(stream.highestSeqNr, seq);
    }
    if (command instanceof JournalCommand.DeleteEvents delete) {
      stream.events.headMap(delete.toSeqNr(), true).clear();
      return new KvResult.Deleted(seq);
    }
    if (command instanceof JournalCommand.SaveSnapshot save) {
      stream.snapshots.put(save.seqNr(), new Snapshot(save.seqNr(), save.timestamp(), save.snapshot()));
      return new KvResult.Written(save.seqNr(), seq);
    }
    JournalCommand.SnapshotCriteria criteria = ((JournalCommand.DeleteSnapshots) command).criteria();
    stream.snapshots.values().removeIf(s -> criteria.selects(s.seqNr(), s.timestamp()));
    return new KvResult.Deleted(seq);
  }

  /** The highest sequence number written for {@code persistenceId}, 0 if none. */
  public long highestSeqNr(String persistenceId) {
    Stream stream = streams.get(persistenceId);
    return stream == null ? 0 : stream.highestSeqNr;
  }

  /** At most {@code max} events of {@code persistenceId} from {@code fromSeqNr} to {@code toSeqNr}, in order. */
  public List<Event> events(String persistenceId, long fromSeqNr, long toSeqNr, int max) {
    Stream stream = streams.get(persistenceId);
    var events = new ArrayList<Event>();
    if (stream == null || fromSeqNr > toSeqNr) {
      return events;
    }
    for (var event : stream.events.subMap(fromSeqNr, true, toSeqNr, true).entrySet()) {
      if (events.size() >= max) {
        break;
      }
      events.add(new Event(event.getKey(), event.getValue()));
    }
    return events;
  }

  /** The snapshot of {@code persistenceId} with the highest sequence number that {@code criteria} selects. */
  public Optional<Snapshot> latestSnapshot(String persistenceId, JournalCommand.SnapshotCriteria criteria) {
    Stream stream = streams.get(persistenceId);
    if (stream == null) {
      return Optional.empty();
    }
    return stream.snapshots.descendingMap().values().stream()
        .filter(s -> criteria.selects(s.seqNr(), s.timestamp()))
        .findFirst();
  }

  // For KvSnapshotCodec.

  Map<String, Stream> streams() {
    return streams;
  }
}
