package dev.cohort.mappers;

import dev.cohort.api.CustomMapperClass;
import dev.cohort.api.MapperSpec;
import dev.cohort.api.PartitionMapper;
import java.lang.reflect.InvocationTargetException;

/** Builds a user's {@link PartitionMapper} named by class, once {@link CustomMapperClass} has checked the class. */
final class CustomMappers {
  private CustomMappers() {}

  /** @param loader the loader to use, or null for the context class loader, then Cohort's own */
  static PartitionMapper create(MapperSpec.Custom spec, ClassLoader loader) {
    String className = spec.className();
    CustomMapperClass.Usable usable = CustomMapperClass.resolve(className, loader).orElseThrow();
    PartitionMapper instance;
    try {
      instance = usable.takesConfig()
          ? usable.constructor().newInstance(spec.config())
          : usable.constructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          prefix(className) + "failed in its constructor: " + e.getCause(), e.getCause());
    } catch (ExceptionInInitializerError e) { // resolving left the class uninitialized: this is its first use
      throw new IllegalArgumentException(
          prefix(className) + "failed in its static initializer: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(prefix(className) + "could not be instantiated: " + e, e);
    }
    return new CheckedMapper(instance, className);
  }

  private static String prefix(String className) {
    return "custom mapper class '" + className + "' ";
  }

  /**
   * Checks what a user's mapper gets and gives: it is never called with a null key or a count
   * below 1, and an index outside {@code [0, partitionCount)} fails here, naming the class, rather
   * than misroute a request.
   */
  private static final class CheckedMapper implements PartitionMapper {
    private final PartitionMapper delegate;
    private final String className;

    CheckedMapper(PartitionMapper delegate, String className) {
      this.delegate = delegate;
      this.className = className;
    }

    @Override
    public int partitionOf(Object key, int partitionCount) {
      Mappers.requireKeyAndCount(key, partitionCount);
      int partition = delegate.partitionOf(key, partitionCount);
      if (partition < 0 || partition >= partitionCount) {
        throw new IllegalStateException(prefix(className) + "returned partition " + partition
            + " for a key of type " + key.getClass().getTypeName() + ", outside [0, " + partitionCount + ")");
      }
      return partition;
    }

    @Override
    public String toString() {
      return "custom(" + className + ")";
    }
  }
}
