package dev.cohort.api;

import com.typesafe.config.Config;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * A custom mapper class, as named by {@code mapper { type = custom, class = "..." }}, looked up and
 * checked by reflection: either {@link Usable}, with the constructor to build the mapper with, or
 * {@link Unusable}, with what is wrong.
 *
 * <p>This is the one check of a custom mapper class. The settings reader uses it to refuse a bad
 * class at its key, and the mappers module uses it before building the mapper, so both report the
 * same sentence. Resolving loads the class but never initializes it: no user code runs.
 */
public sealed interface CustomMapperClass {
  /**
   * Looks up {@code className} and checks, in this order, that it is named (not null or blank), is
   * found, can be loaded, implements {@link PartitionMapper}, is neither an interface nor abstract,
   * is public, is not an inner (non-static nested) class, and has a public constructor taking a
   * {@link Config} or no arguments. The {@code (Config)} constructor is preferred.
   *
   * @param className the class's binary name, e.g. {@code com.example.Outer$Mapper}
   * @param loader the only loader to look in; null for the thread's context class loader, then the
   *     loader of Cohort itself
   * @return the usable constructor, or the first problem found
   */
  static CustomMapperClass resolve(String className, ClassLoader loader) {
    if (className == null || className.isBlank()) {
      return new Unusable(MapperSpec.Custom.NO_CLASS_NAME);
    }
    String prefix = "custom mapper class '" + className + "' ";
    Class<?> type;
    try {
      type = loader != null ? Class.forName(className, false, loader) : load(className);
    } catch (ClassNotFoundException e) {
      return new Unusable(prefix + "was not found; check the name (fully qualified, with '$' before a nested"
          + " class's name: com.example.Outer$Mapper) and that its jar is on the class path");
    } catch (LinkageError e) { // e.g. a class it needs is missing, or it was compiled for a newer Java
      return new Unusable(prefix + "cannot be loaded: " + e);
    }
    if (!PartitionMapper.class.isAssignableFrom(type)) {
      return new Unusable(prefix + "does not implement " + PartitionMapper.class.getName() + "; name a class that does");
    }
    if (type.isInterface()) {
      return new Unusable(prefix + "is an interface; name a concrete class");
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      return new Unusable(prefix + "is abstract; name a concrete class");
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      return new Unusable(prefix + "is not public; make it public");
    }
    if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
      // its constructors take the enclosing instance, which Cohort does not have
      return new Unusable(prefix + "is an inner (non-static nested) class; declare it static");
    }
    Class<? extends PartitionMapper> mapperType = type.asSubclass(PartitionMapper.class);
    try {
      return new Usable(mapperType.getConstructor(Config.class));
    } catch (NoSuchMethodException e) {
      // no (Config) constructor: try the no-arg one
    }
    try {
      return new Usable(mapperType.getConstructor());
    } catch (NoSuchMethodException e) {
      return new Unusable(prefix + "has no public constructor taking a " + Config.class.getName()
          + " (the mapper's block) or no arguments; add one");
    }
  }

  /**
   * This class, if it is usable.
   *
   * @throws IllegalArgumentException if it is not; the message is the {@linkplain Unusable#problem problem}
   */
  Usable orElseThrow();

  /**
   * A class that can serve as a custom mapper.
   *
   * @param constructor the public constructor to build it with: {@code (Config)}, which is given the
   *     mapper's block, or no-arg
   */
  record Usable(Constructor<? extends PartitionMapper> constructor) implements CustomMapperClass {
    /** @throws IllegalArgumentException if {@code constructor} is not public or takes other arguments */
    public Usable {
      Objects.requireNonNull(constructor, "constructor");
      Class<?>[] parameters = constructor.getParameterTypes();
      boolean accepted = parameters.length == 0 || parameters.length == 1 && parameters[0] == Config.class;
      if (!Modifier.isPublic(constructor.getModifiers()) || !accepted) {
        throw new IllegalArgumentException(
            "a custom mapper is built with a public (Config) or no-arg constructor, not " + constructor);
      }
    }

    /** Whether {@link #constructor()} takes the mapper's {@link Config} block. */
    public boolean takesConfig() {
      return constructor.getParameterCount() == 1;
    }

    @Override
    public Usable orElseThrow() {
      return this;
    }
  }

  /**
   * A class name that cannot serve as a custom mapper.
   *
   * @param problem what is wrong and how to fix it, one sentence naming the class; a settings error
   *     puts it after the key
   */
  record Unusable(String problem) implements CustomMapperClass {
    public Unusable {
      Objects.requireNonNull(problem, "problem");
    }

    @Override
    public Usable orElseThrow() {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * The context class loader first, as application servers and test runners expect; then the
   * loader of Cohort itself, for threads whose context loader does not see the application.
   */
  private static Class<?> load(String className) throws ClassNotFoundException {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    ClassLoader own = CustomMapperClass.class.getClassLoader();
    if (context != null) {
      try {
        return Class.forName(className, false, context);
      } catch (ClassNotFoundException e) {
        if (context == own) {
          throw e;
        }
      }
    }
    return Class.forName(className, false, own);
  }
}
