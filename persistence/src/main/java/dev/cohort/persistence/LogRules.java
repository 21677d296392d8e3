package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.List;

/**
 * The argument and state checks of the {@link PartitionLog} contract, shared by its implementations
 * so that every storage refuses the same calls with the same words. Each throws what the contract
 * names, with a message that says which partition, what was expected and what was found.
 */
final class LogRules {
  private LogRules() {}

  /** An append must continue the log: contiguous seqs from {@code lastSeq + 1}, epochs never lower. */
  static void checkContinues(PartitionId partition, List<LogEntry> batch, long lastSeq, long lastEpoch) {
    long expectedSeq = lastSeq + 1;
    long minEpoch = lastEpoch;
    for (int i = 0; i < batch.size(); i++) {
      LogEntry entry = batch.get(i);
      if (entry.seq() != expectedSeq) {
        throw new IllegalArgumentException("partition " + partition + ": append expected seq " + expectedSeq
            + " but found seq " + entry.seq() + " (entry " + i + " of a batch of " + batch.size()
            + "; the log ends at seq " + lastSeq + ")");
      }
      if (entry.epoch() < minEpoch) {
        throw new IllegalArgumentException("partition " + partition + ": append expected epoch " + minEpoch
            + " or later at seq " + expectedSeq + " but found epoch " + entry.epoch() + " (epochs never decrease)");
      }
      expectedSeq++;
      minEpoch = entry.epoch();
    }
  }

  static void checkReadArguments(PartitionId partition, long fromSeq, int maxEntries, long maxBytes) {
    if (fromSeq < 1 || maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("partition " + partition + ": read needs fromSeq, maxEntries and maxBytes of"
          + " at least 1, got fromSeq " + fromSeq + ", maxEntries " + maxEntries + ", maxBytes " + maxBytes);
    }
  }

  static void checkNotNegative(PartitionId partition, String operation, long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("partition " + partition + ": cannot " + operation + " a negative seq, got "
          + seq);
    }
  }

  /** A truncation may not reach below the base, nor drop a committed entry. */
  static void checkTruncation(PartitionId partition, long seq, long baseSeq, long committedSeq) {
    if (seq < baseSeq) {
      throw new LogCompactedException(partition, "truncate the log back to", seq, baseSeq + 1);
    }
    if (seq < committedSeq) {
      throw new IllegalStateException("partition " + partition + ": truncating after seq " + seq
          + " would drop committed entries (committed up to seq " + committedSeq
          + "); lower the committed seq in the meta first if an operator forced this");
    }
  }

  static void checkCompactionWithinLog(PartitionId partition, long seq, long lastSeq) {
    if (seq > lastSeq) {
      throw new IllegalArgumentException("partition " + partition + ": cannot compact up to seq " + seq
          + ", past the log's last seq " + lastSeq + "; install a snapshot ahead of the log with resetTo");
    }
  }

  static void checkResetPoint(PartitionId partition, long seq, long epoch) {
    if (seq < 0 || epoch < 0 || (seq == 0) != (epoch == 0)) {
      throw new IllegalArgumentException("partition " + partition + ": cannot reset the log to seq " + seq + ", epoch "
          + epoch + "; expected seq 0 with epoch 0, or a seq and epoch both from 1");
    }
  }

  static void checkMetaGiven(PartitionId partition, PartitionMeta meta) {
    if (meta == null) {
      throw new IllegalArgumentException("partition " + partition + ": meta must not be null");
    }
  }

  /** The promised epoch never goes down. */
  static void checkPromise(PartitionId partition, PartitionMeta current, PartitionMeta next) {
    if (next.promisedEpoch() < current.promisedEpoch()) {
      throw new IllegalArgumentException("partition " + partition + ": the promised epoch never goes down: expected "
          + current.promisedEpoch() + " or more, found " + next.promisedEpoch());
    }
  }

  /** A partition log has one writer: one open handle at a time. */
  static void checkNotOpen(PartitionId partition, boolean open) {
    if (open) {
      throw new IllegalStateException("the log of partition " + partition
          + " is already open: a partition log has one writer, so close the other handle first");
    }
  }

  /** A snapshot chunk holds at least one byte. */
  static void checkChunk(PartitionId partition, long seq, byte[] chunk) {
    if (chunk.length == 0) {
      throw new IllegalArgumentException("snapshot of " + partition + " at seq " + seq + ": a chunk needs at least one byte");
    }
  }
}
