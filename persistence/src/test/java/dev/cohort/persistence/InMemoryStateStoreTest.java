package dev.cohort.persistence;

/** Binds {@link StateStoreContract} to {@link InMemoryStateStorage}. */
class InMemoryStateStoreTest extends StateStoreContract {
  @Override
  protected StateStorage newStorage() {
    return new InMemoryStateStorage();
  }
}
