package dev.cohort.mappers;

import dev.cohort.api.CustomMapperClass;
import dev.cohort.api.MapperSpec;
import dev.cohort.api.PartitionMapper;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a configured {@link MapperSpec} into a {@link PartitionMapper}.
 *
 * <p>The built-in mappers are immutable and safe to share between threads and partition groups.
 * Every one rejects a null key ({@link NullPointerException}) and a partition count below 1
 * ({@link IllegalArgumentException}) before it looks at the key.
 */
public final class Mappers {
  private Mappers() {}

  /**
   * The mapper that {@code spec} describes.
   *
   * <ul>
   *   <li>{@code consistent-hash}: Jump Consistent Hash of the key's {@link KeyBytes#stableHash stable
   *       hash}; when the partition count grows from n to n+1 only about 1/(n+1) of the keys move.
   *   <li>{@code round-robin}: an integral key (a sequence number) modulo the partition count,
   *       {@link Math#floorMod(long, int) floorMod} for negative numbers.
   *   <li>{@code hash-by-field}: the consistent hash of one field of the key object (a record
   *       component, a getter, a public field or a map entry), so that an object maps like the
   *       value of that field would under {@code consistent-hash}.
   *   <li>{@code custom}: an instance of the named class, built with its public {@code (Config)}
   *       constructor if it has one, else its public no-arg constructor; its results are checked to
   *       lie in {@code [0, partitionCount)}.
   * </ul>
   *
   * @param spec the configured mapper
   * @return a new, immutable, thread-safe mapper
   * @throws IllegalArgumentException if a custom mapper class cannot be used or fails to build; the
   *     message names the class and what is wrong
   */
  public static PartitionMapper create(MapperSpec spec) {
    return create(spec, null);
  }

  /**
   * As {@link #create(MapperSpec)}, but a custom mapper class is loaded by {@code classLoader}
   * only: for callers that checked the class with a loader of their own (such as the one the
   * settings were read with, or the actor system's) and want the same class.
   *
   * @param spec the configured mapper
   * @param classLoader the loader of custom mapper classes; null for the default order
   * @return a new, immutable, thread-safe mapper
   * @throws IllegalArgumentException as {@link #create(MapperSpec)}
   */
  public static PartitionMapper create(MapperSpec spec, ClassLoader classLoader) {
    Objects.requireNonNull(spec, "spec");
    if (spec instanceof MapperSpec.ConsistentHash) {
      return new ConsistentHashMapper();
    }
    if (spec instanceof MapperSpec.RoundRobin) {
      return new RoundRobinMapper();
    }
    if (spec instanceof MapperSpec.HashByField byField) {
      return new HashByFieldMapper(byField.field());
    }
    if (spec instanceof MapperSpec.Custom custom) {
      return CustomMappers.create(custom, classLoader);
    }
    throw new IllegalArgumentException("unknown mapper spec " + spec.getClass().getName());
  }

  /**
   * Whether {@code className} can serve as a custom mapper, without creating one: the check of
   * {@link CustomMapperClass#resolve}, with the class looked up by the thread's context class loader,
   * then Cohort's own. The class is loaded but not initialized.
   *
   * @param className the fully qualified (binary) class name, as configured
   * @return empty if it can, else what is wrong, naming the class (the same text {@link
   *     #create(MapperSpec)} would throw, and the settings reader would report at the class's key)
   */
  public static Optional<String> checkCustom(String className) {
    return checkCustom(className, null);
  }

  /**
   * As {@link #checkCustom(String)}, with the class loaded by {@code classLoader} only.
   *
   * @param className the fully qualified (binary) class name, as configured
   * @param classLoader the loader to look in; null for the default order
   * @return empty if the class can serve as a custom mapper, else what is wrong
   */
  public static Optional<String> checkCustom(String className, ClassLoader classLoader) {
    return CustomMapperClass.resolve(className, classLoader) instanceof CustomMapperClass.Unusable unusable
        ? Optional.of(unusable.problem())
        : Optional.empty();
  }

  /** The preconditions every built-in mapper checks first. */
  static void requireKeyAndCount(Object key, int partitionCount) {
    Objects.requireNonNull(key, "key");
    if (partitionCount < 1) {
      throw new IllegalArgumentException("partitionCount must be at least 1, was " + partitionCount);
    }
  }
}
