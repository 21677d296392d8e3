package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A {@link LogStorage} on the heap, for tests and for nodes that need no durability.
 *
 * <p>"Durable" here means: kept by this storage object. A log closed and opened again on the same
 * storage sees its entries, base and meta, which is how an in-JVM test restarts a node with its data;
 * nothing survives the JVM. A log retains at most {@link Integer#MAX_VALUE} - 8 entries between
 * compactions.
 *
 * <p>Thread-safe: every method may be called from any thread. Each log allows its one writer and any
 * number of concurrent readers, as {@link PartitionLog} says.
 */
public final class InMemoryLogStorage implements LogStorage {
  // Guarded by this. Logs stay here while closed; handles are what open and close.
  private final Map<PartitionId, InMemoryPartitionLog.Data> logs = new HashMap<>();
  private final Map<PartitionId, InMemoryPartitionLog> openHandles = new HashMap<>();
  private boolean closed;

  private InMemoryLogStorage() {}

  /** An empty storage. */
  public static InMemoryLogStorage create() {
    return new InMemoryLogStorage();
  }

  @Override
  public synchronized PartitionLog open(PartitionId partition) {
    requireOpen();
    LogRules.checkNotOpen(partition, openHandles.containsKey(partition));
    InMemoryPartitionLog.Data data = logs.computeIfAbsent(partition, p -> new InMemoryPartitionLog.Data());
    InMemoryPartitionLog handle = new InMemoryPartitionLog(partition, data, this::released);
    openHandles.put(partition, handle);
    return handle;
  }

  @Override
  public synchronized SortedSet<PartitionId> partitions() {
    requireOpen();
    return Collections.unmodifiableSortedSet(new TreeSet<>(logs.keySet()));
  }

  @Override
  public synchronized void delete(PartitionId partition) {
    requireOpen();
    if (openHandles.containsKey(partition)) {
      throw new IllegalStateException("cannot delete the log of partition " + partition + " while it is open; close it first");
    }
    logs.remove(partition);
  }

  @Override
  public void close() {
    List<InMemoryPartitionLog> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayList<>(openHandles.values());
    }
    // Outside the monitor: a handle's close takes its log's lock and then calls back into released().
    toClose.forEach(InMemoryPartitionLog::close);
  }

  private synchronized void released(InMemoryPartitionLog handle) {
    openHandles.remove(handle.partition(), handle);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the log storage is closed");
    }
  }
}
