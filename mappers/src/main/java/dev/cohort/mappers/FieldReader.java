package dev.cohort.mappers;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads one named field of objects of one class, for the hash-by-field mapper. Found once per
 * class (the mapper caches it in a {@link ClassValue}), so reflection is paid once, not per key.
 */
sealed interface FieldReader {
  /** The field's value in {@code target}, which is of the class this reader was found for. */
  Object read(Object target);

  /**
   * The reader of {@code field} on {@code type}, looked up in this order: a record component, a
   * public getter {@code getX()}, a public boolean getter {@code isX()}, a public method {@code x()},
   * a public field {@code x}. Static members and the methods of {@link Object} never count: a
   * field named {@code hashCode} must not pick up {@link Object#hashCode()}, which differs between
   * JVMs.
   */
  static FieldReader find(Class<?> type, String field) {
    Optional<Method> method = recordAccessor(type, field)
        .or(() -> publicNoArg(type, "get" + capitalized(field)))
        .or(() -> publicNoArg(type, "is" + capitalized(field))
            .filter(m -> m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class))
        .or(() -> publicNoArg(type, field));
    Optional<Field> publicField = method.isPresent() ? Optional.empty() : publicField(type, field);
    try {
      if (method.isPresent()) {
        return new Found(unreflect(method.get(), type).asType(READ));
      }
      if (publicField.isPresent()) {
        Field f = publicField.get();
        f.trySetAccessible();
        return new Found(MethodHandles.lookup().unreflectGetter(f).asType(READ));
      }
    } catch (IllegalAccessException e) {
      Class<?> declaring =
          method.isPresent() ? method.get().getDeclaringClass() : publicField.get().getDeclaringClass();
      return new Missing("the hash-by-field mapper cannot read field '" + field + "' of " + type.getTypeName()
          + ": it is declared in " + declaring.getTypeName() + ", which Cohort may not access; make that class"
          + " public, declare the accessor in a public interface, or open its package to Cohort");
    }
    String cap = capitalized(field);
    return new Missing("the hash-by-field mapper found no field '" + field + "' in " + type.getTypeName()
        + " (looked for a record component, a public method get" + cap + "(), is" + cap + "() or "
        + field + "(), and a public field " + field + ")");
  }

  /** The shape every handle is adapted to, so that one {@code invokeExact} call site serves all. */
  MethodType READ = MethodType.methodType(Object.class, Object.class);

  /** A readable field. */
  record Found(MethodHandle getter) implements FieldReader {
    @Override
    public Object read(Object target) {
      try {
        return (Object) getter.invokeExact(target);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("reading a key field threw " + e, e);
      }
    }
  }

  /** No such field, or one Cohort may not read: every read fails with the same message. */
  record Missing(String problem) implements FieldReader {
    @Override
    public Object read(Object target) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * A handle on {@code m}. A public method of a class Cohort may not access (a private nested
   * class, a class of a module that does not open its package) can still be called through a
   * public superclass or interface that declares it, as plain Java code would.
   */
  private static MethodHandle unreflect(Method m, Class<?> type) throws IllegalAccessException {
    m.trySetAccessible();
    try {
      return MethodHandles.lookup().unreflect(m);
    } catch (IllegalAccessException e) {
      for (Class<?> supertype : publicSupertypes(type)) {
        try {
          return MethodHandles.lookup().unreflect(supertype.getMethod(m.getName()));
        } catch (NoSuchMethodException | IllegalAccessException notThere) {
          // try the next one
        }
      }
      throw e;
    }
  }

  /** The public superclasses and interfaces of {@code type}, nearest first. */
  private static List<Class<?>> publicSupertypes(Class<?> type) {
    var seen = new LinkedHashSet<Class<?>>();
    var queue = new ArrayDeque<Class<?>>(List.of(type));
    while (!queue.isEmpty()) {
      Class<?> next = queue.remove();
      if (next.getSuperclass() != null && seen.add(next.getSuperclass())) {
        queue.add(next.getSuperclass());
      }
      for (Class<?> i : next.getInterfaces()) {
        if (seen.add(i)) {
          queue.add(i);
        }
      }
    }
    return seen.stream().filter(c -> Modifier.isPublic(c.getModifiers())).toList();
  }

  private static Optional<Method> recordAccessor(Class<?> type, String field) {
    if (!type.isRecord()) {
      return Optional.empty();
    }
    for (RecordComponent component : type.getRecordComponents()) {
      if (component.getName().equals(field)) {
        return Optional.of(component.getAccessor());
      }
    }
    return Optional.empty();
  }

  private static Optional<Method> publicNoArg(Class<?> type, String name) {
    if (isObjectMethod(name)) {
      return Optional.empty();
    }
    try {
      Method m = type.getMethod(name);
      boolean usable = !Modifier.isStatic(m.getModifiers()) && m.getReturnType() != void.class;
      return usable ? Optional.of(m) : Optional.empty();
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    }
  }

  private static Optional<Field> publicField(Class<?> type, String name) {
    try {
      Field f = type.getField(name);
      return Modifier.isStatic(f.getModifiers()) ? Optional.empty() : Optional.of(f);
    } catch (NoSuchFieldException e) {
      return Optional.empty();
    }
  }

  /** True for getClass, hashCode, toString, clone and the other no-arg methods of Object. */
  private static boolean isObjectMethod(String name) {
    try {
      Object.class.getDeclaredMethod(name);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static String capitalized(String field) {
    return field.isEmpty() ? field : Character.toUpperCase(field.charAt(0)) + field.substring(1);
  }
}
