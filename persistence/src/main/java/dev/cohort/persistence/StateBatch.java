package dev.cohort.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Changes to a {@link StateStore} gathered over several log entries and written as one {@link
 * StateStore#apply}: a state machine applies a batch of committed entries with one storage write
 * instead of one per entry. Reads through the batch see its changes, so an entry sees what the
 * entries before it in the same batch wrote.
 *
 * <p>The changes are kept by key in a hash map, because a batch of thousands of entries is mostly
 * written and seldom scanned; they are sorted for the first scan of a batch, and kept sorted from
 * then on until its commit.
 *
 * <p>Single-threaded, like the store's writer.
 */
public final class StateBatch {
  /** Marks a key deleted in the batch; compared by identity. */
  private static final byte[] DELETED = new byte[0];
  /** How many pairs {@link #forEach} reads at a time. */
  private static final int PAGE_PAIRS = 1024;

  private final StateStore store;
  private final HashMap<Key, byte[]> pending = new HashMap<>();
  private NavigableMap<byte[], byte[]> sorted; // the pending changes in key order, once a scan needed them
  private int deletes;

  /** An empty batch over {@code store}. */
  public StateBatch(StateStore store) {
    this.store = store;
  }

  /** The store the batch is written to. */
  public StateStore store() {
    return store;
  }

  /** The value of {@code key}: the batch's change if it has one, else the store's. */
  public Optional<byte[]> get(byte[] key) {
    byte[] staged = pending.get(new Key(key));
    if (staged == null) {
      return store.get(key);
    }
    return staged == DELETED ? Optional.empty() : Optional.of(staged);
  }

  /**
   * As {@link StateStore#scan}, with the batch's changes over the store's pairs.
   */
  public List<Map.Entry<byte[], byte[]>> scan(byte[] fromKey, byte[] toKey, int max) {
    if (pending.isEmpty()) {
      return store.scan(fromKey, toKey, max);
    }
    NavigableMap<byte[], byte[]> staged = toKey == null ? sorted().tailMap(fromKey, true)
        : sorted().subMap(fromKey, true, toKey, false);
    if (staged.isEmpty()) {
      return store.scan(fromKey, toKey, max);
    }
    // Every delete in range can hide one stored pair: read that many more, and the first max of the
    // merge are right (a stored pair past the page sorts after every pair the page keeps).
    int hidden = (int) Math.min(Integer.MAX_VALUE - (long) max, Math.min(deletes, staged.size()));
    NavigableMap<byte[], byte[]> merged = new TreeMap<>(Arrays::compareUnsigned);
    for (var pair : store.scan(fromKey, toKey, max + hidden)) {
      merged.put(pair.getKey(), pair.getValue());
    }
    for (var change : staged.entrySet()) {
      if (change.getValue() == DELETED) {
        merged.remove(change.getKey());
      } else {
        merged.put(change.getKey(), change.getValue());
      }
    }
    var found = new ArrayList<Map.Entry<byte[], byte[]>>(Math.min(max, merged.size()));
    for (var pair : merged.entrySet()) {
      if (found.size() >= max) {
        break;
      }
      found.add(pair);
    }
    return found;
  }

  /**
   * Gives {@code action} every pair from {@code fromKey} (inclusive) to {@code toKey} (exclusive), in
   * key order, reading them in pages; the action may change the batch, and changes to keys it has
   * not reached yet show.
   */
  public void forEach(byte[] fromKey, byte[] toKey, BiConsumer<byte[], byte[]> action) {
    byte[] from = fromKey;
    while (true) {
      List<Map.Entry<byte[], byte[]>> page = scan(from, toKey, PAGE_PAIRS);
      for (var pair : page) {
        action.accept(pair.getKey(), pair.getValue());
      }
      if (page.size() < PAGE_PAIRS) {
        return;
      }
      byte[] last = page.get(page.size() - 1).getKey();
      from = Arrays.copyOf(last, last.length + 1); // the first key after it
    }
  }

  /** Sets {@code key} to {@code value} in the batch, which keeps both arrays: do not change them. */
  public void put(byte[] key, byte[] value) {
    pending.put(new Key(key), value);
    if (sorted != null) {
      sorted.put(key, value);
    }
  }

  /** Deletes {@code key} in the batch, which keeps the array: do not change it. */
  public void delete(byte[] key) {
    if (pending.put(new Key(key), DELETED) != DELETED) {
      deletes++;
    }
    if (sorted != null) {
      sorted.put(key, DELETED);
    }
  }

  /**
   * Writes the batch's changes with {@code seq} as the store's applied seq, in one {@link
   * StateStore#apply}, and starts an empty batch.
   *
   * @throws IllegalArgumentException if {@code seq} is not above the store's applied seq; the batch
   *     is kept
   */
  public void commit(long seq) {
    var changes = new StateStore.Changes();
    for (var change : pending.entrySet()) {
      changes.addOwned(change.getKey().bytes(), change.getValue() == DELETED ? null : change.getValue());
    }
    store.apply(seq, changes);
    pending.clear();
    sorted = null;
    deletes = 0;
  }

  private NavigableMap<byte[], byte[]> sorted() {
    if (sorted == null) {
      sorted = new TreeMap<>(Arrays::compareUnsigned);
      pending.forEach((key, value) -> sorted.put(key.bytes(), value));
    }
    return sorted;
  }

  /** A key of the batch, compared by its bytes. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }
}
