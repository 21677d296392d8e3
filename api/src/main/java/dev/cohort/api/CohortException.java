package dev.cohort.api;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why Cohort refused or could not finish a request. Each kind carries the facts a caller needs to
 * act on it and a stable {@link #code()}, which the HTTP API returns as its {@code code} field.
 */
public abstract sealed class CohortException extends RuntimeException {
  private final String code;

  private CohortException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** The stable code of this kind of error, such as {@code quorum-lost}. */
  public String code() {
    return code;
  }

  /** The node serving a partition cannot see its node group's quorum, so it acts for nothing. */
  public static final class QuorumLost extends CohortException {
    private final NodeGroup group;
    private final int seen;
    private final int needed;

    /**
     * @param group the node group whose quorum is lost
     * @param seen how many of its roster nodes the serving node can reach
     * @param needed how many quorum needs
     */
    public QuorumLost(NodeGroup group, int seen, int needed) {
      super("quorum-lost", "node group " + group + " has lost quorum: " + seen + " of " + needed + " needed nodes seen");
      this.group = group;
      this.seen = seen;
      this.needed = needed;
    }

    public NodeGroup group() {
      return group;
    }

    public int seen() {
      return seen;
    }

    public int needed() {
      return needed;
    }
  }

  /** No node can serve the partition now, and Cohort will not guess rather than lose writes. */
  public static final class PartitionUnavailable extends CohortException {
    private final PartitionId partition;

    /**
     * @param partition the partition
     * @param reason why it is unavailable, for a person
     */
    public PartitionUnavailable(PartitionId partition, String reason) {
      super("partition-unavailable", "partition " + partition + " is unavailable: " + reason);
      this.partition = partition;
    }

    public PartitionId partition() {
      return partition;
    }
  }

  /** A value over the configured maximum; nothing was written. */
  public static final class TooLarge extends CohortException {
    private final long size;
    private final long max;

    /**
     * @param size the value's size in bytes
     * @param max the largest value allowed, in bytes
     */
    public TooLarge(long size, long max) {
      super("too-large", "value of " + size + " bytes is over the maximum of " + max + " bytes; nothing was written");
      this.size = size;
      this.max = max;
    }

    public long size() {
      return size;
    }

    public long max() {
      return max;
    }
  }

  /** A table that is not declared. */
  public static final class UnknownTable extends CohortException {
    private final String table;

    /**
     * @param table the name asked for
     * @param known the declared tables
     */
    public UnknownTable(String table, Set<String> known) {
      super("unknown-table", "unknown table '" + table + "'; declared tables: " + new TreeSet<>(known));
      this.table = table;
    }

    public String table() {
      return table;
    }
  }

  /** A compare-and-set whose expected version is not the current one; nothing was written. */
  public static final class VersionConflict extends CohortException {
    private final long expected;
    private final Optional<Long> current;

    /**
     * @param expected the version the caller expected
     * @param current the key's current version, empty if the key is absent
     */
    public VersionConflict(long expected, Optional<Long> current) {
      super("version-conflict", "expected version " + expected + " but the current version is "
          + current.map(String::valueOf).orElse("none (the key is absent)"));
      this.expected = expected;
      this.current = current;
    }

    public long expected() {
      return expected;
    }

    public Optional<Long> current() {
      return current;
    }
  }

  /** Too many requests in flight on this node; try again later. */
  public static final class Overloaded extends CohortException {
    private final int limit;

    /** @param limit the most requests this node keeps in flight */
    public Overloaded(int limit) {
      super("overloaded", "this node already has " + limit + " requests in flight; try again later");
      this.limit = limit;
    }

    public int limit() {
      return limit;
    }
  }

  /** No answer in time. The request may or may not have taken effect. */
  public static final class Timeout extends CohortException {
    private final Duration after;

    /** @param after how long the caller waited */
    public Timeout(Duration after) {
      super("timeout", "no answer within " + after.toMillis() + " ms; the request may or may not have taken effect");
      this.after = after;
    }

    public Duration after() {
      return after;
    }
  }

  /**
   * The node asked is not the active of the partition for that epoch. The router retries at the
   * active the table names; callers see this only if retries run out.
   */
  public static final class NotActive extends CohortException {
    private final PartitionId partition;
    private final Epoch epoch;
    private final Optional<NodeName> active;

    /**
     * @param partition the partition
     * @param epoch the epoch the request was sent for
     * @param active the active the answering node knows of, if any
     */
    public NotActive(PartitionId partition, Epoch epoch, Optional<NodeName> active) {
      super("not-active", "not the active of " + partition + " in epoch " + epoch
          + active.map(a -> "; the active is " + a).orElse(""));
      this.partition = partition;
      this.epoch = epoch;
      this.active = active;
    }

    public PartitionId partition() {
      return partition;
    }

    public Epoch epoch() {
      return epoch;
    }

    public Optional<NodeName> active() {
      return active;
    }
  }
}
