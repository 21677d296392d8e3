package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The applied state of one partition: ordered key-value pairs (keys compared as unsigned bytes) and
 * the seq of the last log entry applied to them. State machines encode their tables, request memory
 * and journal into the keys; this store knows nothing of them.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>{@link #apply} writes one entry's (or one batch of entries') changes and the new applied seq
 *       atomically: after a crash the store is as of some applied seq, whole, at or after its
 *       {@link #durableSeq()}.
 *   <li>Applied seqs only grow, but for {@link #install}, which replaces the whole state with a copy
 *       sent by the partition's active. An install that did not commit leaves the store empty at
 *       applied seq 0 (also after a crash), never half old and half new.
 *   <li>A {@link View} reads the state as of one applied seq, however much is applied meanwhile: the
 *       active sends a replica a consistent copy while it goes on applying.
 * </ul>
 *
 * <p>One writer at a time (the partition's actor); reads and views from any thread.
 */
public interface StateStore {
  /** The partition. */
  PartitionId partition();

  /** The seq of the last entry applied; 0 if none (a new or emptied store). */
  long appliedSeq();

  /**
   * The applied seq up to which the state survives a crash: after one, the store is as of this seq or
   * later, so the partition's log must keep the entries after it. At most {@link #appliedSeq()}; it
   * catches up at the storage's own pace or on {@link StateStorage#sync()}.
   */
  long durableSeq();

  /** The value of {@code key}, as of {@link #appliedSeq()}. */
  Optional<byte[]> get(byte[] key);

  /**
   * At most {@code max} pairs with keys from {@code fromKey} (inclusive) to {@code toKey} (exclusive),
   * in key order; a null {@code toKey} means to the end.
   */
  List<Map.Entry<byte[], byte[]>> scan(byte[] fromKey, byte[] toKey, int max);

  /**
   * Writes {@code changes} and makes {@code seq} the applied seq, all or nothing.
   *
   * @throws IllegalArgumentException if {@code seq} is not above {@link #appliedSeq()}
   */
  void apply(long seq, Changes changes);

  /** A consistent view of the state as it is now; close it to release what it holds. */
  View view();

  /**
   * Starts replacing the whole state by a copy as of {@code seq}: the store is empty from now until
   * {@link Install#commit()}, pair by pair as the copy arrives.
   */
  Install install(long seq);

  /** The changes of one {@link #apply}: puts and deletes, in order; a later one on the same key wins. */
  final class Changes {
    private final List<Map.Entry<byte[], byte[]>> changes = new ArrayList<>();

    /** Sets {@code key} to {@code value}. */
    public Changes put(byte[] key, byte[] value) {
      changes.add(Map.entry(key.clone(), value.clone()));
      return this;
    }

    /** Sets ({@code value} not null) or removes {@code key}, keeping the arrays: for {@link StateBatch}. */
    void addOwned(byte[] key, byte[] value) {
      changes.add(new AbstractMap.SimpleImmutableEntry<>(key, value));
    }

    /** Removes {@code key}, if present. */
    public Changes delete(byte[] key) {
      changes.add(new AbstractMap.SimpleImmutableEntry<>(key.clone(), null));
      return this;
    }

    /** The changes in order; a null value is a delete. */
    public List<Map.Entry<byte[], byte[]>> list() {
      return Collections.unmodifiableList(changes);
    }
  }

  /** The state as of one applied seq. */
  interface View extends AutoCloseable {
    /** The applied seq the view reflects. */
    long appliedSeq();

    /** As {@link StateStore#scan}, on this view. */
    List<Map.Entry<byte[], byte[]>> scan(byte[] fromKey, byte[] toKey, int max);

    @Override
    void close();
  }

  /** A replacement of the whole state in progress. */
  interface Install {
    /** Adds pairs of the copy. */
    void write(List<Map.Entry<byte[], byte[]>> pairs);

    /** Ends the install: the store holds the copy, as of the install's seq. */
    void commit();
  }
}
