package dev.cohort.mappers;

import dev.cohort.api.PartitionMapper;
import dev.cohort.api.StableHash;

/** {@code consistent-hash}: Jump Consistent Hash of the stable hash of the key's canonical bytes. */
final class ConsistentHashMapper implements PartitionMapper {
  ConsistentHashMapper() {}

  @Override
  public int partitionOf(Object key, int partitionCount) {
    Mappers.requireKeyAndCount(key, partitionCount);
    byte[] bytes = KeyBytes.orNull(key);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "the consistent-hash mapper cannot map a key of type " + key.getClass().getTypeName()
              + ": supported key types are " + KeyBytes.SUPPORTED_TYPES
              + ". To map other objects, hash one of their fields (mapper { type = hash-by-field, field = ... })"
              + " or use a custom mapper (mapper { type = custom, class = ... })");
    }
    return JumpHash.bucket(StableHash.of(bytes), partitionCount);
  }

  @Override
  public String toString() {
    return "consistent-hash";
  }
}
