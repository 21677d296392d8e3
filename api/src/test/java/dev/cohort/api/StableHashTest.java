package dev.cohort.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StableHashTest {
  /**
   * Outputs computed once from this implementation. Location codes and the built-in mappers rest
   * on them: if one changes, data moves on upgrade.
   */
  @Test
  void pinnedOutputs() {
    assertEquals(0xefd01f60ba992926L, StableHash.of(""));
    assertEquals(0x82a2a958a9bece5bL, StableHash.of("a"));
    assertEquals(0x2c22194922d1672bL, StableHash.of("foobar"));
    assertEquals(0x48e86629c152a3f3L, StableHash.of("node-a"));
    assertEquals(0x3852785853bdd6d3L, StableHash.of("cohort"));
    assertEquals(0x590520d718275ed5L, StableHash.of("ключ"));
    assertEquals(0xefd01f60ba992926L, StableHash.of(new byte[0]));
    assertEquals(0xb9034ad37056f5fbL, StableHash.of(new byte[] {0}));
    assertEquals(0xec3ccecdb545e35eL, StableHash.of(new byte[] {(byte) 0xff, 0, 0x7f, (byte) 0x80}));
  }

  @Test
  void aStringHashesAsItsUtf8Bytes() {
    for (String s : new String[] {"", "a", "node-a", "ключ", "日本", "😀"}) {
      assertEquals(StableHash.of(s.getBytes(StandardCharsets.UTF_8)), StableHash.of(s), s);
    }
  }

  /**
   * The first stage is FNV-1a 64 and the second MurmurHash3's fmix64: undoing fmix64 (its exact
   * inverse, built from Murmur's published constants) must give the published FNV-1a 64 test
   * vectors (the FNV reference suite, also Go's hash/fnv golden values). Neither stage is
   * re-implemented here, so this cannot agree with StableHash merely by copying it.
   */
  @Test
  void isFnv1a64FinishedWithMurmur3Fmix64() {
    assertEquals(0xcbf29ce484222325L, unfmix64(StableHash.of("")));
    assertEquals(0xaf63dc4c8601ec8cL, unfmix64(StableHash.of("a")));
    assertEquals(0x089c4407b545986aL, unfmix64(StableHash.of("ab")));
    assertEquals(0xe71fa2190541574bL, unfmix64(StableHash.of("abc")));
    assertEquals(0xfc179f83ee0724ddL, unfmix64(StableHash.of("abcd")));
    assertEquals(0x25da8c1836a8d66dL, unfmix64(StableHash.of("abcdefgh")));
    assertEquals(0x85944171f73967e8L, unfmix64(StableHash.of("foobar")));
  }

  /** The inverse of fmix64: xor-shift by 33 undoes itself; the multiplications are by odd constants. */
  private static long unfmix64(long k) {
    k ^= k >>> 33;
    k *= inverseModTwoTo64(0xc4ceb9fe1a85ec53L);
    k ^= k >>> 33;
    k *= inverseModTwoTo64(0xff51afd7ed558ccdL);
    k ^= k >>> 33;
    return k;
  }

  /** Newton's iteration: each step doubles the correct low bits (3 to start, 96 after five). */
  private static long inverseModTwoTo64(long odd) {
    long x = odd;
    for (int i = 0; i < 5; i++) {
      x *= 2 - odd * x;
    }
    assertEquals(1L, odd * x);
    return x;
  }

  /** Over 1,000,000 similar keys every output bit is set about half the time (within 6 sd). */
  @Test
  void everyOutputBitIsBalanced() {
    int n = 1_000_000;
    long[] ones = new long[64];
    for (int i = 0; i < n; i++) {
      long h = StableHash.of("key-" + i);
      for (int bit = 0; bit < 64; bit++) {
        ones[bit] += (h >>> bit) & 1;
      }
    }
    double tolerance = 6 * Math.sqrt(n * 0.25);
    for (int bit = 0; bit < 64; bit++) {
      assertTrue(Math.abs(ones[bit] - n / 2.0) < tolerance, "bit " + bit + " set " + ones[bit] + " times of " + n);
    }
  }

  /**
   * Avalanche: flipping any one bit of an 8-byte input flips each output bit with probability
   * about 1/2 (within 6 sd over 20,000 inputs), so nearby keys such as sequence numbers spread.
   */
  @Test
  void oneInputBitFlipsEachOutputBitHalfTheTime() {
    int inputs = 20_000;
    long[][] flips = new long[64][64];
    var random = new SplittableRandom(42);
    byte[] input = new byte[8];
    for (int n = 0; n < inputs; n++) {
      random.nextBytes(input);
      long h = StableHash.of(input);
      for (int in = 0; in < 64; in++) {
        input[in >> 3] ^= (byte) (1 << (in & 7));
        long diff = h ^ StableHash.of(input);
        input[in >> 3] ^= (byte) (1 << (in & 7));
        for (int out = 0; out < 64; out++) {
          flips[in][out] += (diff >>> out) & 1;
        }
      }
    }
    double tolerance = 6 * Math.sqrt(0.25 / inputs);
    for (int in = 0; in < 64; in++) {
      for (int out = 0; out < 64; out++) {
        double p = (double) flips[in][out] / inputs;
        assertTrue(Math.abs(p - 0.5) < tolerance, "input bit " + in + " flips output bit " + out + " with p=" + p);
      }
    }
  }
}
