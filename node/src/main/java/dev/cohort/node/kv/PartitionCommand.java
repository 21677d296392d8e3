package dev.cohort.node.kv;

/**
 * A command in a partition's log, for one of its state machines: a key-value table write or a
 * journal write. Its payload's first byte (the format) says which codec reads it.
 */
public sealed interface PartitionCommand permits KvCommand, JournalCommand {
  /** The caller's id for this request, the same in its retries. */
  RequestId requestId();

  /** The payload bytes of {@code command}. */
  static byte[] encode(PartitionCommand command) {
    return command instanceof KvCommand kv ? KvCommandCodec.encode(kv)
        : JournalCommandCodec.encode((JournalCommand) command);
  }

  /**
   * The command in {@code payload}, read by the codec its format byte names.
   *
   * @throws MalformedPayloadException if the bytes are not a command of a known format
   */
  static PartitionCommand decode(byte[] payload) {
    if (payload.length > 0 && payload[0] == JournalCommandCodec.FORMAT) {
      return JournalCommandCodec.decode(payload);
    }
    return KvCommandCodec.decode(payload);
  }
}
