package dev.cohort.api;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash that is the same on every JVM, platform and version of Cohort: FNV-1a over the
 * bytes, finished with the MurmurHash3 {@code fmix64} step so that nearby inputs spread over all
 * 64 bits. Node location codes and the built-in mappers use it; changing it would move data, so
 * its output is pinned by tests against fixed values.
 */
public final class StableHash {
  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private StableHash() {}

  /** The hash of {@code bytes}. */
  public static long of(byte[] bytes) {
    long h = FNV_OFFSET_BASIS;
    for (byte b : bytes) {
      h ^= (b & 0xff);
      h *= FNV_PRIME;
    }
    return fmix64(h);
  }

  /** The hash of the UTF-8 encoding of {@code text}. */
  public static long of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
