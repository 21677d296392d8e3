package dev.cohort.api;

/** How fresh a read of a {@link KeyValueTable} must be, and so where it is answered. */
public enum ReadConsistency {
  /**
   * At the partition's active, after it confirmed it is still the active for its epoch: the read
   * sees every write acknowledged before it was sent. The default.
   */
  LINEARIZABLE,

  /**
   * At this node's own copy of the partition if it holds one (the active or a replica, in sync or
   * catching up), else at the active, without confirming anything: cheaper and available while the
   * partition has no quorum or no active, but possibly older than the latest acknowledged write. It
   * is never older than that copy's last applied entry, and {@link KvValue#seq()} says which entry
   * that is.
   */
  ANY_REPLICA
}
