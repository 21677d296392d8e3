package dev.cohort.mappers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.api.StableHash;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyBytesTest {
  private static String hex(Object key) {
    return HexFormat.of().formatHex(KeyBytes.of(key));
  }

  @Test
  void stringsAreUtf8() {
    assertEquals("", hex(""));
    assertEquals("6f726465722d3432", hex("order-42"));
    assertEquals("d0bad0bbd18ed187", hex("ключ"));
  }

  @Test
  void integralNumbersAreTheirLongValueBigEndian() {
    assertEquals("0000000000000005", hex(5));
    assertEquals("0000000000000005", hex(5L));
    assertEquals("0000000000000005", hex((short) 5));
    assertEquals("0000000000000005", hex((byte) 5));
    assertEquals("0000000000000005", hex(BigInteger.valueOf(5)));
    assertEquals("ffffffffffffffff", hex(-1));
    assertEquals("ffffffffffffffff", hex(BigInteger.ONE.negate()));
    assertEquals("7fffffffffffffff", hex(BigInteger.valueOf(Long.MAX_VALUE)));
    assertEquals("8000000000000000", hex(BigInteger.valueOf(Long.MIN_VALUE)));
  }

  @Test
  void bigIntegersBeyondALongAreTheirTwosComplementBytes() {
    assertEquals("008000000000000000", hex(BigInteger.ONE.shiftLeft(63)));
    assertEquals("ff7fffffffffffffff", hex(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)));
  }

  @Test
  void otherSupportedTypes() {
    assertEquals("123e4567e89b12d3a456426614174000", hex(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
    assertEquals("78", hex('x'));
    assertEquals("c3a9", hex('é'));
    assertEquals("01", hex(true));
    assertEquals("00", hex(false));
    assertEquals("4d4f4e444159", hex(DayOfWeek.MONDAY));
    assertEquals("0102ff", hex(new byte[] {1, 2, (byte) 0xff}));
  }

  @Test
  void byteArrayKeysAreCopiedSoCallersCannotChangeThem() {
    byte[] key = {1, 2, 3};
    byte[] bytes = KeyBytes.of(key);
    assertNotSame(key, bytes);
    assertArrayEquals(key, bytes);
  }

  @Test
  void stableHashIsTheHashOfTheCanonicalBytes() {
    assertEquals(StableHash.of("order-42"), KeyBytes.stableHash("order-42"));
    assertEquals(StableHash.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 42}), KeyBytes.stableHash(42));
  }

  @Test
  void unsupportedTypesAreRejectedNamingTheTypeAndTheAlternatives() {
    var e = assertThrows(IllegalArgumentException.class, () -> KeyBytes.of(1.5d));
    assertEquals("a key of type java.lang.Double has no stable byte form; supported key types: String, byte[], Byte,"
        + " Short, Integer, Long, BigInteger, UUID, Character, Boolean or an enum. To map other objects, hash one of"
        + " their fields (mapper { type = hash-by-field, field = ... }) or use a custom mapper", e.getMessage());
    var unsupported = List.of(1.5f, new BigDecimal("2"), new Object(), List.of(1), new long[] {1}, new StringBuilder());
    for (Object key : unsupported) {
      var rejected = assertThrows(IllegalArgumentException.class, () -> KeyBytes.stableHash(key));
      assertEquals("a key of type " + key.getClass().getTypeName() + " has no stable byte form",
          rejected.getMessage().substring(0, rejected.getMessage().indexOf(';')));
    }
    assertThrows(NullPointerException.class, () -> KeyBytes.of(null));
  }
}
