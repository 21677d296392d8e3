package dev.cohort.node;

import com.typesafe.config.Config;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.NodeName;
import dev.cohort.api.SettingsReader;
import dev.cohort.persistence.FsyncPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where and how a node keeps its partitions' logs and snapshots, read once from {@code
 * cohort.storage}. Defaults and their meaning are in the node module's reference.conf.
 *
 * @param engine RocksDB on disk, or the heap (nothing survives the process)
 * @param dir the directory under which each node keeps its data in a directory of its own name
 * @param fsync when writes on disk are synced to the device; see {@link FsyncPolicy} for what each
 *     policy survives
 * @param cachedBytesPerPartition how much of the latest entries of each partition's log on disk is
 *     kept in memory too, so that reading back what was just appended does not read the disk
 * @param stateFlushInterval how often the applied state on disk is written to its table files; the
 *     log keeps the entries applied since
 */
public record StorageSettings(Engine engine, Path dir, FsyncPolicy fsync, long cachedBytesPerPartition,
    Duration stateFlushInterval) {
  private static final String ENGINE = "cohort.storage.engine";
  private static final String DIR = "cohort.storage.dir";
  private static final String FSYNC = "cohort.storage.fsync";
  private static final String FSYNC_INTERVAL = "cohort.storage.fsync-interval";
  private static final String CACHED_BYTES = "cohort.storage.cached-bytes-per-partition";
  private static final String STATE_FLUSH_INTERVAL = "cohort.storage.state-flush-interval";

  /** Where partition data lives. */
  public enum Engine {
    /** RocksDB under {@link #dir()}: survives restarts of the process, and more by the fsync policy. */
    ROCKSDB,
    /** The heap: a restarted node comes back empty and catches up from the others. */
    MEMORY
  }

  /**
   * Reads the storage settings from a fully resolved config.
   *
   * @throws ConfigurationException naming the key that is missing, malformed or unknown
   */
  public static StorageSettings fromConfig(Config config) {
    SettingsReader.refuseUnknownKeys(config, "cohort.storage");
    Engine engine = oneOf(config, ENGINE, Engine.class);
    String dirText = ConfigReads.read(config, DIR, config::getString);
    if (engine == Engine.ROCKSDB && dirText.isBlank()) {
      throw new ConfigurationException(DIR, "must name a directory for the rocksdb engine");
    }
    Path dir;
    try {
      dir = Path.of(dirText);
    } catch (InvalidPathException e) {
      throw new ConfigurationException(DIR, "is not a usable path: " + e.getMessage());
    }
    FsyncPolicy.Kind kind = oneOf(config, FSYNC, FsyncPolicy.Kind.class);
    FsyncPolicy fsync = switch (kind) {
      case ALWAYS -> FsyncPolicy.ALWAYS;
      case NEVER -> FsyncPolicy.NEVER;
      case INTERVAL -> FsyncPolicy.interval(ConfigReads.positiveDuration(config, FSYNC_INTERVAL));
    };
    return new StorageSettings(engine, dir, fsync, ConfigReads.positiveBytes(config, CACHED_BYTES),
        ConfigReads.positiveDuration(config, STATE_FLUSH_INTERVAL));
  }

  /** The directory node {@code node} keeps its data in: {@link #dir()}/{@code node}. */
  public Path nodeDir(NodeName node) {
    return dir.resolve(node.value());
  }

  private static <E extends Enum<E>> E oneOf(Config config, String key, Class<E> type) {
    String value = ConfigReads.read(config, key, config::getString);
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      var names = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        names.append(names.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigurationException(key, "must be one of " + names + ", got '" + value + "'");
    }
  }
}
