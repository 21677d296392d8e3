package dev.cohort.mappers;

import dev.cohort.api.PartitionMapper;
import dev.cohort.api.StableHash;
import java.util.Map;

/**
 * {@code hash-by-field}: the partition of one field of the key object.
 *
 * <p>The field's value is placed exactly as the consistent-hash mapper places a key (Jump
 * Consistent Hash of its stable hash). So an object maps like its field's value would, whatever
 * the object's shape (record, bean, public field, map), and if a group's partition count grows,
 * only about 1/(n+1) of the keys move, as with consistent-hash; a plain modulo would move nearly
 * all of them.
 */
final class HashByFieldMapper implements PartitionMapper {
  private final String field;
  private final ClassValue<FieldReader> readers;

  /** @param field a non-blank field name, as {@link dev.cohort.api.MapperSpec.HashByField} guarantees */
  HashByFieldMapper(String field) {
    this.field = field;
    this.readers = new ClassValue<>() {
      @Override
      protected FieldReader computeValue(Class<?> type) {
        return FieldReader.find(type, field);
      }
    };
  }

  @Override
  public int partitionOf(Object key, int partitionCount) {
    Mappers.requireKeyAndCount(key, partitionCount);
    Object value = valueOf(key);
    byte[] bytes = KeyBytes.orNull(value);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "the hash-by-field mapper cannot hash field '" + field + "' of " + key.getClass().getTypeName()
              + ": its value is a " + value.getClass().getTypeName() + ", which has no stable byte form;"
              + " supported field types are " + KeyBytes.SUPPORTED_TYPES);
    }
    return JumpHash.bucket(StableHash.of(bytes), partitionCount);
  }

  private Object valueOf(Object key) {
    if (key instanceof Map<?, ?> map) {
      Object value;
      try {
        value = map.get(field);
      } catch (ClassCastException e) { // e.g. a TreeMap whose keys are not Strings
        throw new IllegalArgumentException("the hash-by-field mapper cannot look up '" + field + "' in a "
            + key.getClass().getTypeName() + ": its keys are not Strings", e);
      }
      if (value == null) {
        throw new IllegalArgumentException(map.containsKey(field)
            ? "the hash-by-field mapper found field '" + field + "' null in a " + key.getClass().getTypeName()
                + "; a key's field must have a value"
            : "the hash-by-field mapper found no entry '" + field + "' in a " + key.getClass().getTypeName());
      }
      return value;
    }
    Object value = readers.get(key.getClass()).read(key);
    if (value == null) {
      throw new IllegalArgumentException("the hash-by-field mapper found field '" + field + "' null in "
          + key.getClass().getTypeName() + "; a key's field must have a value");
    }
    return value;
  }

  @Override
  public String toString() {
    return "hash-by-field(" + field + ")";
  }
}
