package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A handle on one partition's log in an {@link InMemoryLogStorage}. The entries live in {@link Data},
 * which the storage keeps across handles so that a reopened log sees what was written.
 */
final class InMemoryPartitionLog implements PartitionLog {
  /** Most entries an {@link ArrayList} can hold safely. */
  private static final int MAX_RETAINED = Integer.MAX_VALUE - 8;

  /** One partition's log state; every field is guarded by {@link #lock}. */
  static final class Data {
    // A read-write lock rather than a monitor: catch-up readers and replay may read in parallel.
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // Retained entries are entries[head, size). Compaction moves head instead of shifting the array
    // each time; the dead prefix is dropped only once it outgrows the live part (amortised O(1)).
    ArrayList<LogEntry> entries = new ArrayList<>();
    int head;
    long baseSeq;
    long baseEpoch;
    PartitionMeta meta = PartitionMeta.EMPTY;

    int retained() {
      return entries.size() - head;
    }

    long lastSeq() {
      return baseSeq + retained();
    }

    long lastEpoch() {
      return retained() == 0 ? baseEpoch : entries.get(entries.size() - 1).epoch();
    }

    /** The entry at {@code seq}, which must be retained. */
    LogEntry at(long seq) {
      return entries.get(head + (int) (seq - baseSeq - 1));
    }
  }

  private final PartitionId partition;
  private final Data data;
  private final Consumer<InMemoryPartitionLog> onClose;
  private final Lock readLock;
  private final Lock writeLock;
  private boolean closed; // guarded by data.lock

  InMemoryPartitionLog(PartitionId partition, Data data, Consumer<InMemoryPartitionLog> onClose) {
    this.partition = partition;
    this.data = data;
    this.onClose = onClose;
    this.readLock = data.lock.readLock();
    this.writeLock = data.lock.writeLock();
  }

  @Override
  public PartitionId partition() {
    return partition;
  }

  @Override
  public void append(List<LogEntry> entries) {
    // Copy first: validation and storage must see the same list even if the caller changes it.
    List<LogEntry> batch = List.copyOf(entries);
    if (batch.isEmpty()) {
      return;
    }
    writeLock.lock();
    try {
      requireOpen();
      LogRules.checkContinues(partition, batch, data.lastSeq(), data.lastEpoch());
      if ((long) data.retained() + batch.size() > MAX_RETAINED) {
        throw new IllegalStateException("the in-memory log of partition " + partition + " would hold more than "
            + MAX_RETAINED + " entries; compact it first");
      }
      data.entries.addAll(batch);
    } finally {
      writeLock.unlock();
    }
  }


  @Override
  public List<LogEntry> read(long fromSeq, int maxEntries, long maxBytes) {
    LogRules.checkReadArguments(partition, fromSeq, maxEntries, maxBytes);
    readLock.lock();
    try {
      requireOpen();
      if (fromSeq <= data.baseSeq) {
        throw new LogCompactedException(partition, "read from", fromSeq, data.baseSeq + 1);
      }
      long lastSeq = data.lastSeq();
      if (fromSeq > lastSeq) {
        return List.of();
      }
      int available = (int) Math.min(maxEntries, lastSeq - fromSeq + 1);
      List<LogEntry> out = new ArrayList<>(Math.min(available, 1024));
      long bytes = 0;
      for (long seq = fromSeq; out.size() < available; seq++) {
        LogEntry entry = data.at(seq);
        bytes += entry.sizeInBytes();
        if (bytes > maxBytes && !out.isEmpty()) {
          break;
        }
        out.add(entry);
      }
      return Collections.unmodifiableList(out);
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public long firstSeq() {
    readLock.lock();
    try {
      requireOpen();
      return data.baseSeq + 1;
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public long lastSeq() {
    readLock.lock();
    try {
      requireOpen();
      return data.lastSeq();
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public long lastEpoch() {
    readLock.lock();
    try {
      requireOpen();
      return data.lastEpoch();
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public OptionalLong epochAt(long seq) {
    readLock.lock();
    try {
      requireOpen();
      if (seq == data.baseSeq) {
        return OptionalLong.of(data.baseEpoch);
      }
      if (seq < data.baseSeq || seq > data.lastSeq()) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(data.at(seq).epoch());
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public void truncateAfter(long seq) {
    LogRules.checkNotNegative(partition, "truncate after", seq);
    writeLock.lock();
    try {
      requireOpen();
      if (seq >= data.lastSeq()) {
        return;
      }
      LogRules.checkTruncation(partition, seq, data.baseSeq, data.meta.committedSeq());
      int keep = (int) (seq - data.baseSeq);
      data.entries.subList(data.head + keep, data.entries.size()).clear();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void compactUpTo(long seq) {
    LogRules.checkNotNegative(partition, "compact up to", seq);
    writeLock.lock();
    try {
      requireOpen();
      LogRules.checkCompactionWithinLog(partition, seq, data.lastSeq());
      if (seq <= data.baseSeq) {
        return;
      }
      int drop = (int) (seq - data.baseSeq);
      data.baseEpoch = data.at(seq).epoch();
      data.baseSeq = seq;
      // Null the slots so the compacted entries can be collected before the prefix is cut off.
      for (int i = data.head; i < data.head + drop; i++) {
        data.entries.set(i, null);
      }
      data.head += drop;
      if (data.head >= data.retained()) {
        data.entries.subList(0, data.head).clear();
        data.head = 0;
      }
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void resetTo(long seq, long epoch) {
    LogRules.checkResetPoint(partition, seq, epoch);
    writeLock.lock();
    try {
      requireOpen();
      // A fresh list, not clear(): clear() would keep the old capacity for a log that may stay small.
      data.entries = new ArrayList<>();
      data.head = 0;
      data.baseSeq = seq;
      data.baseEpoch = epoch;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public PartitionMeta readMeta() {
    readLock.lock();
    try {
      requireOpen();
      return data.meta;
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public void append(List<LogEntry> entries, PartitionMeta meta) {
    LogRules.checkMetaGiven(partition, meta);
    writeLock.lock(); // reentrant: the append below takes it again
    try {
      requireOpen();
      LogRules.checkPromise(partition, data.meta, meta);
      append(entries);
      data.meta = meta;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void writeMeta(PartitionMeta meta) {
    LogRules.checkMetaGiven(partition, meta);
    writeLock.lock();
    try {
      requireOpen();
      LogRules.checkPromise(partition, data.meta, meta);
      data.meta = meta;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      writeLock.unlock();
    }
    onClose.accept(this);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the log of partition " + partition + " is closed");
    }
  }

  @Override
  public String toString() {
    return "InMemoryPartitionLog[" + partition + "]";
  }
}
