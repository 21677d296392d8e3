package dev.cohort.mappers;

import dev.cohort.api.PartitionMapper;
import java.math.BigInteger;

/**
 * {@code round-robin}: for objects created in sequence, whose key is their sequence number;
 * consecutive numbers go to consecutive partitions.
 */
final class RoundRobinMapper implements PartitionMapper {
  RoundRobinMapper() {}

  @Override
  public int partitionOf(Object key, int partitionCount) {
    Mappers.requireKeyAndCount(key, partitionCount);
    if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte) {
      // floorMod, not %: a negative sequence number must still give an index in [0, count).
      return Math.floorMod(((Number) key).longValue(), partitionCount);
    }
    if (key instanceof BigInteger b) {
      return b.mod(BigInteger.valueOf(partitionCount)).intValueExact();
    }
    throw new IllegalArgumentException(
        "the round-robin mapper cannot map a key of type " + key.getClass().getTypeName()
            + ": it needs an integral sequence number (Byte, Short, Integer, Long or BigInteger)."
            + " For other keys use the consistent-hash or hash-by-field mapper");
  }

  @Override
  public String toString() {
    return "round-robin";
  }
}
