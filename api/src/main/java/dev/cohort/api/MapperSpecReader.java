package dev.cohort.api;

import static dev.cohort.api.SettingsReader.child;
import static dev.cohort.api.SettingsReader.key;
import static dev.cohort.api.SettingsReader.nonBlankString;
import static dev.cohort.api.SettingsReader.onlyKnownKeys;
import static dev.cohort.api.SettingsReader.string;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code mapper} setting: a type name, or an object with {@code type} and that type's keys.
 * A custom mapper class is checked by {@link CustomMapperClass}, which loads it without initializing
 * it: building a mapper at settings time would run user code before the node is up.
 */
final class MapperSpecReader {
  static final List<String> TYPES = List.of("consistent-hash", "round-robin", "hash-by-field", "custom");

  private static final String EXAMPLE = "mapper = consistent-hash, or mapper { type = hash-by-field, field = merchantId }";

  private MapperSpecReader() {}

  static MapperSpec read(String key, ConfigValue value, ClassLoader classLoader) {
    ConfigObject object = null;
    String type;
    String typeKey;
    if (value.valueType() == ConfigValueType.OBJECT) {
      object = (ConfigObject) value;
      typeKey = key(key, "type");
      type = nonBlankString(
          typeKey,
          child(object, "type").orElseThrow(() -> new ConfigurationException(
              typeKey, "the mapper has no type; set type = one of " + TYPES)),
          "type = consistent-hash");
    } else if (value.valueType() == ConfigValueType.STRING) {
      typeKey = key;
      type = nonBlankString(key, value, EXAMPLE);
    } else {
      throw SettingsReader.wrongType(key, "a mapper type or an object with a type", value, EXAMPLE);
    }
    return switch (type) {
      case "consistent-hash" -> {
        checkKeys(key, object, Set.of("type"), type);
        yield new MapperSpec.ConsistentHash();
      }
      case "round-robin" -> {
        checkKeys(key, object, Set.of("type"), type);
        yield new MapperSpec.RoundRobin();
      }
      case "hash-by-field" -> {
        checkKeys(key, object, Set.of("type", "field"), type);
        String fieldKey = key(key, "field");
        String example = "mapper { type = hash-by-field, field = merchantId }";
        ConfigValue field = object == null ? null : child(object, "field").orElse(null);
        if (field == null) {
          throw new ConfigurationException(fieldKey, MapperSpec.HashByField.NO_FIELD);
        }
        yield new MapperSpec.HashByField(nonBlankString(fieldKey, field, example));
      }
      case "custom" -> {
        String classKey = key(key, "class");
        ConfigValue className = object == null ? null : child(object, "class").orElse(null);
        // a missing or blank name is left to the class check, so that it reads as it does there
        String name = className == null
            ? ""
            : string(classKey, className, "mapper { type = custom, class = \"com.example.MyMapper\" }").trim();
        if (CustomMapperClass.resolve(name, classLoader) instanceof CustomMapperClass.Unusable unusable) {
          throw new ConfigurationException(classKey, unusable.problem());
        }
        yield new MapperSpec.Custom(name, object.toConfig());
      }
      default -> throw new ConfigurationException(
          typeKey, "unknown mapper type '" + type + "'; use one of " + TYPES);
    };
  }

  private static void checkKeys(String key, ConfigObject object, Set<String> known, String type) {
    if (object != null) {
      onlyKnownKeys(key, object, known, "a " + type + " mapper");
    }
  }
}
