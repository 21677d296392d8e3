package dev.cohort.node.kv;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes the primitives of Cohort's compact binary forms: big-endian longs, unsigned varints, UTF-8. */
final class WireWriter {
  private byte[] buffer;
  private int position;

  WireWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  /** UTF-8 bytes of {@code text}; refuses text that is not valid Unicode (an unpaired surrogate). */
  static byte[] utf8(String text, String what) {
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(text));
      return Arrays.copyOf(encoded.array(), encoded.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not valid Unicode text: " + e.getMessage(), e);
    }
  }

  /** How many bytes {@link #writeVarInt} takes for {@code value}. */
  static int varIntSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  void writeByte(int value) {
    ensure(1);
    buffer[position++] = (byte) value;
  }

  void writeLong(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[position++] = (byte) (value >>> shift);
    }
  }

  /** A non-negative int in 1 to 5 bytes, seven bits at a time, low bits first. */
  void writeVarInt(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint must be >= 0, got " + value);
    }
    ensure(5);
    while ((value & ~0x7F) != 0) {
      buffer[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[position++] = (byte) value;
  }

  /** A length as a varint, then the bytes. */
  void writeBytes(byte[] bytes) {
    writeVarInt(bytes.length);
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  void writeString(String text, String what) {
    writeBytes(utf8(text, what));
  }

  byte[] toByteArray() {
    return position == buffer.length ? buffer : Arrays.copyOf(buffer, position);
  }

  private void ensure(int more) {
    if (buffer.length - position < more) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
    }
  }
}
