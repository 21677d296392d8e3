package dev.cohort.mappers;

/**
 * Jump Consistent Hash: John Lamping and Eric Veach, "A Fast, Minimal Memory, Consistent Hash
 * Algorithm", 2014, arXiv:1406.2294.
 *
 * <p>Maps a 64-bit key onto {@code [0, buckets)} uniformly, and when the bucket count grows from
 * n to n+1 only about 1/(n+1) of the keys move, all of them to the new bucket. It needs no table,
 * which is why it suits partition indexes (numbered 0..n-1, never removed from the middle).
 */
final class JumpHash {
  /** The 64-bit linear congruential generator's multiplier from the paper. */
  private static final long LCG_MULTIPLIER = 2862933555777941757L;

  private JumpHash() {}

  /**
   * The bucket of {@code key}; the paper's reference code, line for line. Since Java 17 all
   * floating-point arithmetic is strict IEEE 754 (JEP 306), so the result is the same on every JVM.
   *
   * @param buckets the bucket count, at least 1
   */
  static int bucket(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * LCG_MULTIPLIER + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }
}
