package dev.cohort.node.internal.client;

import dev.cohort.api.PartitionId;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.JournalCommand;
import dev.cohort.node.kv.PartitionCommand;
import java.util.Objects;

/** What a caller asks of one partition, before it is addressed to a node; every attempt sends the same. */
sealed interface Request {
  /** The partition of the key. */
  PartitionId partition();

  /** What the request is about, for messages: a table's key or a journal's persistence id. */
  String subject();

  /**
   * A write. Its request id is in the command, so every attempt carries the same one.
   *
   * @param partition the key's partition
   * @param command the write
   * @param payload the command's codec form, encoded once
   */
  record Write(PartitionId partition, PartitionCommand command, byte[] payload) implements Request {
    public Write {
      Objects.requireNonNull(partition, "partition");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(payload, "payload");
    }

    /** A write of {@code command}, encoded now: the caller's value array is read before this returns. */
    static Write of(PartitionId partition, PartitionCommand command) {
      return new Write(partition, command, PartitionCommand.encode(command));
    }

    @Override
    public String subject() {
      return command instanceof KvCommand kv ? kv.table() + "/" + kv.key()
          : "the journal of " + ((JournalCommand) command).persistenceId();
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

    @Override
    public String subject() {
      return table + "/" + key;
    }
  }
}
