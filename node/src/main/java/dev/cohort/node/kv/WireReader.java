package dev.cohort.node.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link WireWriter} writes, refusing anything malformed with a {@link
 * MalformedPayloadException} that names the field, the offset and the form being read.
 */
final class WireReader {
  private final ByteBuffer buffer;
  private final String form;

  /** @param form what is being read, for error messages ("kv command", "kv snapshot") */
  WireReader(byte[] bytes, String form) {
    this.buffer = ByteBuffer.wrap(bytes);
    this.form = form;
  }

  int readByte(String what) {
    need(1, what);
    return buffer.get() & 0xFF;
  }

  long readLong(String what) {
    need(8, what);
    return buffer.getLong();
  }

  int readVarInt(String what) {
    int start = buffer.position();
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte(what);
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0 || (shift == 28 && b > 0x07)) {
          throw malformed(what + " at offset " + start + " is out of range");
        }
        return value;
      }
    }
    throw malformed(what + " at offset " + start + " is longer than 5 bytes");
  }

  byte[] readBytes(String what) {
    int length = readVarInt(what + " length");
    need(length, what);
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }

  String readString(String what) {
    int start = buffer.position();
    byte[] bytes = readBytes(what);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed(what + " at offset " + start + " is not valid UTF-8");
    }
  }

  /** A count of items that each take at least {@code minItemBytes}, checked against what is left. */
  int readCount(String what, int minItemBytes) {
    int start = buffer.position();
    int count = readVarInt(what);
    if ((long) count * minItemBytes > buffer.remaining()) {
      throw malformed(what + " " + count + " at offset " + start + " does not fit in the " + buffer.remaining()
          + " bytes left");
    }
    return count;
  }

  void expectEnd() {
    if (buffer.hasRemaining()) {
      throw malformed(buffer.remaining() + " unexpected bytes after the end, at offset " + buffer.position());
    }
  }

  MalformedPayloadException malformed(String problem) {
    return new MalformedPayloadException("malformed " + form + ": " + problem);
  }

  private void need(int bytes, String what) {
    if (buffer.remaining() < bytes) {
      throw malformed(what + " at offset " + buffer.position() + " needs " + bytes + " bytes but only "
          + buffer.remaining() + " are left (truncated?)");
    }
  }
}
