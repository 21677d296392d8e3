package dev.cohort.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Commands survive the trip through a payload; anything malformed is refused with a clear message. */
class KvCommandCodecTest {
  private static final RequestId ID = new RequestId(-7, 42);

  static Stream<KvCommand> commands() {
    return Stream.of(
        new KvCommand.Put(ID, "demo", "k", new byte[] {1, 2, 3}),
        new KvCommand.Put(new RequestId(Long.MAX_VALUE, 0), "demo", "", new byte[0]),
        new KvCommand.Put(ID, "t", "ключ-🔑", new byte[300]),
        new KvCommand.CompareAndSet(ID, "demo", "k", 17, new byte[] {9}),
        new KvCommand.CompareAndSet(ID, "demo", "k", Long.MIN_VALUE, new byte[0]),
        new KvCommand.Delete(ID, "demo", "k"),
        new KvCommand.Delete(new RequestId(Long.MIN_VALUE, Long.MAX_VALUE), "a".repeat(200), "b".repeat(20_000)));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void aCommandSurvivesTheRoundTrip(KvCommand command) {
    assertEquals(command, KvCommandCodec.decode(KvCommandCodec.encode(command)));
  }

  @Test
  void theFormatIsCompact() {
    byte[] payload = KvCommandCodec.encode(new KvCommand.Put(ID, "demo", "key-1", new byte[200]));

    // format + kind + two longs + (1 + 4) + (1 + 5) + (2 + 200)
    assertEquals(1 + 1 + 16 + 5 + 6 + 202, payload.length);
    assertEquals(KvCommandCodec.FORMAT, payload[0]);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyTruncationIsRefused(KvCommand command) {
    byte[] payload = KvCommandCodec.encode(command);
    for (int length = 0; length < payload.length; length++) {
      byte[] cut = Arrays.copyOf(payload, length);
      var e = assertThrows(MalformedPayloadException.class, () -> KvCommandCodec.decode(cut), "length " + length);
      assertTrue(e.getMessage().startsWith("malformed kv command: "), e.getMessage());
    }
  }

  @Test
  void malformedPayloadsAreRefusedSayingWhy() {
    byte[] good = KvCommandCodec.encode(new KvCommand.Delete(ID, "demo", "k"));
    record Bad(String expected, byte[] payload) {}
    for (Bad bad : List.of(
        new Bad("the payload is empty", new byte[0]),
        new Bad("unsupported format 2; this node reads format 1", with(good, 0, 2)),
        new Bad("unknown command kind 9", with(good, 1, 9)),
        new Bad("1 unexpected bytes after the end", Arrays.copyOf(good, good.length + 1)),
        new Bad("table name at offset 18 is not valid UTF-8", with(good, 19, 0xFF)),
        new Bad("table name length at offset 18 is longer than 5 bytes",
            concat(Arrays.copyOf(good, 18), new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0})),
        new Bad("table name at offset 19 needs 100 bytes", with(good, 18, 100)))) {
      var e = assertThrows(MalformedPayloadException.class, () -> KvCommandCodec.decode(bad.payload));
      assertTrue(e.getMessage().contains(bad.expected), e.getMessage());
    }
  }

  @Test
  void textThatIsNotValidUnicodeCannotBeEncoded() {
    var command = new KvCommand.Put(ID, "demo", "half \uD800 a pair", new byte[0]);

    var e = assertThrows(IllegalArgumentException.class, () -> KvCommandCodec.encode(command));
    assertTrue(e.getMessage().startsWith("key is not valid Unicode"), e.getMessage());
  }

  private static byte[] with(byte[] payload, int index, int value) {
    byte[] copy = payload.clone();
    copy[index] = (byte) value;
    return copy;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] result = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
