package dev.cohort.node.internal.partition;

import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.kv.KvCommandCodec;
import dev.cohort.node.kv.KvRead;
import dev.cohort.node.kv.KvResult;
import dev.cohort.node.kv.KvStateMachine;
import dev.cohort.node.kv.Rejection;
import dev.cohort.node.replication.LogView;
import dev.cohort.persistence.LogEntry;
import dev.cohort.persistence.PartitionLog;
import dev.cohort.persistence.PartitionMeta;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one node holds of a partition, whatever its role: the log, the key-value state machine
 * that applies it, and the commit position it knows. Entries are applied in seq order as they
 * commit; an entry with an empty payload is a new active's opening entry and is skipped.
 * Single-threaded: owned by the partition's actor.
 */
final class PartitionState implements LogView {
  private static final int APPLY_CHUNK = 4096;

  private final PartitionLog log;
  private final KvStateMachine kv;
  private PartitionMeta meta;

  PartitionState(PartitionLog log, KvStateMachine kv) {
    this.log = log;
    this.kv = kv;
    this.meta = log.readMeta();
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
    }
  }

  /**
   * Applies committed entries up to {@code committed} (not past the log's end) and returns the
   * results of the key-value commands among them, by seq.
   */
  Map<Long, KvResult> commitTo(long committed) {
    long upTo = Math.min(committed, log.lastSeq());
    if (upTo > meta.committedSeq()) {
      meta = meta.withCommittedSeq(upTo);
      log.writeMeta(meta);
    }
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
          results.put(entry.seq(), kv.apply(entry.seq(), KvCommandCodec.decode(entry.payload())));
        }
      }
    }
    return results;
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
