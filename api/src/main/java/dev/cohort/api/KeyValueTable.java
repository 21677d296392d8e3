package dev.cohort.api;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A replicated key-value table declared under {@code cohort.tables}: keys are strings, values are
 * bytes, and every key has a version that grows with each write. Each key lives on one partition of
 * the table's partition group; its writes are ordered by that partition's active node and
 * acknowledged only once every in-sync copy holds them.
 *
 * <p>Any cluster member may call any method from any thread; calls never block. Every answer is a
 * {@link CompletionStage}. A failed call completes it exceptionally with a {@link CohortException}
 * (possibly wrapped in a {@link java.util.concurrent.CompletionException}, as stages do):
 *
 * <ul>
 *   <li>{@link CohortException.TooLarge}: the value is over {@link #maxValueBytes()}; nothing was
 *       sent or written.
 *   <li>{@link CohortException.VersionConflict}: a compare-and-set found another version.
 *   <li>{@link CohortException.PartitionUnavailable}: no node can serve the key's partition now
 *       (the message says which partition and why).
 *   <li>{@link CohortException.QuorumLost}: the active cannot see its node group's quorum.
 *   <li>{@link CohortException.Overloaded}: this node already has its maximum of requests in flight.
 *   <li>{@link CohortException.Timeout}: no answer within {@code cohort.client.request-timeout}; a
 *       write may or may not have taken effect.
 * </ul>
 *
 * <p>While the key's partition changes active (failover, rebalance), calls are retried at the new
 * active under the same request id, so a write is applied at most once however often it is sent.
 * Null arguments throw {@link NullPointerException} at once.
 *
 * <p>The stages complete on Cohort's own threads, and callbacks attached without an executor run
 * there: keep them short and never block in them (no {@code join()}, no blocking I/O), or the
 * node's requests wait behind them. Attach slow work with the {@code ...Async} methods and an
 * executor of your own.
 */
public interface KeyValueTable {

  /** The table's name, as declared under {@code cohort.tables}. */
  String name();

  /** The partition group the table lives on. */
  String partitionGroup();

  /** The largest value, in bytes, that a write may carry. */
  int maxValueBytes();

  /**
   * Sets {@code key} to {@code value}, whatever it was.
   *
   * @param key the key
   * @param value the value; read before this method returns, so the caller may reuse the array
   * @return the acknowledged write: the key's new version, the entry's seq and the partition
   */
  CompletionStage<KvWrite> put(String key, byte[] value);

  /**
   * Sets {@code key} to {@code value} only if the key exists at exactly {@code expectedVersion};
   * otherwise writes nothing and fails with {@link CohortException.VersionConflict}, which names
   * the current version (empty if the key is absent).
   *
   * @param key the key
   * @param expectedVersion the version the caller last read
   * @param value the value; read before this method returns, so the caller may reuse the array
   * @return the acknowledged write: the key's new version, the entry's seq and the partition
   */
  CompletionStage<KvWrite> compareAndSet(String key, long expectedVersion, byte[] value);

  /**
   * Removes {@code key}; succeeds whether or not the key was present.
   *
   * @param key the key
   * @return the acknowledged write, with version 0 ({@link KvWrite#deleted()}), the entry's seq and
   *     the partition
   */
  CompletionStage<KvWrite> delete(String key);

  /**
   * Reads {@code key} at the partition's active, linearizably: the answer reflects every write
   * acknowledged before this call. The same as {@code get(key, ReadConsistency.LINEARIZABLE)}.
   *
   * @param key the key
   * @return the value with its version and the seq it reflects, or empty if the key is absent
   */
  default CompletionStage<Optional<KvValue>> get(String key) {
    return get(key, ReadConsistency.LINEARIZABLE);
  }

  /**
   * Reads {@code key} with the given consistency. With {@link ReadConsistency#ANY_REPLICA} the read
   * is answered by this node's own copy of the partition if it holds one, else by the active; it
   * may miss recent writes but is never older than the answering copy's last applied entry, which
   * {@link KvValue#seq()} names.
   *
   * @param key the key
   * @param consistency where the read may be answered
   * @return the value with its version and the seq it reflects, or empty if the key is absent
   */
  CompletionStage<Optional<KvValue>> get(String key, ReadConsistency consistency);
}
