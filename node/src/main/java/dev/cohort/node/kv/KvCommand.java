package dev.cohort.node.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A write to a key-value table, as sequenced in the partition log. Value arrays are handed over,
 * not copied: nobody may change them afterwards.
 */
public sealed interface KvCommand extends PartitionCommand {
  /** The caller's id for this request, the same in its retries. */
  RequestId requestId();

  /** The table's name. */
  String table();

  /** The key within the table. */
  String key();

  /** Sets the key's value, whatever it was. */
  record Put(RequestId requestId, String table, String key, byte[] value) implements KvCommand {
    /** @throws NullPointerException if a component is null */
    public Put {
      requireFields(requestId, table, key);
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Put p
          && requestId.equals(p.requestId) && table.equals(p.table) && key.equals(p.key)
          && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, table, key, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
      return "Put[" + requestId + " " + table + "/" + key + " (" + value.length + " bytes)]";
    }
  }

  /** Sets the key's value only if the key exists at exactly {@code expectedVersion}. */
  record CompareAndSet(RequestId requestId, String table, String key, long expectedVersion, byte[] value)
      implements KvCommand {
    /** @throws NullPointerException if a component is null */
    public CompareAndSet {
      requireFields(requestId, table, key);
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CompareAndSet c
          && requestId.equals(c.requestId) && table.equals(c.table) && key.equals(c.key)
          && expectedVersion == c.expectedVersion && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, table, key, expectedVersion, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
      return "CompareAndSet[" + requestId + " " + table + "/" + key + " @" + expectedVersion
          + " (" + value.length + " bytes)]";
    }
  }

  /** Removes the key, if present. */
  record Delete(RequestId requestId, String table, String key) implements KvCommand {
    /** @throws NullPointerException if a component is null */
    public Delete {
      requireFields(requestId, table, key);
    }
  }

  private static void requireFields(RequestId requestId, String table, String key) {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(key, "key");
  }
}
