package dev.cohort.mappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.MapperSpec;
import dev.cohort.api.PartitionMapper;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class ConsistentHashMapperTest {
  private final PartitionMapper mapper = Mappers.create(new MapperSpec.ConsistentHash());

  /**
   * Values computed once from this implementation. If one changes, keys would move to other
   * partitions on upgrade: that is a data migration, not a refactoring.
   */
  @Test
  void pinnedPartitions() {
    record Pin(Object key, int of271, int of16, int of1000) {}
    List<Pin> pins = List.of(
        new Pin("", 115, 1, 499),
        new Pin("a", 266, 5, 723),
        new Pin("order-42", 41, 7, 41),
        new Pin("merchant-7", 55, 10, 675),
        new Pin("ключ", 202, 0, 202),
        new Pin(0L, 145, 5, 685),
        new Pin(1L, 238, 11, 327),
        new Pin(42L, 17, 6, 17),
        new Pin(-1L, 40, 10, 952),
        new Pin(Long.MAX_VALUE, 40, 0, 672),
        new Pin(Long.MIN_VALUE, 236, 6, 932),
        new Pin(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), 120, 9, 620),
        new Pin(new byte[] {1, 2, 3}, 250, 4, 873),
        new Pin('x', 192, 4, 421),
        new Pin(true, 62, 12, 439),
        new Pin(false, 201, 15, 999),
        new Pin(DayOfWeek.MONDAY, 50, 14, 417),
        new Pin(BigInteger.TWO.pow(70), 102, 4, 102));
    for (Pin pin : pins) {
      String what = pin.key().getClass().getTypeName() + " " + pin.key();
      assertEquals(pin.of271(), mapper.partitionOf(pin.key(), 271), what + " of 271");
      assertEquals(pin.of16(), mapper.partitionOf(pin.key(), 16), what + " of 16");
      assertEquals(pin.of1000(), mapper.partitionOf(pin.key(), 1000), what + " of 1000");
    }
  }

  @Test
  void aKeyMapsLikeItsStableHash() {
    for (Object key : List.of("order-42", 42L, UUID.randomUUID(), DayOfWeek.FRIDAY)) {
      assertEquals(JumpHash.bucket(KeyBytes.stableHash(key), 271), mapper.partitionOf(key, 271));
    }
  }

  @Test
  void separatelyCreatedMappersAgree() {
    PartitionMapper other = Mappers.create(new MapperSpec.ConsistentHash());
    for (int i = 0; i < 10_000; i++) {
      assertEquals(mapper.partitionOf("key-" + i, 271), other.partitionOf("key-" + i, 271));
      assertEquals(mapper.partitionOf((long) i, 271), other.partitionOf((long) i, 271));
    }
  }

  @Test
  void equalNumbersMapAlikeWhateverTheirWidth() {
    for (long v : new long[] {0, 1, -1, 42, 127, -128}) {
      int expected = mapper.partitionOf(v, 271);
      assertEquals(expected, mapper.partitionOf((int) v, 271), "Integer " + v);
      assertEquals(expected, mapper.partitionOf((short) v, 271), "Short " + v);
      assertEquals(expected, mapper.partitionOf((byte) v, 271), "Byte " + v);
      assertEquals(expected, mapper.partitionOf(BigInteger.valueOf(v), 271), "BigInteger " + v);
    }
    assertEquals(mapper.partitionOf(Integer.MAX_VALUE, 271), mapper.partitionOf((long) Integer.MAX_VALUE, 271));
    assertEquals(mapper.partitionOf(Long.MIN_VALUE, 271), mapper.partitionOf(BigInteger.valueOf(Long.MIN_VALUE), 271));
  }

  @Test
  void aCharacterMapsLikeTheOneCharacterString() {
    assertEquals(mapper.partitionOf("x", 271), mapper.partitionOf('x', 271));
    assertEquals(mapper.partitionOf("MONDAY", 271), mapper.partitionOf(DayOfWeek.MONDAY, 271));
  }

  @Test
  void everyIndexIsInRange() {
    for (int count : new int[] {1, 2, 3, 16, 271, 1 << 20, Integer.MAX_VALUE}) {
      for (int i = 0; i < 2_000; i++) {
        int p = mapper.partitionOf("key-" + i, count);
        assertTrue(p >= 0 && p < count, p + " of " + count);
      }
    }
    assertEquals(0, mapper.partitionOf("anything", 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 271})
  void stringKeysSpreadEvenly(int partitions) {
    assertUniform(partitions, i -> "key-" + i);
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 271})
  void sequentialLongKeysSpreadEvenly(int partitions) {
    assertUniform(partitions, i -> i);
  }

  private void assertUniform(int partitions, LongFunction<Object> key) {
    long[] counts = new long[partitions];
    for (long i = 0; i < 1_000_000; i++) {
      counts[mapper.partitionOf(key.apply(i), partitions)]++;
    }
    Distribution d = new Distribution(counts);
    System.out.println(key.apply(0).getClass().getSimpleName() + " keys, " + d);
    assertTrue(d.chiSquare() < d.chiSquareBound(), d.toString());
    assertTrue(d.maxOverMean() < 1 + d.spreadBound(), d.toString());
    assertTrue(d.minOverMean() > 1 - d.spreadBound(), d.toString());
  }

  @Test
  void unsupportedKeyTypesAreRejectedNamingTheType() {
    record Order(String merchantId) {}
    var e = assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf(new Order("m-1"), 16));
    assertEquals("the consistent-hash mapper cannot map a key of type"
        + " dev.cohort.mappers.ConsistentHashMapperTest$1Order:"
        + " supported key types are String, byte[], Byte, Short, Integer, Long, BigInteger, UUID, Character, Boolean"
        + " or an enum. To map other objects, hash one of their fields (mapper { type = hash-by-field, field = ... })"
        + " or use a custom mapper (mapper { type = custom, class = ... })", e.getMessage());
    for (Object key : List.of(1.5d, 1.5f, new java.math.BigDecimal("1"), new Object(), List.of("a"), new int[] {1})) {
      var rejected = assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf(key, 16));
      assertTrue(rejected.getMessage().startsWith(
          "the consistent-hash mapper cannot map a key of type " + key.getClass().getTypeName() + ":"),
          rejected.getMessage());
    }
  }

  @Test
  void nullKeysAndEmptyGroupsAreRejected() {
    assertThrows(NullPointerException.class, () -> mapper.partitionOf(null, 16));
    var e = assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf("a", 0));
    assertEquals("partitionCount must be at least 1, was 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> mapper.partitionOf("a", -5));
  }

  @Test
  void describesItself() {
    assertEquals("consistent-hash", mapper.toString());
  }
}
