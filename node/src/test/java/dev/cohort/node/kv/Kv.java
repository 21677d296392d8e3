package dev.cohort.node.kv;

import dev.cohort.api.PartitionId;
import dev.cohort.persistence.InMemoryStateStorage;
import dev.cohort.persistence.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Short forms for kv tests. */
final class Kv {
  static final KvSettings SETTINGS = new KvSettings(Set.of("t", "u"), 8, 4, 3);

  private Kv() {}

  /** An empty store for one partition's state. */
  static StateStore store() {
    return new InMemoryStateStorage().open(new PartitionId("accounts", 1));
  }

  /** A machine over an empty store. */
  static KvStateMachine machine() {
    return new KvStateMachine(SETTINGS, store());
  }

  /** Every pair of {@code store}, in hex, in key order: two stores hold the same state if equal. */
  static List<String> pairs(StateStore store) {
    HexFormat hex = HexFormat.of();
    return store.scan(new byte[0], null, Integer.MAX_VALUE).stream()
        .map(pair -> hex.formatHex(pair.getKey()) + "=" + hex.formatHex(pair.getValue())).toList();
  }

  static RequestId id(long client, long sequence) {
    return new RequestId(client, sequence);
  }

  static byte[] v(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static KvCommand put(RequestId id, String key, String value) {
    return new KvCommand.Put(id, "t", key, v(value));
  }

  static KvCommand cas(RequestId id, String key, long expected, String value) {
    return new KvCommand.CompareAndSet(id, "t", key, expected, v(value));
  }

  static KvCommand delete(RequestId id, String key) {
    return new KvCommand.Delete(id, "t", key);
  }
}
