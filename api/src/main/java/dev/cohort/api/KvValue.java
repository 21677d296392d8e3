package dev.cohort.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key's value as read from a {@link KeyValueTable}. The array is the reader's own: nothing else
 * holds it.
 *
 * @param value the value's bytes
 * @param version the key's version: the seq of the entry that last wrote it
 * @param seq the seq of the partition's last applied entry at the copy that answered: the read
 *     reflects every entry up to it
 */
public record KvValue(byte[] value, long version, long seq) {
  /** @throws NullPointerException if {@code value} is null */
  public KvValue {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KvValue v && version == v.version && seq == v.seq && Arrays.equals(value, v.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(value), version, seq);
  }

  @Override
  public String toString() {
    return "KvValue[" + value.length + " bytes, version " + version + ", seq " + seq + "]";
  }
}
