package dev.cohort.persistence;

/**
 * The small durable record a partition's copy keeps beside its log, for the replication layer.
 *
 * <p>Both values start at 0 ("nothing"). {@link PartitionLog#writeMeta} refuses to lower {@code
 * promisedEpoch}: a copy never takes back a promise, not even across a restart.
 *
 * @param promisedEpoch the highest epoch this copy has promised to follow; a replica refuses
 *     replication from an older epoch, which is how a deposed active is kept out after a restart
 * @param committedSeq the highest seq this copy knows to be committed; a lower bound, which may lag
 *     the truth (the active tells it again), but entries at or below it are never dropped by {@link
 *     PartitionLog#truncateAfter}
 */
public record PartitionMeta(long promisedEpoch, long committedSeq) {
  /** The meta of a partition copy that has promised nothing and knows of no commit. */
  public static final PartitionMeta EMPTY = new PartitionMeta(0, 0);

  /** @throws IllegalArgumentException on a negative value */
  public PartitionMeta {
    if (promisedEpoch < 0) {
      throw new IllegalArgumentException("promised epoch must be >= 0, got " + promisedEpoch);
    }
    if (committedSeq < 0) {
      throw new IllegalArgumentException("committed seq must be >= 0, got " + committedSeq);
    }
  }

  /** This meta with another promised epoch. */
  public PartitionMeta withPromisedEpoch(long epoch) {
    return new PartitionMeta(epoch, committedSeq);
  }

  /** This meta with another committed seq. */
  public PartitionMeta withCommittedSeq(long seq) {
    return new PartitionMeta(promisedEpoch, seq);
  }
}
