package dev.cohort.node.internal.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.cohort.api.ConfigurationException;
import java.io.File;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's options: {@code --name value} pairs and {@code --flag}s. Every option must be read
 * by the command ({@link #requireAllUsed}), so a misspelt option is an error rather than ignored.
 */
public final class Arguments {
  private static final Set<String> FLAGS = Set.of("json");

  private final Map<String, String> values;
  private final Set<String> used = new HashSet<>();

  private Arguments(Map<String, String> values) {
    this.values = values;
  }

  /** Parses {@code --name value} and {@code --flag} options. */
  public static Arguments parse(String[] args) {
    var values = new HashMap<String, String>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      if (FLAGS.contains(name)) {
        values.put(name, "true");
      } else if (i + 1 < args.length) {
        values.put(name, args[++i]);
      } else {
        throw new UsageException("option --" + name + " needs a value");
      }
    }
    return new Arguments(values);
  }

  /** The value of {@code --name}, if given. */
  public Optional<String> option(String name) {
    used.add(name);
    return Optional.ofNullable(values.get(name));
  }

  /** The value of {@code --name}, which must be given. */
  public String required(String name) {
    return option(name).orElseThrow(() -> new UsageException("option --" + name + " is required"));
  }

  /** Whether {@code --name} was given. */
  public boolean flag(String name) {
    return option(name).isPresent();
  }

  /** The HOCON file named by {@code --config}, parsed (its includes resolved relative to it). */
  public Config configFile() {
    File file = new File(required("config"));
    if (!file.isFile()) {
      throw new UsageException("--config " + file + ": no such file");
    }
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new ConfigurationException(file.toString(), "cannot be parsed: " + e.getMessage());
    }
  }

  /** Fails on any option the command did not read. */
  public void requireAllUsed() {
    var unknown = new HashSet<>(values.keySet());
    unknown.removeAll(used);
    if (!unknown.isEmpty()) {
      throw new UsageException("unknown option --" + unknown.iterator().next());
    }
  }
}
