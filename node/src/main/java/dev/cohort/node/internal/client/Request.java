package dev.cohort.node.internal.client;

import dev.cohort.api.PartitionId;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.KvCommandCodec;
import java.util.Objects;

/** What a caller asks of one partition, before it is addressed to a node; every attempt sends the same. */
sealed interface Request {
  /** The partition of the key. */
  PartitionId partition();

  /** The table. */
  String table();

  /** The key. */
  String key();

  /**
   * A write. Its request id is in the command, so every attempt carries the same one.
   *
   * @param partition the key's partition
   * @param command the write
   * @param payload the command's codec form, encoded once
   */
  record Write(PartitionId partition, KvCommand command, byte[] payload) implements Request {
    public Write {
      Objects.requireNonNull(partition, "partition");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(payload, "payload");
    }

    /** A write of {@code command}, encoded now: the caller's value array is read before this returns. */
    static Write of(PartitionId partition, KvCommand command) {
      return new Write(partition, command, KvCommandCodec.encode(command));
    }

    @Override
    public String table() {
      return command.table();
    }

    @Override
    public String key() {
      return command.key();
    }
  }

  /**
   * A read of one key.
   *
   * @param partition the key's partition
   * @param table the table
   * @param key the key
   * @param consistency where it may be answered
   */
  record Read(PartitionId partition, String table, String key, ReadConsistency consistency) implements Request {
    public Read {
      Objects.requireNonNull(partition, "partition");
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(consistency, "consistency");
    }
  }
}
