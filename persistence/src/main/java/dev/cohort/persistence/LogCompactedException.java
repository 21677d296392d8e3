package dev.cohort.persistence;

import dev.cohort.api.PartitionId;

/**
 * A log operation reached below the log's first retained entry: those entries are compacted into a
 * snapshot and the log cannot answer for them. The remedy is a snapshot at or after {@link
 * #firstSeq()} - 1 (install it with {@link PartitionLog#resetTo}, or send it to the replica that
 * asked), then the log after it.
 */
public final class LogCompactedException extends RuntimeException {
  private final PartitionId partition;
  private final long seq;
  private final long firstSeq;

  /**
   * @param partition the log's partition
   * @param operation what was asked, for the message, such as {@code "read from"}
   * @param seq the seq asked for
   * @param firstSeq the log's first retained seq at the time
   */
  public LogCompactedException(PartitionId partition, String operation, long seq, long firstSeq) {
    super("partition " + partition + ": cannot " + operation + " seq " + seq + ": entries up to seq " + (firstSeq - 1)
        + " are compacted into a snapshot (the log starts at seq " + firstSeq + "); use a snapshot at seq "
        + (firstSeq - 1) + " or later and the log after it");
    this.partition = partition;
    this.seq = seq;
    this.firstSeq = firstSeq;
  }

  /** The log's partition. */
  public PartitionId partition() {
    return partition;
  }

  /** The seq that was asked for. */
  public long seq() {
    return seq;
  }

  /** The log's first retained seq when the operation was refused. */
  public long firstSeq() {
    return firstSeq;
  }
}
