package dev.cohort.node.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * The answer to a read of one key. Each answer says up to which seq the state it reflects has
 * applied the log, so that a read from a replica can say how fresh it is.
 */
public sealed interface KvRead {

  /**
   * The key has a value. The array is the state machine's own: nobody may change it.
   *
   * @param value the value
   * @param version the key's version
   * @param appliedSeq the state machine's last applied seq
   */
  record Found(byte[] value, long version, long appliedSeq) implements KvRead {
    @Override
    public boolean equals(Object other) {
      return other instanceof Found f
          && Arrays.equals(value, f.value) && version == f.version && appliedSeq == f.appliedSeq;
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(value), version, appliedSeq);
    }

    @Override
    public String toString() {
      return "Found[" + value.length + " bytes, version " + version + ", applied " + appliedSeq + "]";
    }
  }

  /**
   * The key is absent.
   *
   * @param appliedSeq the state machine's last applied seq
   */
  record Absent(long appliedSeq) implements KvRead {}

  /**
   * The read was refused (an unknown table).
   *
   * @param rejection why
   */
  record Rejected(Rejection rejection) implements KvRead {}
}
