package dev.cohort.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.NodeName;
import dev.cohort.persistence.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {

  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load());
  }

  @Test
  void byDefaultANodeKeepsItsDataOnDiskInADirectoryOfItsOwnNameSyncedEvery10Ms() {
    StorageSettings settings = StorageSettings.fromConfig(ConfigFactory.load());

    assertEquals(StorageSettings.Engine.ROCKSDB, settings.engine());
    assertEquals(Path.of("cohort-data", "node-a"), settings.nodeDir(NodeName.of("node-a")));
    assertEquals(FsyncPolicy.interval(Duration.ofMillis(10)), settings.fsync());
    assertEquals(256 * 1024, settings.cachedBytesPerPartition());
    assertEquals(Duration.ofSeconds(5), settings.stateFlushInterval());
  }

  @Test
  void everyFsyncPolicyAndTheMemoryEngineCanBeChosen() {
    assertEquals(FsyncPolicy.ALWAYS, StorageSettings.fromConfig(with("cohort.storage.fsync = always")).fsync());
    assertEquals(FsyncPolicy.NEVER, StorageSettings.fromConfig(with("cohort.storage.fsync = never")).fsync());
    assertEquals(FsyncPolicy.interval(Duration.ofMillis(250)),
        StorageSettings.fromConfig(with("cohort.storage.fsync-interval = 250ms")).fsync());
    assertEquals(StorageSettings.Engine.MEMORY,
        StorageSettings.fromConfig(with("cohort.storage { engine = memory, dir = \"\" }")).engine());
  }

  @Test
  void anUnknownEngineOrPolicyIsRefusedNamingTheKeyAndTheChoices() {
    var engine = assertThrows(ConfigurationException.class,
        () -> StorageSettings.fromConfig(with("cohort.storage.engine = leveldb")));
    var fsync = assertThrows(ConfigurationException.class,
        () -> StorageSettings.fromConfig(with("cohort.storage.fsync = sometimes")));

    assertEquals("cohort.storage.engine: must be one of rocksdb, memory, got 'leveldb'", engine.getMessage());
    assertEquals("cohort.storage.fsync: must be one of always, interval, never, got 'sometimes'", fsync.getMessage());
  }

  @Test
  void aZeroIntervalOrAMissingDirectoryIsRefused() {
    var interval = assertThrows(ConfigurationException.class,
        () -> StorageSettings.fromConfig(with("cohort.storage.fsync-interval = 0ms")));
    var flush = assertThrows(ConfigurationException.class,
        () -> StorageSettings.fromConfig(with("cohort.storage.state-flush-interval = 0s")));
    var dir = assertThrows(ConfigurationException.class,
        () -> StorageSettings.fromConfig(with("cohort.storage.dir = \" \"")));

    assertEquals("cohort.storage.fsync-interval", interval.key());
    assertEquals("cohort.storage.state-flush-interval", flush.key());
    assertEquals("cohort.storage.dir: must name a directory for the rocksdb engine", dir.getMessage());
  }
}
