package dev.cohort.persistence;

/**
 * The snapshot asked for is no longer in the store (a newer one replaced it, or the partition was
 * deleted). The remedy is to start again from {@link SnapshotStore#latest}.
 */
public final class SnapshotDeletedException extends RuntimeException {
  private final SnapshotInfo snapshot;

  /** @param snapshot the snapshot that was asked for */
  public SnapshotDeletedException(SnapshotInfo snapshot) {
    super("the snapshot of partition " + snapshot.partition() + " at seq " + snapshot.seq()
        + " is no longer stored; start again from the latest snapshot");
    this.snapshot = snapshot;
  }

  /** The snapshot that was asked for. */
  public SnapshotInfo snapshot() {
    return snapshot;
  }
}
