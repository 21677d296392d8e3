package dev.cohort.node.kv;

import dev.cohort.persistence.StateBatch;
import dev.cohort.persistence.StateStore;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state of one partition (its key-value tables, its part of the replicated journal and its
 * request memory), changed only by applying committed log entries in seq order (DESIGN step 4).
 * Deterministic: the same entries give the same state and results on every copy; no clock, no
 * randomness, and iteration orders are fixed where they matter.
 *
 * <p>The state lives in the partition's {@link StateStore} ({@link StateKeys} says where), not on the
 * heap. Applied entries gather in a {@link StateBatch}, which reads see, until {@link #flush} writes
 * them as one store write: the store is always as of some applied seq, whole.
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
  private final StateBatch state;
  private final EventStreams journal;
  private final RequestMemory requests;
  private long lastAppliedSeq;

  /** The state machine whose state {@code store} holds, as of the store's applied seq. */
  public KvStateMachine(KvSettings settings, StateStore store) {
    this.settings = settings;
    this.state = new StateBatch(store);
    this.journal = new EventStreams(state);
    this.requests = new RequestMemory(settings.requestsPerClient(), settings.maxClients(), state);
    this.lastAppliedSeq = store.appliedSeq();
  }

  /** How many entries were applied or skipped since the last {@link #flush}. */
  public long unflushedEntries() {
    return lastAppliedSeq - state.store().appliedSeq();
  }

  /**
   * Writes what was applied since the last flush to the store, as one write; nothing if nothing was
   * applied or skipped since.
   */
  public void flush() {
    if (lastAppliedSeq > state.store().appliedSeq()) {
      requests.writeChanges();
      state.commit(lastAppliedSeq);
    }
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
    requests.remember(seq, id, result);
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
    Optional<byte[]> stored = state.get(StateKeys.row(table, key));
    if (stored.isEmpty()) {
      return new KvRead.Absent(lastAppliedSeq);
    }
    byte[] row = stored.get();
    return new KvRead.Found(Arrays.copyOfRange(row, Long.BYTES, row.length), StateKeys.readLong(row, 0),
        lastAppliedSeq);
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
      OptionalLong current = state.get(StateKeys.row(table, cas.key()))
          .map(row -> OptionalLong.of(StateKeys.readLong(row, 0))).orElse(OptionalLong.empty());
      if (current.isEmpty() || current.getAsLong() != cas.expectedVersion()) {
        return new KvResult.Conflict(cas.expectedVersion(), current);
      }
      return write(table, cas.key(), cas.value(), seq);
    }
    state.delete(StateKeys.row(table, command.key()));
    return new KvResult.Deleted(seq);
  }

  private Optional<KvResult> tooLarge(long bytes) {
    if (bytes > settings.maxValueBytes()) {
      return Optional.of(new KvResult.Rejected(new Rejection.TooLarge(bytes, settings.maxValueBytes())));
    }
    return Optional.empty();
  }

  private KvResult write(String table, String key, byte[] value, long seq) {
    state.put(StateKeys.row(table, key), ByteBuffer.allocate(Long.BYTES + value.length).putLong(seq).put(value).array());
    return new KvResult.Written(seq, seq);
  }
}
