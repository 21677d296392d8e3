package dev.cohort.persistence;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One entry of a partition's log: the epoch it was sequenced in, its position in the log, and the
 * bytes the partition's state machines apply.
 *
 * <p>Immutable: the payload is copied when the entry is made and again by {@link #payload()}; use
 * {@link #payloadBuffer()} to read it without a copy. Two entries are equal when their epoch, seq and
 * payload bytes are equal.
 *
 * @param epoch the epoch of the active that sequenced the entry, from 1
 * @param seq the entry's position in its partition's log, from 1 (0 means "no entry" elsewhere)
 * @param payload the entry's bytes, possibly empty, never null
 */
public record LogEntry(long epoch, long seq, byte[] payload) {
  /** What an entry counts for in {@link #sizeInBytes()} besides its payload: its epoch and seq. */
  public static final int HEADER_BYTES = 2 * Long.BYTES;

  /** How many payload bytes {@link #toString()} shows before it cuts short. */
  private static final int SHOWN_BYTES = 32;

  /** @throws IllegalArgumentException on a seq or epoch below 1 or a null payload */
  public LogEntry {
    if (seq < 1) {
      throw new IllegalArgumentException("a log entry's seq starts at 1, got " + seq);
    }
    if (epoch < 1) {
      throw new IllegalArgumentException("a log entry's epoch starts at 1, got " + epoch + " (entry seq " + seq + ")");
    }
    if (payload == null) {
      throw new IllegalArgumentException("log entry seq " + seq + " has a null payload; use an empty array");
    }
    payload = payload.clone();
  }

  /** A copy of the payload bytes. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload as a read-only buffer over the entry's own bytes, without a copy. */
  public ByteBuffer payloadBuffer() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  /** The payload's length in bytes. */
  public int payloadLength() {
    return payload.length;
  }

  /**
   * What this entry counts for in byte limits, such as the {@code maxBytes} of {@link
   * PartitionLog#read}: its payload plus {@link #HEADER_BYTES}.
   */
  public long sizeInBytes() {
    return (long) HEADER_BYTES + payload.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogEntry e && epoch == e.epoch && seq == e.seq && Arrays.equals(payload, e.payload);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(epoch) + Long.hashCode(seq)) + Arrays.hashCode(payload);
  }

  /** The epoch, seq, payload length and the payload's first bytes in hex. */
  @Override
  public String toString() {
    String shown = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, SHOWN_BYTES));
    return "LogEntry[epoch=" + epoch + ", seq=" + seq + ", payload=" + payload.length + " bytes "
        + shown + (payload.length > SHOWN_BYTES ? "…" : "") + "]";
  }
}
