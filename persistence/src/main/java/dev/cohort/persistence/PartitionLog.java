package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.List;
import java.util.OptionalLong;

/**
 * The log of one partition on one node: the entries the partition's state machines apply, in seq
 * order, each stamped with the epoch it was sequenced in. Obtained from {@link LogStorage#open}.
 *
 * <h2>Positions</h2>
 *
 * <p>Seqs start at 1 and are contiguous; seq 0 and epoch 0 mean "nothing". The log retains the
 * entries with seq in {@code [firstSeq(), lastSeq()]}, both ends inclusive; it is empty when {@code
 * firstSeq() == lastSeq() + 1}. Entries below {@code firstSeq()} are <em>compacted</em>: a snapshot
 * covers them and the log no longer answers for them.
 *
 * <p>The log also remembers the epoch of the entry at {@code firstSeq() - 1}, the <em>base</em>, even
 * though it no longer holds that entry: after {@link #compactUpTo}, after {@link #resetTo}, and on a
 * new log (where the base is seq 0, epoch 0). So {@code epochAt(s)} answers for every {@code s} in
 * {@code [firstSeq() - 1, lastSeq()]}, which is what the "previous entry" check of replication needs:
 * a replica takes entries that follow {@code (prevSeq, prevEpoch)} only if {@code epochAt(prevSeq)}
 * is {@code prevEpoch}; the very first entries of a partition follow {@code (0, 0)}. An empty log
 * reports its base as {@code lastSeq()} and {@code lastEpoch()}, so a log compacted or reset to
 * {@code (s, e)} continues at {@code s + 1} with epochs from {@code e}.
 *
 * <h2>Stages of an entry: appended → durable → committed → applied</h2>
 *
 * <ul>
 *   <li><b>appended</b>: accepted by {@link #append}; counted in {@link #lastSeq()} and visible to
 *       {@link #read} on every thread.
 *   <li><b>durable</b>: written to the storage so that it survives a restart as far as the storage
 *       promises (in memory: closing and reopening the log on the same {@link LogStorage}; on disk:
 *       what the storage's fsync policy says). {@code append} returns only once its entries are
 *       appended <em>and</em> durable, so to a caller the two stages are reached together, on return.
 *       The same holds for every other mutation here.
 *   <li><b>committed</b>: durable on every copy that the commit rule counts (the in-sync set, or a
 *       majority of the placement). Only the replication layer knows this; it may record a committed
 *       seq it knows in {@link PartitionMeta#committedSeq()} (a lower bound of the highest one).
 *   <li><b>applied</b>: the partition's state machines have applied it, in seq order. Tracked by the
 *       state machines and their snapshots, not here.
 * </ul>
 *
 * <p>The log knows only the first two stages. It drops entries only when told: {@link #truncateAfter}
 * (an uncommitted tail that the new active lacks, never at or below the recorded committed seq),
 * {@link #compactUpTo} (entries a durable snapshot covers) and {@link #resetTo} (every entry, when a
 * snapshot replaces the log).
 *
 * <h2>One writer, many readers</h2>
 *
 * <p>The mutating methods ({@link #append}, {@link #truncateAfter}, {@link #compactUpTo}, {@link
 * #resetTo}, {@link #writeMeta}, {@link #close}) are called by the partition's single writer, one call
 * at a time: the sequencer on the active node, or the replica follower on a replica node.
 * Implementations may rely on this and need not order concurrent writers; {@link LogStorage#open}
 * refuses a second handle on an open log. The reading methods ({@link #read}, {@link #firstSeq},
 * {@link #lastSeq}, {@link #lastEpoch}, {@link #epochAt}, {@link #readMeta}, {@link #partition}) may be
 * called from any thread, concurrently with the writer. Each mutation is atomic to them: a reader sees
 * the log before it or after it, never half of a batch. Separate calls are not one snapshot: a
 * compaction between {@code firstSeq()} and {@code read(...)} makes the read throw {@link
 * LogCompactedException}, which a reader racing the writer must handle.
 *
 * <h2>Errors</h2>
 *
 * <ul>
 *   <li>{@link IllegalArgumentException}: the call breaks this contract (a gap, a repeated seq, a
 *       lower epoch, a bad limit); the message names what was expected and what was found, and
 *       nothing changed.
 *   <li>{@link LogCompactedException}: the seq asked for is compacted; use a snapshot instead.
 *   <li>{@link IllegalStateException}: the log is closed, or the call would drop a committed entry.
 *   <li>A storage failure surfaces as an unchecked exception of the implementation (such as {@link
 *       java.io.UncheckedIOException}); the log is then as before the call or as after it.
 * </ul>
 */
public interface PartitionLog extends AutoCloseable {

  /** The partition whose log this is. */
  PartitionId partition();

