package dev.cohort.node.internal.partition;

import dev.cohort.api.PartitionId;
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
import dev.cohort.persistence.SnapshotDeletedException;
import dev.cohort.persistence.SnapshotInfo;
import dev.cohort.persistence.SnapshotStore;
import dev.cohort.persistence.SnapshotWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one node holds of a partition, whatever its role: the log, the key-value state machine
 * that applies it, its latest snapshot, and the commit position it knows. Entries are applied in seq
 * order as they commit; an entry with an empty payload is a new active's opening entry and is skipped.
 * After every {@link ReplicationSettings#snapshotAfterEntries()} applied entries the state is
 * snapshotted and the log below it (but for {@link ReplicationSettings#logRetainEntries()}) dropped,
 * so a copy holds its state plus a bounded log. Single-threaded: owned by the partition's actor.
 */
final class PartitionState implements LogView {
  private static final int APPLY_CHUNK = 4096;

  private final PartitionLog log;
  private final SnapshotStore snapshots;
  private final KvSettings kvSettings;
  private final ReplicationSettings settings;
  private KvStateMachine kv;
  private PartitionMeta meta;
  private long snapshotSeq;
  private long snapshotBytes;
  private long bytesSinceSnapshot;
  private long held = Long.MAX_VALUE;
  /** Whether {@link #meta}'s committed seq is ahead of what the log's storage holds. */
  private boolean commitUnrecorded;

  /**
   * The partition as this node holds it: the state of its latest snapshot, if any, with the log after
   * it still to apply ({@link #commitTo}).
   *
   * @throws IllegalStateException if the log was compacted past what the latest snapshot covers
   */
  PartitionState(PartitionLog log, SnapshotStore snapshots, KvSettings kvSettings, ReplicationSettings settings) {
    this.log = log;
    this.snapshots = snapshots;
    this.kvSettings = kvSettings;
    this.settings = settings;
    this.meta = log.readMeta();
    Optional<SnapshotInfo> latest = snapshots.latest(log.partition());
    this.kv = latest.map(info -> KvStateMachine.restore(kvSettings, snapshots.readAll(info)))
        .orElseGet(() -> new KvStateMachine(kvSettings));
    this.snapshotSeq = kv.lastAppliedSeq();
    this.snapshotBytes = latest.map(SnapshotInfo::sizeInBytes).orElse(0L);
    if (kv.lastAppliedSeq() < baseSeq()) {
      throw new IllegalStateException("the log of " + log.partition() + " starts at seq " + log.firstSeq()
          + " but its latest snapshot covers only up to seq " + kv.lastAppliedSeq());
    }
  }

  PartitionLog log() {
    return log;
  }

  KvStateMachine kv() {
    return kv;
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
   * Writes the commit position if no append carried it yet: the copy calls it every heartbeat, so
   * that a copy whose log stopped growing still records it.
   */
  void recordCommitPosition() {
    if (commitUnrecorded) {
      log.writeMeta(meta);
      commitUnrecorded = false;
    }
  }

  /**
   * Applies committed entries up to {@code committed} (not past the log's end) and returns the
   * results of the key-value commands among them, by seq; snapshots the state when one is due.
   */
  Map<Long, KvResult> commitTo(long committed) {
    long upTo = Math.min(committed, log.lastSeq());
    recordCommitted(upTo);
    var results = new HashMap<Long, KvResult>();
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
        bytesSinceSnapshot += entry.sizeInBytes();
      }
    }
    snapshotIfDue();
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
   * Snapshots after enough entries, and at least as many log bytes as the last snapshot had, so that
   * snapshotting costs no more than the log it lets go; then drops the log below it.
   */
  private void snapshotIfDue() {
    long applied = kv.lastAppliedSeq();
    if (applied - snapshotSeq < settings.snapshotAfterEntries() || bytesSinceSnapshot < snapshotBytes) {
      return;
    }
    save(applied, epochAt(applied), kv.snapshot());
    long compactTo = Math.min(applied - settings.logRetainEntries(), held);
    if (compactTo >= log.firstSeq()) {
      log.compactUpTo(compactTo);
    }
  }

  private void save(long seq, long epoch, byte[] state) {
    PartitionId partition = log.partition();
    try (SnapshotWriter writer = snapshots.create(partition, seq, epoch)) {
      int chunk = (int) settings.snapshotChunkBytes();
      for (int from = 0; from < state.length; from += chunk) {
        writer.write(Arrays.copyOfRange(state, from, Math.min(state.length, from + chunk)));
      }
      writer.commit();
    }
    snapshots.deleteBefore(partition, Math.min(seq, held));
    snapshotSeq = seq;
    snapshotBytes = state.length;
    bytesSinceSnapshot = 0;
  }

  /**
   * Keeps the snapshot at {@code seq} and the log after it while the active sends that snapshot to a
   * replica, which then needs the entries after it: otherwise a transfer slower than the snapshots
   * could start over forever. {@link Long#MAX_VALUE} holds nothing.
   */
  void hold(long seq) {
    held = seq;
  }

  /** The latest snapshot of this copy's state, to send a replica whose entries are compacted away. */
  Optional<SnapshotInfo> latestSnapshot() {
    return snapshots.latest(log.partition());
  }

  /**
   * One chunk of {@code snapshot}.
   *
   * @throws SnapshotDeletedException if a newer snapshot replaced it
   */
  byte[] snapshotChunk(SnapshotInfo snapshot, int index) {
    return snapshot.chunkCount() == 0 ? new byte[0] : snapshots.readChunk(snapshot, index);
  }

  /**
   * Installs a snapshot the active sent: the state up to {@code seq}, whose entry has {@code epoch}.
   * The log after it is kept if it continues the snapshot (its entry at {@code seq} has that epoch),
   * else dropped; call it only when the state machine has not applied {@code seq} yet.
   *
   * @throws dev.cohort.node.kv.MalformedPayloadException if the bytes are not a key-value snapshot
   * @throws IllegalArgumentException if the snapshot is not of {@code seq}, or not ahead of this state
   */
  void install(long seq, long epoch, byte[] state) {
    KvStateMachine restored = KvStateMachine.restore(kvSettings, state);
    if (restored.lastAppliedSeq() != seq || seq <= kv.lastAppliedSeq()) {
      throw new IllegalArgumentException("a snapshot of " + log.partition() + " sent as of seq " + seq + " covers seq "
          + restored.lastAppliedSeq() + "; this copy has applied up to seq " + kv.lastAppliedSeq());
    }
    OptionalLong own = log.epochAt(seq);
    if (own.isPresent() && own.getAsLong() == epoch) {
      log.compactUpTo(seq);
    } else {
      log.resetTo(seq, epoch);
    }
    kv = restored;
    recordCommitted(seq);
    save(seq, epoch, state);
  }

  /** A read of this copy's applied state. */
  Reply read(String table, String key) {
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
