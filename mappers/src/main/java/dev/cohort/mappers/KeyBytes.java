package dev.cohort.mappers;

import dev.cohort.api.StableHash;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * The canonical byte form of a key: what the built-in mappers hash, chosen so that a key has the
 * same bytes on every JVM and platform (never {@link Object#hashCode()}).
 *
 * <table>
 *   <caption>Supported key types</caption>
 *   <tr><th>key</th><th>bytes</th></tr>
 *   <tr><td>{@code String}</td><td>UTF-8</td></tr>
 *   <tr><td>{@code byte[]}</td><td>as is</td></tr>
 *   <tr><td>{@code Byte}, {@code Short}, {@code Integer}, {@code Long}, a {@code BigInteger} that
 *       fits in a long</td><td>the value as a long, 8 bytes big-endian, so that {@code 5} and
 *       {@code 5L} map alike (and a number read from JSON maps like the Java key)</td></tr>
 *   <tr><td>a larger {@code BigInteger}</td><td>its two's-complement bytes (9 or more)</td></tr>
 *   <tr><td>{@code UUID}</td><td>16 bytes, most significant half first</td></tr>
 *   <tr><td>{@code Character}</td><td>as a one-character String</td></tr>
 *   <tr><td>{@code Boolean}</td><td>one byte, 1 or 0</td></tr>
 *   <tr><td>an enum constant</td><td>its {@code name()}, as a String</td></tr>
 * </table>
 *
 * <p>Floating-point numbers are not keys (0.0 and -0.0, NaN, rounding). For any other object, map
 * one of its fields with the hash-by-field mapper or write a custom mapper.
 */
public final class KeyBytes {
  /** The supported types, as named in error messages. */
  static final String SUPPORTED_TYPES =
      "String, byte[], Byte, Short, Integer, Long, BigInteger, UUID, Character, Boolean or an enum";

  private KeyBytes() {}

  /**
   * The canonical bytes of {@code key}.
   *
   * @param key the key; not null
   * @return a fresh array the caller may keep
   * @throws IllegalArgumentException if keys of this type have no canonical form; the message
   *     names the type and the supported ones
   */
  public static byte[] of(Object key) {
    byte[] bytes = canonical(key);
    return key instanceof byte[] ? bytes.clone() : bytes;
  }

  /**
   * The {@link StableHash} of the canonical bytes of {@code key}: what the consistent-hash mapper
   * places. A custom mapper may use it to agree with the built-in ones.
   *
   * @param key the key; not null
   * @return {@code StableHash.of(KeyBytes.of(key))}
   * @throws IllegalArgumentException as {@link #of(Object)}
   */
  public static long stableHash(Object key) {
    return StableHash.of(canonical(key));
  }

  private static byte[] canonical(Object key) {
    Objects.requireNonNull(key, "key");
    byte[] bytes = orNull(key);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "a key of type " + key.getClass().getTypeName() + " has no stable byte form; supported key types: "
              + SUPPORTED_TYPES + ". To map other objects, hash one of their fields"
              + " (mapper { type = hash-by-field, field = ... }) or use a custom mapper");
    }
    return bytes;
  }

  /**
   * The canonical bytes, or null if the key's type has none. A byte[] key is returned itself, not
   * copied: callers inside this package only read it.
   */
  static byte[] orNull(Object key) {
    if (key instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    if (key instanceof byte[] b) {
      return b;
    }
    if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte) {
      return longBytes(((Number) key).longValue());
    }
    if (key instanceof BigInteger b) {
      // bitLength excludes the sign bit: below 64 the value fits in a long.
      return b.bitLength() < Long.SIZE ? longBytes(b.longValue()) : b.toByteArray();
    }
    if (key instanceof UUID u) {
      return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }
    if (key instanceof Character c) {
      return String.valueOf(c.charValue()).getBytes(StandardCharsets.UTF_8);
    }
    if (key instanceof Boolean b) {
      return new byte[] {(byte) (b ? 1 : 0)};
    }
    if (key instanceof Enum<?> e) {
      return e.name().getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array(); // big-endian by default
  }
}
