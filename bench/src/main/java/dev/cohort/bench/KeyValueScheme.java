package dev.cohort.bench;

import java.util.SplittableRandom;

/**
 * The data a benchmark loads and later checks, without holding it: key {@code i} is {@link
 * #key(int)}, its value {@link #value(int)}. Shared by {@link LookupBench} and {@link RestartBench}.
 *
 * @param valueBytes {@code bench.value.bytes}: the size of every value
 * @param seed {@code bench.seed}: where the values' random bytes start
 */
record KeyValueScheme(int valueBytes, long seed) {
  private static final String KEY_PREFIX = "key-";
  /** Digits of every key's index: as many as the largest int has, so that all keys are the same length. */
  private static final int KEY_DIGITS = Integer.toString(Integer.MAX_VALUE).length();

  KeyValueScheme {
    if (valueBytes < 0) {
      throw new IllegalArgumentException("bench.value.bytes must be at least 0, got " + valueBytes);
    }
  }

  /** The scheme of {@code bench.value.bytes} (default 200) and {@code bench.seed} (default 42). */
  static KeyValueScheme fromSystemProperties() {
    return new KeyValueScheme(Integer.parseInt(System.getProperty("bench.value.bytes", "200")),
        Long.parseLong(System.getProperty("bench.seed", "42")));
  }

  /** The key of index {@code index}: {@code key-0000000042} for 42. */
  static String key(int index) {
    String digits = Integer.toString(index);
    return KEY_PREFIX + "0".repeat(KEY_DIGITS - digits.length()) + digits;
  }

  /** The index of a key made by {@link #key(int)}. */
  static int indexOf(String key) {
    return Integer.parseInt(key, KEY_PREFIX.length(), key.length(), 10);
  }

  /**
   * The value of key {@code index}: {@link #valueBytes()} random bytes from {@link #seed()} plus the
   * index. Every key gets bytes of its own, so that RocksDB cannot compress the values away (one array
   * for all would shrink the data on disk to a fraction of its real size).
   */
  byte[] value(int index) {
    byte[] value = new byte[valueBytes];
    new SplittableRandom(seed + index).nextBytes(value);
    return value;
  }

  /** The value of the key made by {@link #key(int)}, for a load that is given keys only. */
  byte[] valueOf(String key) {
    return value(indexOf(key));
  }
}
