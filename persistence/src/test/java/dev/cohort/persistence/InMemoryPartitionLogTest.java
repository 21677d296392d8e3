package dev.cohort.persistence;

/** Binds {@link PartitionLogContract} to {@link InMemoryLogStorage}. */
class InMemoryPartitionLogTest extends PartitionLogContract {
  @Override
  protected LogStorage newStorage() {
    return InMemoryLogStorage.create();
  }

  /** The in-memory storage keeps its data in the object, so a restarted node keeps the object. */
  @Override
  protected LogStorage restart(LogStorage storage) {
    return storage;
  }
}
