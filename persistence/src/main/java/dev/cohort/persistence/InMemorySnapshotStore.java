package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link SnapshotStore} on the heap, for tests and for nodes that need no durability. Committed
 * snapshots stay in this object, so a test that keeps it across an in-JVM node restart finds them
 * again; nothing survives the JVM. Thread-safe.
 */
public final class InMemorySnapshotStore implements SnapshotStore {
  /** A committed snapshot: its description and its chunks, never changed after commit. */
  private record Stored(SnapshotInfo info, List<byte[]> chunks) {}

  // Guarded by this: per partition, committed snapshots by seq.
  private final Map<PartitionId, NavigableMap<Long, Stored>> snapshots = new HashMap<>();
  private boolean closed;

  private InMemorySnapshotStore() {}

  /** An empty store. */
  public static InMemorySnapshotStore create() {
    return new InMemorySnapshotStore();
  }

  @Override
  public synchronized SnapshotWriter create(PartitionId partition, long seq, long epoch) {
    requireOpen();
    SnapshotInfo.checkPoint(partition, seq, epoch);
    Optional<SnapshotInfo> latest = latest(partition);
    if (latest.isPresent() && seq <= latest.get().seq()) {
      throw new IllegalArgumentException("partition " + partition + ": a new snapshot must cover more than the latest,"
          + " at seq " + latest.get().seq() + ", but was asked for seq " + seq);
    }
    return new Writer(partition, seq, epoch);
  }

  @Override
  public synchronized Optional<SnapshotInfo> latest(PartitionId partition) {
    requireOpen();
    NavigableMap<Long, Stored> bySeq = snapshots.get(partition);
    return bySeq == null || bySeq.isEmpty() ? Optional.empty() : Optional.of(bySeq.lastEntry().getValue().info());
  }

  @Override
  public synchronized byte[] readChunk(SnapshotInfo snapshot, int index) {
    requireOpen();
    NavigableMap<Long, Stored> bySeq = snapshots.get(snapshot.partition());
    Stored stored = bySeq == null ? null : bySeq.get(snapshot.seq());
    // Compare the whole description: a snapshot deleted and written again at the same seq is another one.
    if (stored == null || !stored.info().equals(snapshot)) {
      throw new SnapshotDeletedException(snapshot);
    }
    if (index < 0 || index >= stored.chunks().size()) {
      throw new IndexOutOfBoundsException("the snapshot of " + snapshot.partition() + " at seq " + snapshot.seq()
          + " has chunks 0 to " + (stored.chunks().size() - 1) + ", asked for chunk " + index);
    }
    return stored.chunks().get(index).clone();
  }

  @Override
  public synchronized void deleteBefore(PartitionId partition, long seq) {
    requireOpen();
    NavigableMap<Long, Stored> bySeq = snapshots.get(partition);
    if (bySeq != null) {
      bySeq.headMap(seq, false).clear();
    }
  }

  @Override
  public synchronized void delete(PartitionId partition) {
    requireOpen();
    snapshots.remove(partition);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private synchronized SnapshotInfo commit(Writer writer) {
    requireOpen();
    Optional<SnapshotInfo> latest = latest(writer.partition);
    if (latest.isPresent() && writer.seq <= latest.get().seq()) {
      throw new IllegalStateException("partition " + writer.partition + ": a snapshot at seq " + latest.get().seq()
          + " was committed while this one, at seq " + writer.seq + ", was written; it is discarded");
    }
    SnapshotInfo info = new SnapshotInfo(writer.partition, writer.seq, writer.epoch, writer.size, writer.chunks);
    snapshots.computeIfAbsent(writer.partition, p -> new TreeMap<>())
        .put(writer.seq, new Stored(info, List.copyOf(writer.stored)));
    return info;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the snapshot store is closed");
    }
  }

  /** Collects chunks on the heap until commit. */
  private final class Writer extends ChunkedSnapshotWriter {
    private final List<byte[]> stored = new ArrayList<>();

    Writer(PartitionId partition, long seq, long epoch) {
      super(partition, seq, epoch);
    }

    @Override
    void store(byte[] chunk) {
      stored.add(chunk.clone());
    }

    @Override
    SnapshotInfo committed() {
      return InMemorySnapshotStore.this.commit(this);
    }

    @Override
    void discard() {
      // Nothing was kept outside this writer.
    }
  }
}