  /**
   * Appends a batch that continues the log, as one storage write (group commit: the caller batches,
   * the log writes the batch at once). Returns once the entries are appended and durable.
   *
   * <p>The batch must start at {@code lastSeq() + 1} and be contiguous; its epochs must not decrease,
   * from {@code lastEpoch()} on. An empty batch changes nothing. The log keeps its own copy of the
   * list, so the caller may reuse it.
   *
   * @param entries the entries, in seq order
   * @throws IllegalArgumentException on a gap, a repeated seq or a lower epoch, naming the expected
   *     and the found seq or epoch; nothing of the batch is appended
   */
  void append(List<LogEntry> entries);

  /**
   * {@link #append(List)} and {@link #writeMeta} in one storage write where the storage can: the
   * replication layer records its commit position with the next batch instead of on its own.
   *
   * @throws IllegalArgumentException as either would; then nothing is written
   */
  void append(List<LogEntry> entries, PartitionMeta meta);

  /**
   * The retained entries from {@code fromSeq} (inclusive) on, in seq order, at most {@code maxEntries}
   * of them and at most {@code maxBytes} by {@link LogEntry#sizeInBytes()} in total, except that the
   * entry at {@code fromSeq}, if there is one, is always returned, however large. Empty when {@code
   * fromSeq > lastSeq()}. The returned list is unmodifiable and does not change with the log.
   *
   * @param fromSeq the first seq wanted, from 1
   * @param maxEntries the most entries to return, from 1
   * @param maxBytes the most bytes to return, from 1
   * @throws LogCompactedException if {@code fromSeq < firstSeq()}: the reader needs a snapshot
   * @throws IllegalArgumentException if {@code fromSeq}, {@code maxEntries} or {@code maxBytes} is
   *     below 1
   */
  List<LogEntry> read(long fromSeq, int maxEntries, long maxBytes);

  /** The first retained seq; {@code lastSeq() + 1} when the log is empty. Starts at 1. */
  long firstSeq();

  /** The seq of the last entry, or of the base ({@code firstSeq() - 1}) when the log is empty. */
  long lastSeq();

  /** The epoch of the entry at {@link #lastSeq()}, from the base when the log is empty. */
  long lastEpoch();

  /**
   * The epoch of the entry at {@code seq}, for every {@code seq} in {@code [firstSeq() - 1,
   * lastSeq()]}: the retained entries and the base. Empty outside that range (compacted beyond the
   * base, or not appended yet). On a new log, {@code epochAt(0)} is 0.
   */
  OptionalLong epochAt(long seq);

  /**
   * Drops every entry with a seq above {@code seq}: a replica dropping a tail that the new active
   * lacks (the active changed and the tail was never committed). Nothing happens when {@code seq >=
   * lastSeq()}. Afterwards {@code lastSeq() == seq} and {@code lastEpoch() == epochAt(seq)}.
   *
   * @throws LogCompactedException if {@code seq < firstSeq() - 1}: the log cannot go back to a point
   *     a snapshot has replaced
   * @throws IllegalStateException if {@code seq} is below {@link PartitionMeta#committedSeq()} of
   *     {@link #readMeta()}: committed entries are never dropped (lower the recorded committed seq
   *     first, as an explicit, logged decision, if an operator forced that)
   * @throws IllegalArgumentException if {@code seq < 0}
   */
  void truncateAfter(long seq);

  /**
   * Drops every entry with seq at or below {@code seq}, because a snapshot covers them; call it only
   * once that snapshot is durable. Afterwards {@code firstSeq() == seq + 1}, {@code epochAt(seq)}
   * still answers (it is the new base) and {@code lastSeq()} is unchanged. Nothing happens when
   * {@code seq < firstSeq()}, that is, when those entries are already gone.
   *
   * @throws IllegalArgumentException if {@code seq > lastSeq()} (to move past the log's end, install
   *     the snapshot with {@link #resetTo}) or {@code seq < 0}
   */
  void compactUpTo(long seq);

  /**
   * Makes the log empty and continues it after {@code (seq, epoch)}: a replica installing a snapshot
   * taken at {@code seq}, whose entries are all obsolete. Afterwards {@code firstSeq() == seq + 1},
   * {@code lastSeq() == seq}, {@code lastEpoch() == epoch} and {@code epochAt(seq) == epoch}. {@code
   * seq} may be below, at or above the old {@code lastSeq()}. The meta is not changed.
   *
   * @param seq the snapshot's seq, 0 for an empty log that starts afresh
   * @param epoch the epoch of the entry at {@code seq}; 0 exactly when {@code seq} is 0
   * @throws IllegalArgumentException on a negative seq, or an epoch that does not fit it
   */
  void resetTo(long seq, long epoch);

  /** The partition's durable meta; {@link PartitionMeta#EMPTY} until first written. */
  PartitionMeta readMeta();

  /**
   * Replaces the partition's meta, durably: it survives what the entries survive.
   *
   * @throws IllegalArgumentException if {@code meta} lowers the promised epoch
   */
  void writeMeta(PartitionMeta meta);

  /**
   * Releases this handle; the data stays in its {@link LogStorage}. Every later call except {@code
   * close} and {@code partition} throws {@link IllegalStateException}. Closing twice does nothing.
   */
  @Override
  void close();
}
