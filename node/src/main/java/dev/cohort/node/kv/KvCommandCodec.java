package dev.cohort.node.kv;

/**
 * The binary form of a {@link KvCommand} in a log entry's payload. It is kept behind this one class
 * so that a Protobuf form can replace it (issue 5).
 *
 * <p>Format 1: the format byte {@code 1}; a kind byte (1 put, 2 compare-and-set, 3 delete); the
 * request id's client and sequence as 8-byte big-endian longs; the table and the key as a varint
 * length and UTF-8; for compare-and-set the expected version as a long; for put and compare-and-set
 * the value as a varint length and its bytes. Nothing follows.
 */
public final class KvCommandCodec {
  /** The format this class writes, and the only one it reads. */
  public static final int FORMAT = 1;

  private static final int PUT = 1;
  private static final int COMPARE_AND_SET = 2;
  private static final int DELETE = 3;

  private KvCommandCodec() {}

  /**
   * The payload bytes of {@code command}.
   *
   * @throws IllegalArgumentException if the table or key is not valid Unicode text
   */
  public static byte[] encode(KvCommand command) {
    byte[] table = WireWriter.utf8(command.table(), "table name");
    byte[] key = WireWriter.utf8(command.key(), "key");
    byte[] value = valueOf(command);
    int size = 2 + 16 + WireWriter.varIntSize(table.length) + table.length + WireWriter.varIntSize(key.length)
        + key.length + (command instanceof KvCommand.CompareAndSet ? 8 : 0)
        + (value == null ? 0 : WireWriter.varIntSize(value.length) + value.length);
    var out = new WireWriter(size);
    out.writeByte(FORMAT);
    out.writeByte(kindOf(command));
    out.writeLong(command.requestId().client());
    out.writeLong(command.requestId().sequence());
    out.writeBytes(table);
    out.writeBytes(key);
    if (command instanceof KvCommand.CompareAndSet cas) {
      out.writeLong(cas.expectedVersion());
    }
    if (value != null) {
      out.writeBytes(value);
    }
    return out.toByteArray();
  }

  /**
   * The command in {@code payload}.
   *
   * @throws MalformedPayloadException if the bytes are not a command of format 1
   */
  public static KvCommand decode(byte[] payload) {
    var in = new WireReader(payload, "kv command");
    if (payload.length == 0) {
      throw in.malformed("the payload is empty");
    }
    int format = in.readByte("format");
    if (format != FORMAT) {
      throw in.malformed("unsupported format " + format + "; this node reads format " + FORMAT);
    }
    int kind = in.readByte("kind");
    if (kind != PUT && kind != COMPARE_AND_SET && kind != DELETE) {
      throw in.malformed("unknown command kind " + kind + " (1 put, 2 compare-and-set, 3 delete)");
    }
    long client = in.readLong("client");
    long sequence = in.readLong("sequence");
    if (sequence < 0) {
      throw in.malformed("negative request sequence " + sequence);
    }
    var id = new RequestId(client, sequence);
    String table = in.readString("table name");
    String key = in.readString("key");
    KvCommand command;
    if (kind == PUT) {
      command = new KvCommand.Put(id, table, key, in.readBytes("value"));
    } else if (kind == COMPARE_AND_SET) {
      long expected = in.readLong("expected version");
      command = new KvCommand.CompareAndSet(id, table, key, expected, in.readBytes("value"));
    } else {
      command = new KvCommand.Delete(id, table, key);
    }
    in.expectEnd();
    return command;
  }

  private static int kindOf(KvCommand command) {
    if (command instanceof KvCommand.Put) {
      return PUT;
    }
    if (command instanceof KvCommand.CompareAndSet) {
      return COMPARE_AND_SET;
    }
    return DELETE;
  }

  private static byte[] valueOf(KvCommand command) {
    if (command instanceof KvCommand.Put put) {
      return put.value();
    }
    if (command instanceof KvCommand.CompareAndSet cas) {
      return cas.value();
    }
    return null;
  }
}
