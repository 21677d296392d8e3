package dev.cohort.node.kv;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state of one partition (its key-value tables and its part of the replicated journal), changed only by applying committed log entries in
 * seq order (DESIGN step 4). Deterministic: the same entries give the same state and results on
 * every copy; no clock, no randomness, and iteration orders are fixed where they matter.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>A key's version is the seq of the entry that last wrote it, so versions only grow and are
 *       never reused, also across a delete.
 *   <li>A compare-and-set writes only if the key exists at exactly the expected version; otherwise it
 *       gives a {@link KvResult.Conflict} with the current version and writes nothing.
 *   <li>An unknown table or a value over the maximum is {@link KvResult.Rejected}; nothing is written.
 *       Callers check both before sequencing; this is the second line.
 *   <li>At most once: the result of every request is remembered by its {@link RequestId} (within the
 *       bounds of {@link KvSettings}); a retry gets the first result and changes nothing.
 * </ul>
 *
 * <p>Single-threaded: the partition's actor owns it.
 */
public final class KvStateMachine {
  private final KvSettings settings;
  private final Map<String, Map<String, Stored>> tables = new HashMap<>();
  private final EventStreams journal = new EventStreams();
  private final RequestMemory requests;
  private long lastAppliedSeq;

  /** An empty state machine. */
  public KvStateMachine(KvSettings settings) {
    this.settings = settings;
    this.requests = new RequestMemory(settings.requestsPerClient(), settings.maxClients());
  }

  /**
   * The state machine a snapshot describes.
   *
   * @throws MalformedPayloadException if the bytes are not a snapshot of a known format
   */
  public static KvStateMachine restore(KvSettings settings, byte[] snapshot) {
    var machine = new KvStateMachine(settings);
    KvSnapshotCodec.readInto(snapshot, machine);
    return machine;
  }

  /** The whole state (values and request memory) as bytes; equal states give equal bytes. */
  public byte[] snapshot() {
    return KvSnapshotCodec.write(this);
  }

  /**
   * Applies the committed entry at {@code seq}.
   *
   * @throws IllegalArgumentException if {@code seq} is not after the last applied seq (a caller's
   *     bug: entries are applied once, in order)
   */
  public KvResult apply(long seq, PartitionCommand command) {
    advance(seq);
    RequestId id = command.requestId();
    Optional<KvResult> earlier = requests.recall(id);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Optional<Long> oldest = requests.expiredBelow(id);
    if (oldest.isPresent()) {
      return new KvResult.Rejected(new Rejection.RequestExpired(id, oldest.get()));
    }
    KvResult result = execute(seq, command);
    requests.remember(id, result);
    return result;
  }

  /**
   * Records that the committed entry at {@code seq} holds nothing for this state machine (another
   * state machine's entry, or a new active's opening entry), so that reads say they reflect it.
   */
  public void skip(long seq) {
    advance(seq);
  }

  /** The value and version of {@code key}, as of the last applied entry. */
  public KvRead read(String table, String key) {
    if (!settings.tables().contains(table)) {
      return new KvRead.Rejected(new Rejection.UnknownTable(table));
    }
    Stored stored = tables.getOrDefault(table, Map.of()).get(key);
    if (stored == null) {
      return new KvRead.Absent(lastAppliedSeq);
    }
    return new KvRead.Found(stored.value(), stored.version(), lastAppliedSeq);
  }

  /** The replicated journal's events and snapshots, as of the last applied entry. */
  public EventStreams journal() {
    return journal;
  }

  /** The seq of the last entry applied or skipped; 0 if none. */
  public long lastAppliedSeq() {
    return lastAppliedSeq;
  }

  /** The limits this state machine applies. */
  public KvSettings settings() {
    return settings;
  }

  private void advance(long seq) {
    if (seq <= lastAppliedSeq) {
      throw new IllegalArgumentException("entry " + seq + " is not after the last applied entry " + lastAppliedSeq);
    }
    lastAppliedSeq = seq;
  }

  private KvResult execute(long seq, PartitionCommand partitionCommand) {
    if (partitionCommand instanceof JournalCommand journalCommand) {
      return tooLarge(journalCommand.payloadBytes()).orElseGet(() -> journal.apply(seq, journalCommand));
    }
    KvCommand command = (KvCommand) partitionCommand;
    String table = command.table();
    if (!settings.tables().contains(table)) {
      return new KvResult.Rejected(new Rejection.UnknownTable(table));
    }
    if (command instanceof KvCommand.Put put) {
      return tooLarge(put.value().length).orElseGet(() -> write(table, put.key(), put.value(), seq));
    }
    if (command instanceof KvCommand.CompareAndSet cas) {
      Optional<KvResult> refused = tooLarge(cas.value().length);
      if (refused.isPresent()) {
        return refused.get();
      }
      Stored current = tables.getOrDefault(table, Map.of()).get(cas.key());
      if (current == null || current.version() != cas.expectedVersion()) {
        OptionalLong currentVersion = current == null ? OptionalLong.empty() : OptionalLong.of(current.version());
        return new KvResult.Conflict(cas.expectedVersion(), currentVersion);
      }
      return write(table, cas.key(), cas.value(), seq);
    }
    Map<String, Stored> rows = tables.get(table);
    if (rows != null) {
      rows.remove(command.key());
      if (rows.isEmpty()) {
        tables.remove(table);
      }
    }
    return new KvResult.Deleted(seq);
  }

  private Optional<KvResult> tooLarge(long bytes) {
    if (bytes > settings.maxValueBytes()) {
      return Optional.of(new KvResult.Rejected(new Rejection.TooLarge(bytes, settings.maxValueBytes())));
    }
    return Optional.empty();
  }

  private KvResult write(String table, String key, byte[] value, long seq) {
    tables.computeIfAbsent(table, t -> new HashMap<>()).put(key, new Stored(value, seq));
    return new KvResult.Written(seq, seq);
  }

  // For KvSnapshotCodec.

  Map<String, Map<String, Stored>> tables() {
    return tables;
  }

  RequestMemory requests() {
    return requests;
  }

  void restoreLastAppliedSeq(long seq) {
    lastAppliedSeq = seq;
  }

  void restoreValue(String table, String key, Stored stored) {
    tables.computeIfAbsent(table, t -> new HashMap<>()).put(key, stored);
  }

  /** A key's value and version. */
  record Stored(byte[] value, long version) {}
}
