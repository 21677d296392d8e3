package dev.cohort.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Typed reads of HOCON values that fail with a {@link ConfigurationException} naming the full key,
 * instead of Typesafe's exceptions, whose paths are relative to whatever sub-config was read. Every
 * Cohort module reads its settings with it, so that all configuration errors read alike.
 */
public final class SettingsReader {
  /** Names of node groups, clusters and partition groups: no '.', so that they need no quoting as HOCON keys. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  /** How {@link #NAME} is explained in errors. */
  public static final String NAME_RULE = "use letters, digits, '_' and '-', starting with a letter or digit";

  private SettingsReader() {}

  /** {@code config} with every reference.conf behind it, so that callers may pass a bare parsed file. */
  public static Config withReference(Config config) {
    try {
      Config merged = config.withFallback(ConfigFactory.defaultReference(CohortSettings.class.getClassLoader()));
      return merged.isResolved() ? merged : merged.resolve();
    } catch (ConfigException e) {
      throw wrap("cohort", e);
    }
  }

  /** The full key of {@code child} under {@code parent}, quoted where HOCON needs it. */
  public static String key(String parent, String child) {
    return parent + "." + ConfigUtil.joinPath(child);
  }

  /** The value at a path from the root; empty when missing or null (null unsets a setting in HOCON). */
  public static Optional<ConfigValue> value(Config root, String path) {
    try {
      if (!root.hasPath(path)) {
        return Optional.empty();
      }
      return Optional.of(root.getValue(path));
    } catch (ConfigException e) {
      throw wrap(path, e);
    }
  }

  /** The object at a path from the root; an empty object when missing or null. */
  public static ConfigObject objectAt(Config root, String path, String example) {
    return value(root, path).map(v -> object(path, v, example)).orElse(ConfigFactory.empty().root());
  }

  /** A child of an object; empty when missing or null. */
  public static Optional<ConfigValue> child(ConfigObject object, String name) {
    ConfigValue value = object.get(name);
    return value == null || value.valueType() == ConfigValueType.NULL ? Optional.empty() : Optional.of(value);
  }

  /** The non-null children's names of an object, in name order. */
  public static List<String> names(ConfigObject object) {
    var names = new TreeSet<String>();
    object.forEach((name, value) -> {
      if (value.valueType() != ConfigValueType.NULL) {
        names.add(name);
      }
    });
    return List.copyOf(names);
  }

