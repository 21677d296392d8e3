package dev.cohort.persistence;

/** Binds {@link SnapshotStoreContract} to {@link InMemorySnapshotStore}. */
class InMemorySnapshotStoreTest extends SnapshotStoreContract {
  @Override
  protected SnapshotStore newStore() {
    return InMemorySnapshotStore.create();
  }

  /** The in-memory store keeps its data in the object, so a restarted node keeps the object. */
  @Override
  protected SnapshotStore restart(SnapshotStore store) {
    return store;
  }
}
