package dev.cohort.node.kv;

import java.util.List;
import java.util.Objects;

/**
 * A write to the replicated journal of Pekko Persistence, as sequenced in the partition log of its
 * persistence id. Byte arrays are handed over, not copied: nobody may change them afterwards.
 */
public sealed interface JournalCommand extends PartitionCommand {
  /** The persistence id whose events or snapshots it changes. */
  String persistenceId();

  /** The bytes it carries, checked against the largest value a partition accepts; none by default. */
  default long payloadBytes() {
    return 0;
  }

  private static void requireIds(RequestId requestId, String persistenceId) {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(persistenceId, "persistenceId");
  }

  /**
   * Appends events with the sequence numbers from {@code firstSeqNr}, all or none: only if the
   * journal's highest sequence number of the persistence id is {@code firstSeqNr - 1}, so that a
   * second writer of the same id (a stale incarnation on another node) is refused.
   *
   * @param events the serialized events, in sequence-number order; at least one
   */
  record AppendEvents(RequestId requestId, String persistenceId, long firstSeqNr, List<byte[]> events)
      implements JournalCommand {
    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there are no events or {@code firstSeqNr} is below 1
     */
    public AppendEvents {
      requireIds(requestId, persistenceId);
      events = List.copyOf(events);
      if (events.isEmpty() || firstSeqNr < 1) {
        throw new IllegalArgumentException("an append needs events and a first sequence number of at least 1, got "
            + events.size() + " events from " + firstSeqNr);
      }
    }

    /** The sequence number of the last event. */
    public long lastSeqNr() {
      return firstSeqNr + events.size() - 1;
    }

    @Override
    public long payloadBytes() {
      return events.stream().mapToLong(e -> e.length).sum();
    }

    @Override
    public String toString() {
      return "AppendEvents[" + requestId + " " + persistenceId + " " + firstSeqNr + ".." + lastSeqNr() + "]";
    }
  }

  /** Deletes the events of the persistence id up to {@code toSeqNr}; its highest sequence number stays. */
  record DeleteEvents(RequestId requestId, String persistenceId, long toSeqNr) implements JournalCommand {
    /** @throws NullPointerException if a component is null */
    public DeleteEvents {
      requireIds(requestId, persistenceId);
    }
  }

  /** Stores a snapshot of the persistence id's state as of {@code seqNr}, replacing one at the same seqNr. */
  record SaveSnapshot(RequestId requestId, String persistenceId, long seqNr, long timestamp, byte[] snapshot)
      implements JournalCommand {
    /** @throws NullPointerException if a component is null */
    public SaveSnapshot {
      requireIds(requestId, persistenceId);
      Objects.requireNonNull(snapshot, "snapshot");
    }

    @Override
    public long payloadBytes() {
      return snapshot.length;
    }

    @Override
    public String toString() {
      return "SaveSnapshot[" + requestId + " " + persistenceId + " @" + seqNr + " (" + snapshot.length + " bytes)]";
    }
  }

  /** Deletes the snapshots of the persistence id that {@code criteria} selects. */
  record DeleteSnapshots(RequestId requestId, String persistenceId, SnapshotCriteria criteria)
      implements JournalCommand {
    /** @throws NullPointerException if a component is null */
    public DeleteSnapshots {
      requireIds(requestId, persistenceId);
      Objects.requireNonNull(criteria, "criteria");
    }
  }

  /** Snapshots with a sequence number and a timestamp in these closed ranges. */
  record SnapshotCriteria(long minSeqNr, long maxSeqNr, long minTimestamp, long maxTimestamp) {
    /** Whether it selects a snapshot at {@code seqNr} taken at {@code timestamp}. */
    public boolean selects(long seqNr, long timestamp) {
      return seqNr >= minSeqNr && seqNr <= maxSeqNr && timestamp >= minTimestamp && timestamp <= maxTimestamp;
    }
  }
}
