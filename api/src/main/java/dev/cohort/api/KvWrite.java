package dev.cohort.api;

import java.util.Objects;

/**
 * An acknowledged write to a {@link KeyValueTable}: the partition's log holds it on every in-sync
 * copy, and it is applied.
 *
 * @param version the key's version after the write: the seq of the entry that wrote it, at least 1;
 *     0 after a delete, since the key is absent then
 * @param seq the seq of the write's entry in its partition's log
 * @param partition the partition of the key
 */
public record KvWrite(long version, long seq, PartitionId partition) {
  /** @throws NullPointerException if {@code partition} is null */
  public KvWrite {
    Objects.requireNonNull(partition, "partition");
  }

  /** Whether this write was a delete (the key is absent after it). */
  public boolean deleted() {
    return version == 0;
  }
}
