package dev.cohort.node.replication;

/** When an entry counts as committed, so that its caller may be answered and it may be applied. */
public enum CommitPolicy {
  /**
   * When the active and every member of the in-sync set have it durable. Any in-sync replica the
   * coordinator promotes then holds every committed entry; a replica that stops acknowledging
   * blocks commits until the coordinator removes it from the in-sync set (DESIGN step 5).
   */
  ALL_IN_SYNC,

  /**
   * When a majority of the placement's nodes (active and replicas) have it durable; only in-sync
   * replicas' acknowledgements count. One slow replica does not block commits, but a committed
   * entry may be missing on some in-sync replicas: failover must then promote the most up-to-date
   * in-sync replica among a majority, not simply the first one.
   */
  MAJORITY_OF_PLACEMENT;

  /**
   * Whether every in-sync copy holds every committed entry, so that any one of them may take a
   * partition over alone, as when an unavailable partition is revived by the first of its in-sync
   * holders to come back; otherwise all of them must report first.
   */
  public boolean anyInSyncCopyHoldsEveryCommittedEntry() {
    return this == ALL_IN_SYNC;
  }
}
