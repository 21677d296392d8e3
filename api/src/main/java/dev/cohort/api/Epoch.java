package dev.cohort.api;

/**
 * A partition's epoch: it grows by one at every change of the partition's active or of its
 * in-sync set, so that a node can tell a current instruction from a stale one.
 *
 * @param value the epoch number, from 1
 */
public record Epoch(long value) implements Comparable<Epoch> {
  /** The epoch of a partition's first placement. */
  public static final Epoch FIRST = new Epoch(1);

  /** @throws IllegalArgumentException if {@code value} is below 1 */
  public Epoch {
    if (value < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, got " + value);
    }
  }

  /** The epoch after this one. */
  public Epoch next() {
    return new Epoch(value + 1);
  }

  @Override
  public int compareTo(Epoch other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
