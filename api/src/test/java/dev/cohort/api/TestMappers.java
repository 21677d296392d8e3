package dev.cohort.api;

import com.typesafe.config.Config;

/** Classes named by custom mapper settings in the tests; only their shape matters, none is instantiated. */
public final class TestMappers {
  private TestMappers() {}

  /** A valid custom mapper taking its Config block. */
  public static final class WithConfig implements PartitionMapper {
    public WithConfig(Config config) {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  /** A valid custom mapper with a no-arg constructor. */
  public static final class NoArgs implements PartitionMapper {
    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  /** Not a mapper at all. */
  public static final class NotAMapper {}

  /** A mapper with neither accepted constructor. */
  public static final class WrongConstructor implements PartitionMapper {
    public WrongConstructor(String something) {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  /** Both accepted constructors: the Config one is preferred. */
  public static final class BothConstructors implements PartitionMapper {
    public BothConstructors() {}

    public BothConstructors(Config config) {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  /** Not public: Cohort could not call its constructor. */
  static final class NotPublic implements PartitionMapper {
    public NotPublic() {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  /** Inner (not static): its constructor needs a TestMappers instance. */
  public final class Inner implements PartitionMapper {
    public Inner() {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  /** An interface that extends the SPI: implements it, but cannot be instantiated. */
  public interface SubInterface extends PartitionMapper {}

  /** Abstract: cannot be instantiated. */
  public abstract static class Abstract implements PartitionMapper {}

  /** Only a private constructor. */
  public static final class PrivateConstructor implements PartitionMapper {
    private PrivateConstructor() {}

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }

  /** Fails if the settings reader ever initializes a custom class: settings must not run user code. */
  public static final class ExplodesOnInit implements PartitionMapper {
    static {
      if (Boolean.parseBoolean("true")) {
        throw new IllegalStateException("custom mapper class was initialized while reading settings");
      }
    }

    @Override
    public int partitionOf(Object key, int partitionCount) {
      return 0;
    }
  }
}
