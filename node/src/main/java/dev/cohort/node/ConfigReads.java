package dev.cohort.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.SettingsReader;
import java.time.Duration;
import java.util.function.Function;

/** Typed reads of the node module's settings; every error names the full key. */
final class ConfigReads {
  private ConfigReads() {}

  static <T> T read(Config config, String key, Function<String, T> getter) {
    try {
      return getter.apply(key);
    } catch (ConfigException e) {
      throw SettingsReader.wrap(key, e);
    }
  }

  static Duration positiveDuration(Config config, String key) {
    Duration duration = read(config, key, config::getDuration);
    if (duration.isNegative() || duration.isZero()) {
      throw new ConfigurationException(key, "must be a positive duration such as 500ms or 5s, got " + duration);
    }
    return duration;
  }

  static int intBetween(Config config, String key, int min, int max) {
    int value = read(config, key, config::getInt);
    if (value < min || value > max) {
      throw new ConfigurationException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  static long positiveBytes(Config config, String key) {
    long bytes = read(config, key, config::getBytes);
    if (bytes < 1) {
      throw new ConfigurationException(key, "must be a positive size such as 64 KiB or 1 MiB, got " + bytes);
    }
    return bytes;
  }
}