  /** An object; anything else is refused, naming the key and showing {@code example}. */
  public static ConfigObject object(String key, ConfigValue value, String example) {
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw wrongType(key, "an object", value, example);
    }
    return (ConfigObject) value;
  }

  /** A string; numbers and booleans are taken as written, as Typesafe Config does. */
  public static String string(String key, ConfigValue value, String example) {
    return switch (value.valueType()) {
      case STRING -> (String) value.unwrapped();
      case NUMBER, BOOLEAN -> value.atKey("v").getString("v");
      default -> throw wrongType(key, "a string", value, example);
    };
  }

  /** A string that is not blank. */
  public static String nonBlankString(String key, ConfigValue value, String example) {
    String text = string(key, value, example);
    if (text.isBlank()) {
      throw new ConfigurationException(key, "is empty; write e.g. " + example);
    }
    return text.trim();
  }

  /** A list of strings. */
  public static List<String> strings(String key, ConfigValue value, String example) {
    if (value.valueType() != ConfigValueType.LIST) {
      throw wrongType(key, "a list of strings", value, example);
    }
    var result = new ArrayList<String>();
    for (ConfigValue element : (ConfigList) value) {
      switch (element.valueType()) {
        case STRING, NUMBER, BOOLEAN -> result.add(string(key, element, example).trim());
        default -> throw wrongType(key, "a list of strings", value, example);
      }
    }
    return List.copyOf(result);
  }

  /** A list. */
  public static List<ConfigValue> list(String key, ConfigValue value, String example) {
    if (value.valueType() != ConfigValueType.LIST) {
      throw wrongType(key, "a list", value, example);
    }
    return List.copyOf((ConfigList) value);
  }

  /** A whole number in int range; a numeric string counts, as environment substitutions give strings. */
  public static int wholeNumber(String key, ConfigValue value, String example) {
    if (value.valueType() == ConfigValueType.NUMBER) {
      Number number = (Number) value.unwrapped();
      double asDouble = number.doubleValue();
      if (asDouble == Math.rint(asDouble) && asDouble >= Integer.MIN_VALUE && asDouble <= Integer.MAX_VALUE) {
        return number.intValue();
      }
    } else if (value.valueType() == ConfigValueType.STRING) {
      try {
        return Integer.parseInt(((String) value.unwrapped()).trim());
      } catch (NumberFormatException e) {
        // falls through to the wrong-type message below
      }
    }
    throw wrongType(key, "a whole number", value, example);
  }

  /** Refuses a key of {@code object} not in {@code known}, naming the first in name order. */
  public static void onlyKnownKeys(String key, ConfigObject object, Collection<String> known, String what) {
    for (String name : names(object)) {
      if (!known.contains(name)) {
        throw new ConfigurationException(
            key(key, name), "unknown key in " + what + "; the known keys are " + new TreeSet<>(known)
                + " (check the spelling, or remove it)");
      }
    }
  }

  /** Checks a node group, cluster or partition group name. */
  public static String name(String key, String name, String what) {
    if (!NAME.matcher(name).matches()) {
      throw new ConfigurationException(key, "'" + name + "' is not a valid " + what + " name; " + NAME_RULE);
    }
    return name;
  }

  /** The error for a value of the wrong type: what was expected, what was found, an example. */
  public static ConfigurationException wrongType(String key, String expected, ConfigValue value, String example) {
    return new ConfigurationException(
        key, "expected " + expected + ", got " + describe(value) + "; write e.g. " + example);
  }

  /**
   * Refuses a key under {@code section} that the reference configuration does not have: a misspelt or
   * renamed setting would otherwise be ignored silently, its default taken instead. Keys inside an
   * object the reference leaves empty (such as {@code cohort.kryo.classes}) are the application's own.
   *
   * @throws ConfigurationException naming the unknown key and the section's settings
   */
  public static void refuseUnknownKeys(Config config, String section) {
    Config known = ConfigFactory.defaultReference().getConfig(section);
    Config given;
    try {
      given = config.getConfig(section);
    } catch (ConfigException e) {
      throw wrap(section, e);
    }
    for (var entry : given.entrySet()) {
      if (!known.hasPathOrNull(entry.getKey()) && !insideOpenObject(known, entry.getKey())) {
        throw new ConfigurationException(section + "." + entry.getKey(), "is not a setting; the settings of "
            + section + " are " + new TreeSet<>(known.root().keySet()));
      }
    }
  }

  /** Whether {@code path} lies inside an object that {@code known} holds empty, for the application to fill. */
  private static boolean insideOpenObject(Config known, String path) {
    List<String> parts = ConfigUtil.splitPath(path);
    for (int i = 1; i < parts.size(); i++) {
      String prefix = ConfigUtil.joinPath(parts.subList(0, i));
      if (known.hasPath(prefix) && known.getValue(prefix).valueType() == ConfigValueType.OBJECT
          && known.getObject(prefix).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** A Typesafe Config error as a {@link ConfigurationException} naming {@code key}. */
  public static ConfigurationException wrap(String key, ConfigException e) {
    var wrapped = new ConfigurationException(key, e.getMessage());
    wrapped.initCause(e);
    return wrapped;
  }

  /** A value's type and its text, shortened, for error messages. */
  public static String describe(ConfigValue value) {
    String kind = switch (value.valueType()) {
      case OBJECT -> "an object";
      case LIST -> "a list";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case STRING -> "a string";
    };
    String text = value.render(ConfigRenderOptions.concise());
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return kind + " (" + text + ")";
  }
}
