package dev.cohort.api;

import com.typesafe.config.Config;

/**
 * Which mapper a partition group uses, as configured under {@code mapper}. The {@code mappers}
 * module turns a spec into a {@link PartitionMapper}.
 */
public sealed interface MapperSpec {
  /** The configured type name, as written in HOCON. */
  String type();

  /** Consistent hashing of the key's stable hash onto the partitions; for dynamic groups. */
  record ConsistentHash() implements MapperSpec {
    @Override
    public String type() {
      return "consistent-hash";
    }
  }

  /** An integral key (a sequence number of objects created in order) modulo the partition count. */
  record RoundRobin() implements MapperSpec {
    @Override
    public String type() {
      return "round-robin";
    }
  }

  /**
   * The stable hash of one named field of a record, a bean or a map entry.
   *
   * @param field the field (record component, getter, public field or map key) to hash
   */
  record HashByField(String field) implements MapperSpec {
    /** Shared with the settings reader so that a missing field reads the same everywhere. */
    static final String NO_FIELD =
        "a hash-by-field mapper needs the field to hash; write mapper { type = hash-by-field, field = merchantId }";

    /** @throws IllegalArgumentException if {@code field} is null or blank */
    public HashByField {
      if (field == null || field.isBlank()) {
        throw new IllegalArgumentException(NO_FIELD);
      }
    }

    @Override
    public String type() {
      return "hash-by-field";
    }
  }

  /**
   * A user's own {@link PartitionMapper}. The settings reader accepts only a class that {@link
   * CustomMapperClass#resolve resolves} as usable; the class is not initialized until the mapper is built.
   *
   * @param className the class's binary name, e.g. {@code com.example.Outer$Mapper}
   * @param config the whole mapper block as configured, {@code type} and {@code class} included, with
   *     any keys of the mapper's own; given to a constructor that takes a Config
   */
  record Custom(String className, Config config) implements MapperSpec {
    /** Shared with {@link CustomMapperClass#resolve} so that a missing name reads the same everywhere. */
    static final String NO_CLASS_NAME = "a custom mapper needs the name of a class implementing "
        + PartitionMapper.class.getName() + ": mapper { type = custom, class = \"com.example.MyMapper\" }";

    /** @throws IllegalArgumentException if {@code className} is null or blank, or {@code config} is null */
    public Custom {
      if (className == null || className.isBlank()) {
        throw new IllegalArgumentException(NO_CLASS_NAME);
      }
      if (config == null) {
        throw new IllegalArgumentException("custom mapper class '" + className + "' was given a null config;"
            + " pass the mapper's block (ConfigFactory.empty() if it has none)");
      }
    }

    @Override
    public String type() {
      return "custom";
    }
  }
}
