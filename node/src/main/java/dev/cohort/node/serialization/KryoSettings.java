package dev.cohort.node.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.SettingsReader;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How {@link KryoSerializer} works, from {@code cohort.kryo} (documented in the node module's
 * reference.conf). Built once, when the actor system makes its serializers; a configuration that
 * cannot work is refused there, naming the key.
 *
 * @param registrationRequired whether only registered classes are carried (otherwise Kryo writes
 *     the names of unregistered ones)
 * @param poolSize how many Kryo instances, with their buffers, are kept for reuse
 * @param bufferBytes the initial size of an output buffer
 * @param maxBufferBytes the largest serialized payload
 * @param classes the application's classes and their ids, each at least {@link #FIRST_APPLICATION_ID}
 */
public record KryoSettings(
    boolean registrationRequired, int poolSize, int bufferBytes, int maxBufferBytes, Map<Class<?>, Integer> classes) {

  /** Ids below this one are reserved for the built-in types; applications' classes take ids from here on. */
  public static final int FIRST_APPLICATION_ID = BuiltInTypes.FIRST_APPLICATION_ID;

  static final String PREFIX = "cohort.kryo";
  static final String REGISTRATION_REQUIRED = PREFIX + ".registration-required";
  static final String POOL_SIZE = PREFIX + ".pool-size";
  static final String BUFFER_SIZE = PREFIX + ".buffer-size";
  static final String MAX_BUFFER_SIZE = PREFIX + ".max-buffer-size";
  static final String CLASSES = PREFIX + ".classes";

  /** The largest byte array a JVM reliably allocates. */
  private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  private static final String CLASS_EXAMPLE = "\"com.example.Deposit\" = " + FIRST_APPLICATION_ID;

  /** Copies {@code classes}, so that the settings stay immutable. */
  public KryoSettings {
    classes = Map.copyOf(classes);
  }

  /** Reads {@code cohort.kryo} from a fully resolved config, loading classes with this class's loader. */
  public static KryoSettings fromConfig(Config config) {
    return fromConfig(config, KryoSettings.class.getClassLoader());
  }

  /**
   * Reads {@code cohort.kryo} from a fully resolved config.
   *
   * @param classLoader loads the classes named in {@code cohort.kryo.classes}: the actor system's
   * @throws ConfigurationException naming the key, if the configuration cannot work
   */
  public static KryoSettings fromConfig(Config config, ClassLoader classLoader) {
    SettingsReader.refuseUnknownKeys(config, PREFIX);
    boolean registrationRequired = read(config, REGISTRATION_REQUIRED, config::getBoolean);
    int poolSize = read(config, POOL_SIZE, config::getInt);
    if (poolSize < 1) {
      throw new ConfigurationException(POOL_SIZE, "must be at least 1, got " + poolSize);
    }
    long bufferBytes = bytes(config, BUFFER_SIZE);
    long maxBufferBytes = bytes(config, MAX_BUFFER_SIZE);
    if (maxBufferBytes < bufferBytes) {
      throw new ConfigurationException(MAX_BUFFER_SIZE, maxBufferBytes + " bytes is less than " + BUFFER_SIZE
          + " = " + bufferBytes + " bytes; raise it or lower " + BUFFER_SIZE);
    }
    return new KryoSettings(registrationRequired, poolSize, (int) bufferBytes, (int) maxBufferBytes,
        classes(config, classLoader));
  }

  /** The full key under which {@code type} is registered, for messages. */
  static String classKey(Class<?> type) {
    return SettingsReader.key(CLASSES, type.getName());
  }

  private static Map<Class<?>, Integer> classes(Config config, ClassLoader classLoader) {
    ConfigObject root = SettingsReader.objectAt(config, CLASSES, "{ " + CLASS_EXAMPLE + " }");
    var entries = new ArrayList<Map.Entry<List<String>, ConfigValue>>();
    collect(root, List.of(), entries);
    var classes = new HashMap<Class<?>, Integer>();
    var keyById = new HashMap<Integer, String>();
    for (var entry : entries) {
      // A name written without quotes is a nested path (com { example { Deposit = 100 } }): join it again.
      String name = String.join(".", entry.getKey());
      String key = CLASSES + "." + ConfigUtil.joinPath(entry.getKey());
      int id = SettingsReader.wholeNumber(key, entry.getValue(), CLASS_EXAMPLE);
      if (id < FIRST_APPLICATION_ID || id > BuiltInTypes.LAST_ID) {
        throw new ConfigurationException(key, "id " + id + " is outside " + FIRST_APPLICATION_ID + " to "
            + BuiltInTypes.LAST_ID + "; ids below " + FIRST_APPLICATION_ID
            + " are reserved for the built-in types listed in reference.conf under " + PREFIX);
      }
      String other = keyById.putIfAbsent(id, key);
      if (other != null) {
        throw new ConfigurationException(key, "id " + id + " is also given to " + other
            + "; every class needs an id of its own");
      }
      Class<?> type = load(key, name, classLoader);
      int builtIn = BuiltInTypes.idOf(type);
      if (builtIn >= 0) {
        throw new ConfigurationException(key, name + " is built in, with id " + builtIn + "; remove it from " + CLASSES);
      }
      if (!type.isEnum() && !type.isArray() && (type.isInterface() || Modifier.isAbstract(type.getModifiers()))) {
        throw new ConfigurationException(key, name + " is an interface or abstract class, which is never serialized"
            + " itself: register each concrete class (record, class or enum) that is sent");
      }
      if (classes.containsKey(type)) {
        throw new ConfigurationException(key, name + " is registered twice, once with quotes and once without;"
            + " keep one");
      }
      classes.put(type, id);
    }
    return classes;
  }

  /** The leaves of {@code object}, by their path; a null value unsets a class (HOCON's way). */
  private static void collect(ConfigObject object, List<String> path, List<Map.Entry<List<String>, ConfigValue>> into) {
    for (String name : SettingsReader.names(object)) {
      var childPath = new ArrayList<>(path);
      childPath.add(name);
      ConfigValue value = object.get(name);
      if (value.valueType() == ConfigValueType.OBJECT) {
        collect((ConfigObject) value, childPath, into);
      } else {
        into.add(Map.entry(List.copyOf(childPath), value));
      }
    }
  }

  private static Class<?> load(String key, String name, ClassLoader classLoader) {
    try {
      return Class.forName(name, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigurationException(key, "class " + name + " not found (" + e + "); write its binary name, with $"
          + " before a nested class's name, in quotes: \"com.example.Outer$Inner\" = " + FIRST_APPLICATION_ID);
    }
  }

  private static long bytes(Config config, String key) {
    long bytes = read(config, key, config::getBytes);
    if (bytes < 1 || bytes > MAX_ARRAY_BYTES) {
      throw new ConfigurationException(key, "must be a size from 1 byte to " + MAX_ARRAY_BYTES
          + " bytes such as 64 KiB or 2 MiB, got " + bytes);
    }
    return bytes;
  }

  private static <T> T read(Config config, String key, Function<String, T> getter) {
    try {
      return getter.apply(key);
    } catch (ConfigException e) {
      throw SettingsReader.wrap(key, e);
    }
  }
}
