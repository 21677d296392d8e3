package dev.cohort.node.internal.partition;

import dev.cohort.node.ReplicationSettings;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.kv.KvRead;
import dev.cohort.node.kv.KvResult;
import dev.cohort.node.kv.KvSettings;
import dev.cohort.node.kv.KvStateMachine;
import dev.cohort.node.kv.PartitionCommand;
import dev.cohort.node.kv.Rejection;
import dev.cohort.node.replication.LogView;
import dev.cohort.persistence.LogEntry;
import dev.cohort.persistence.PartitionLog;
import dev.cohort.persistence.PartitionMeta;
import dev.cohort.persistence.StateStorage;
import dev.cohort.persistence.StateStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one node holds of a partition, whatever its role: the log, the key-value state machine
 * that applies it (its state in the partition's {@link StateStore}), and the commit position it
 * knows. Entries are applied in seq order as they commit, each batch in one store write; an entry
 * with an empty payload is a new active's opening entry and is skipped. After every {@link
 * ReplicationSettings#compactAfterEntries()} applied entries the log below the state's durable part
 * (but for {@link ReplicationSettings#logRetainEntries()}) is dropped, so a copy holds its state plus
 * a bounded log. A replica too far behind installs a copy of the active's
 * state, streamed pair by pair ({@link #beginInstall}). Single-threaded: owned by the partition's
 * actor.
 */
final class PartitionState implements LogView {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionState.class);
  private static final int APPLY_CHUNK = 4096;

  private final PartitionLog log;
  private final StateStorage states;
  private final StateStore store;
  private final KvSettings kvSettings;
  private final ReplicationSettings settings;
  private KvStateMachine kv;
  private PartitionMeta meta;
  private long compactedAt;
  private long held = Long.MAX_VALUE;
  /** Whether {@link #meta}'s committed seq is ahead of what the log's storage holds. */
  private boolean commitUnrecorded;
  // The applied seq at the last heartbeat's write-behind: unchanged means the copy went a heartbeat idle.
  private long appliedAtLastHeartbeat;
  /** The install under way, while the state is being replaced by the active's; else null. */
  private Installing installing;

  private record Installing(long seq, long epoch, StateStore.Install install) {}

  /**
   * The partition as this node holds it: the state as its store kept it, with the log after it still
   * to apply ({@link #commitTo}). A state behind the log's start (an install that did not finish)
   * cannot be rebuilt from this log: the log is dropped, and the active sends a copy of its state.
   */
  PartitionState(PartitionLog log, StateStorage states, KvSettings kvSettings, ReplicationSettings settings) {
    this.log = log;
    this.states = states;
    this.store = states.open(log.partition());
    this.kvSettings = kvSettings;
    this.settings = settings;
    this.meta = log.readMeta();
    this.kv = new KvStateMachine(kvSettings, store);
    this.compactedAt = kv.lastAppliedSeq();
    this.appliedAtLastHeartbeat = kv.lastAppliedSeq();
    if (kv.lastAppliedSeq() < baseSeq()) {
      LOG.warn("the state of {} is applied up to seq {} but its log starts at seq {} (an install did not finish):"
          + " the log is dropped, and the partition's active sends a copy", log.partition(), kv.lastAppliedSeq(),
          log.firstSeq());
      log.resetTo(0, 0);
    }
  }

  PartitionLog log() {
    return log;
  }

  KvStateMachine kv() {
    return kv;
  }

  /** The seq of the last entry applied to the state; 0 while an install replaces it. */
  long appliedSeq() {
    return installing != null ? 0 : kv.lastAppliedSeq();
  }

  long promisedEpoch() {
    return meta.promisedEpoch();
  }

  long committedSeq() {
    return Math.min(meta.committedSeq(), log.lastSeq());
  }

  /** Promises to follow {@code epoch} from now on; written before the node answers anyone in it. */
  void promise(long epoch) {
    if (epoch > meta.promisedEpoch()) {
      meta = meta.withPromisedEpoch(epoch);
      log.writeMeta(meta);
      commitUnrecorded = false;
    }
  }

  /** Appends {@code entries} to the log, with the commit position if it moved since last written. */
  void append(List<LogEntry> entries) {
    if (commitUnrecorded) {
      log.append(entries, meta);
      commitUnrecorded = false;
    } else {
      log.append(entries);
    }
  }

  /**
   * At every heartbeat, writes what the copy keeps in memory only for a while: the commit position, if
   * no append carried it yet, and, once the copy has gone a heartbeat without applying anything, the
   * entries applied since the state's last write. A busy copy writes its state every {@link
   * ReplicationSettings#stateWriteEntries()} entries instead: writing it at every heartbeat as well
   * made many small state writes, each of whose keys lands far from the last in the storage's memory
   * (a sorted write of many keys of one partition inserts each near the one before).
   */
  void writeBehind() {
    long applied = kv.lastAppliedSeq();
    writeBehind(applied == appliedAtLastHeartbeat);
    appliedAtLastHeartbeat = applied;
  }

  /** Writes everything {@link #writeBehind()} writes, the applied state too; the copy calls it when it stops. */
  void writeAll() {
    writeBehind(true);
  }

  private void writeBehind(boolean state) {
    if (commitUnrecorded) {
      log.writeMeta(meta);
      commitUnrecorded = false;
    }
    if (state && installing == null) {
      kv.flush();
    }
  }

  /**
   * Applies committed entries up to {@code committed} (not past the log's end) and returns the
   * results of the key-value commands among them, by seq; writes the applied state once {@link
   * ReplicationSettings#stateWriteEntries()} have gathered, and compacts the log when due.
   */
  Map<Long, KvResult> commitTo(long committed) {
    long upTo = Math.min(committed, log.lastSeq());
    recordCommitted(upTo);
    var results = new HashMap<Long, KvResult>();
    if (installing != null) {
      return results; // the state is being replaced; the log after the install applies after it
    }
    while (kv.lastAppliedSeq() < upTo) {
      long from = kv.lastAppliedSeq() + 1;
      // Read only what commits now: the log may hold many more entries still in flight.
      List<LogEntry> entries = log.read(from, (int) Math.min(APPLY_CHUNK, upTo - from + 1), Long.MAX_VALUE);
      for (LogEntry entry : entries) {
        if (entry.seq() > upTo) {
          break;
        }
        if (entry.payloadLength() == 0) {
          kv.skip(entry.seq());
        } else {
          results.put(entry.seq(), kv.apply(entry.seq(), PartitionCommand.decode(entry.payload())));
        }
      }
    }
    if (kv.unflushedEntries() >= settings.stateWriteEntries()) {
      kv.flush();
    }
    compactIfDue();
    return results;
  }

  /**
   * Notes the commit position. It reaches the storage with the next append or heartbeat, not on its
   * own (one write less per batch): a restarted copy may find an older one, which only makes it apply
   * less before the active tells it more.
   */
  private void recordCommitted(long seq) {
    if (seq > meta.committedSeq()) {
      meta = meta.withCommittedSeq(seq);
      commitUnrecorded = true;
    }
  }

  /**
   * After enough applied entries, drops the log below the state's durable part (but for the entries
   * retained and those a replica receiving a copy of the state still needs): a restart finds the
   * state as of its durable seq or later, and applies the log after it.
   */
  private void compactIfDue() {
    long applied = kv.lastAppliedSeq();
    if (applied - compactedAt < settings.compactAfterEntries()) {
      return;
    }
    long compactTo = Math.min(Math.min(applied, log.lastSeq()) - settings.logRetainEntries(), held);
    compactTo = Math.min(compactTo, store.durableSeq());
    if (compactTo >= log.firstSeq()) {
      log.compactUpTo(compactTo);
    }
    compactedAt = applied;
  }

  /**
   * Keeps the log after {@code seq} while the active sends a copy of its state as of {@code seq} to a
   * replica, which then needs the entries after it: otherwise a transfer slower than compaction could
   * start over forever. {@link Long#MAX_VALUE} holds nothing.
   */
  void hold(long seq) {
    held = seq;
  }

  /** A consistent view of the applied state, to send a replica whose entries are compacted away. */
  StateStore.View view() {
    kv.flush();
    return store.view();
  }

  /**
   * Starts replacing the state by the active's as of {@code seq}, whose entry has {@code epoch}: the
   * state is empty until {@link #finishInstall}; pairs come with {@link #installPairs}. Starting
   * again drops the install under way.
   *
   * @throws IllegalArgumentException if {@code seq} is not ahead of the applied state
   */
  void beginInstall(long seq, long epoch) {
    if (seq <= appliedSeq()) {
      throw new IllegalArgumentException("a copy of the state of " + log.partition() + " as of seq " + seq
          + " is not ahead of this copy's, applied up to seq " + appliedSeq());
    }
    installing = new Installing(seq, epoch, store.install(seq));
  }

  /** Adds pairs to the install under way. */
  void installPairs(List<Map.Entry<byte[], byte[]>> pairs) {
    requireInstalling().install().write(pairs);
  }

  /**
   * Ends the install under way: the state is the active's as of the install's seq. The log after it
   * is kept if it continues it (its entry at that seq has the install's epoch), else dropped.
   */
  void finishInstall() {
    Installing done = requireInstalling();
    done.install().commit();
    states.sync(); // the log below it goes now
    installing = null;
    kv = new KvStateMachine(kvSettings, store);
    compactedAt = done.seq();
    OptionalLong own = log.epochAt(done.seq());
    if (own.isPresent() && own.getAsLong() == done.epoch()) {
      log.compactUpTo(done.seq());
    } else {
      log.resetTo(done.seq(), done.epoch());
    }
    recordCommitted(done.seq());
  }

  /** Whether an install is under way. */
  boolean installing() {
    return installing != null;
  }

  /**
   * Drops the log while an install is under way: its state is gone, so its entries cannot be applied
   * unless the install finishes; an empty log makes the copy tell any active that it needs a copy.
   */
  void dropLogWhileInstalling() {
    if (installing != null && log.lastSeq() > 0) {
      log.resetTo(0, 0);
    }
  }

  private Installing requireInstalling() {
    if (installing == null) {
      throw new IllegalStateException("no install of the state of " + log.partition() + " is under way");
    }
    return installing;
  }

  /**
   * A read of this copy's applied state; refused (as by a copy that is not the active, so that the
   * caller asks the active) while an install has emptied it.
   */
  Reply read(String table, String key) {
    if (installing != null) {
      return Reply.refused(Outcome.NOT_ACTIVE, "not-active", "this copy of " + log.partition()
          + " is installing a snapshot from the active; ask the active");
    }
    KvRead read = kv.read(table, key);
    if (read instanceof KvRead.Found found) {
      return new Reply(Outcome.FOUND, found.value(), found.version(), found.appliedSeq(), null, null);
    }
    if (read instanceof KvRead.Absent absent) {
      return new Reply(Outcome.ABSENT, null, -1, absent.appliedSeq(), null, null);
    }
    return rejected(((KvRead.Rejected) read).rejection());
  }

  /** The answer to a caller whose command had {@code result}. */
  Reply reply(KvResult result) {
    if (result instanceof KvResult.Written written) {
      return new Reply(Outcome.WRITTEN, null, written.version(), written.seq(), null, null);
    }
    if (result instanceof KvResult.Deleted deleted) {
      return new Reply(Outcome.DELETED, null, -1, deleted.seq(), null, null);
    }
    if (result instanceof KvResult.Conflict conflict) {
      long current = conflict.currentVersion().isPresent() ? conflict.currentVersion().getAsLong() : -1;
      return new Reply(Outcome.CONFLICT, null, current, 0, "version-conflict",
          conflict.toException().getMessage());
    }
    return rejected(((KvResult.Rejected) result).rejection());
  }

  /** The answer for a refused command or read. */
  Reply rejected(Rejection rejection) {
    if (rejection instanceof Rejection.UnknownTable unknown) {
      return Reply.refused(Outcome.REJECTED, "unknown-table",
          unknown.toException(kv.settings().tables()).getMessage());
    }
    if (rejection instanceof Rejection.TooLarge tooLarge) {
      return Reply.refused(Outcome.REJECTED, "too-large", tooLarge.toException().getMessage());
    }
    var expired = (Rejection.RequestExpired) rejection;
    return Reply.refused(Outcome.REJECTED, "request-expired", "request " + expired.requestId()
        + " is older than every request this partition still remembers for its client; it may or may not have"
        + " been applied");
  }

  // --- LogView over the log ------------------------------------------------------------------

  @Override
  public long baseSeq() {
    return log.firstSeq() - 1;
  }

  @Override
  public long lastSeq() {
    return log.lastSeq();
  }

  @Override
  public long epochAt(long seq) {
    return log.epochAt(seq).orElseThrow(() -> new IllegalStateException(
        "no epoch for seq " + seq + " in the log of " + log.partition() + " [" + log.firstSeq() + ", " + log.lastSeq() + "]"));
  }
}
