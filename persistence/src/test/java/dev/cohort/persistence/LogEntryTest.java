package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class LogEntryTest {
  @Test
  void equalityIsByEpochSeqAndPayloadContent() {
    LogEntry a = new LogEntry(2, 7, new byte[] {1, 2, 3});
    LogEntry b = new LogEntry(2, 7, new byte[] {1, 2, 3});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, new LogEntry(2, 7, new byte[] {1, 2, 4}));
    assertNotEquals(a, new LogEntry(3, 7, new byte[] {1, 2, 3}));
    assertNotEquals(a, new LogEntry(2, 8, new byte[] {1, 2, 3}));
  }

  @Test
  void thePayloadIsCopiedInAndOut() {
    byte[] bytes = {1, 2, 3};
    LogEntry entry = new LogEntry(1, 1, bytes);
    bytes[0] = 9;
    entry.payload()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, entry.payload());
  }

  @Test
  void thePayloadBufferIsReadOnlyAndComplete() {
    LogEntry entry = new LogEntry(1, 1, new byte[] {4, 5});
    ByteBuffer buffer = entry.payloadBuffer();
    assertEquals(2, buffer.remaining());
    assertEquals(4, buffer.get(0));
    assertThrows(ReadOnlyBufferException.class, () -> buffer.put(0, (byte) 1));
    assertEquals(2, entry.payloadLength());
  }

  @Test
  void sizeCountsThePayloadAndTheHeader() {
    assertEquals(16, new LogEntry(1, 1, new byte[0]).sizeInBytes());
    assertEquals(216, new LogEntry(1, 1, new byte[200]).sizeInBytes());
  }

  @Test
  void toStringShowsThePositionAndTheBytes() {
    assertEquals("LogEntry[epoch=2, seq=7, payload=2 bytes 0aff]", new LogEntry(2, 7, new byte[] {10, -1}).toString());
    String longOne = new LogEntry(1, 1, new byte[100]).toString();
    assertTrue(longOne.contains("100 bytes") && longOne.endsWith("…]"), longOne);
  }

  @Test
  void aSeqOrEpochBelowOneOrANullPayloadIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LogEntry(1, 0, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new LogEntry(0, 1, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new LogEntry(1, 1, null));
  }
}
