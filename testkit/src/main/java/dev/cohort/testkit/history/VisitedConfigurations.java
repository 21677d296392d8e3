package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations a linearization search has visited, for pruning: a configuration is the set
 * of operations taken to have happened and the state they left.
 *
 * <p>A configuration is also pruned when one with the same definite operations and state, but only
 * a subset of its unknown-outcome ones, was visited: anything that can follow the larger one can
 * follow the smaller, since an unknown operation may always be left out. Without this, every
 * unknown write overwritten later would double the configurations.
 */
final class VisitedConfigurations {
  private final Map<Key, List<long[]>> unknownSets = new HashMap<>();
  private long size;

  /**
   * Records a configuration and returns true, or returns false if it is covered by one recorded
   * before.
   *
   * @param definite the operations with a known result taken so far, by definite index
   * @param unknown the operations with an unknown outcome taken so far, by unknown index
   */
  boolean add(BitSet definite, BitSet unknown, Object state) {
    List<long[]> seen = unknownSets.computeIfAbsent(Key.of(definite, state), k -> new ArrayList<>(1));
    long[] words = unknown.toLongArray();
    for (long[] smaller : seen) {
      if (subset(smaller, words)) {
        return false;
      }
    }
    seen.add(words);
    size++;
    return true;
  }

  /** How many configurations were recorded. */
  long size() {
    return size;
  }

  private static boolean subset(long[] a, long[] b) {
    if (a.length > b.length) {
      return false; // toLongArray drops trailing zero words, so a has a member beyond b's last
    }
    for (int i = 0; i < a.length; i++) {
      if ((a[i] & ~b[i]) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The definite set and the state. The set is stored as its highest member and the holes below
   * it: with few concurrent clients that is a handful of numbers, not a bitset of the whole history.
   */
  private static final class Key {
    private final Object state;
    private final int highest;
    private final int[] holes;
    private final int hash;

    private Key(Object state, int highest, int[] holes) {
      this.state = state;
      this.highest = highest;
      this.holes = holes;
      this.hash = (state.hashCode() * 31 + highest) * 31 + Arrays.hashCode(holes);
    }

    static Key of(BitSet set, Object state) {
      int highest = set.length() - 1;
      int[] holes = new int[8];
      int count = 0;
      for (int i = set.nextClearBit(0); i < highest; i = set.nextClearBit(i + 1)) {
        if (count == holes.length) {
          holes = Arrays.copyOf(holes, count * 2);
        }
        holes[count++] = i;
      }
      return new Key(state, highest, Arrays.copyOf(holes, count));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.hash == hash
          && k.highest == highest
          && Arrays.equals(k.holes, holes)
          && k.state.equals(state);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
