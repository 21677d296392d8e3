package dev.cohort.node.kv;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Short forms for kv tests. */
final class Kv {
  static final KvSettings SETTINGS = new KvSettings(Set.of("t", "u"), 8, 4, 3);

  private Kv() {}

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
