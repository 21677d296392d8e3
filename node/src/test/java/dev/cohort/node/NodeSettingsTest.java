package dev.cohort.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeSettingsTest {

  @Test
  void theDefaultsComeFromReferenceConf() {
    NodeSettings settings = NodeSettings.fromConfig(ConfigFactory.load());

    assertEquals("cohort", settings.systemName());
    assertEquals("127.0.0.1", settings.httpBindAddress());
    assertEquals(8080, settings.httpPort());
    assertEquals(Duration.ofMillis(200), settings.replanDelay());
  }

  @Test
  void aPortOutsideTheRangeIsRefusedNamingTheKey() {
    var config = ConfigFactory.parseString("cohort.http.port = 70000").withFallback(ConfigFactory.load());

    var error = assertThrows(ConfigurationException.class, () -> NodeSettings.fromConfig(config));

    assertEquals("cohort.http.port", error.key());
    assertEquals("cohort.http.port: port 70000 is outside 0-65535 (0 picks a free port)", error.getMessage());
  }

  @Test
  void aTimeoutThatIsNotADurationIsRefusedNamingTheKey() {
    var config = ConfigFactory.parseString("cohort.coordinator.write-timeout = soon").withFallback(ConfigFactory.load());

    var error = assertThrows(ConfigurationException.class, () -> NodeSettings.fromConfig(config));

    assertEquals("cohort.coordinator.write-timeout", error.key());
  }

  @Test
  void aKeyThatIsNoSettingIsRefusedNamingItAndTheSettings() {
    var config = ConfigFactory.parseString("cohort.replication.snapshot-after-entries = 100")
        .withFallback(ConfigFactory.load());

    var error = assertThrows(ConfigurationException.class, () -> ReplicationSettings.fromConfig(config));

    assertEquals("cohort.replication.snapshot-after-entries", error.key());
    assertTrue(error.getMessage().contains("compact-after-entries"), error.getMessage());
    var misspelt = ConfigFactory.parseString("cohort.coordinator.replan-dealy = 1s").withFallback(ConfigFactory.load());
    assertEquals("cohort.coordinator.replan-dealy",
        assertThrows(ConfigurationException.class, () -> NodeSettings.fromConfig(misspelt)).key());
  }

  @ParameterizedTest
  @CsvSource({
      "cohort.http.prot, 8081",
      "cohort.storage.fsync-intervall, 5ms",
      "cohort.client.request-timout, 1s",
      "cohort.entities.rebalance, 1s",
      "cohort.kv.max-value-byte, 1 KiB"})
  void aMisspeltKeyInAnyOfTheNodesSectionsIsRefusedNamingIt(String key, String value) {
    Config config = ConfigFactory.parseString(key + " = " + value + """

        cohort.nodes { n1 { groups = [ledger] } }
        cohort.clusters.main.node-groups = [ledger]
        cohort.partition-groups.accounts { cluster = main, partitions = 4, replicas = 0 }
        """).withFallback(ConfigFactory.load());

    var error = assertThrows(ConfigurationException.class, () -> {
      NodeSettings.fromConfig(config);
      StorageSettings.fromConfig(config);
      ClientSettings.fromConfig(config);
      EntitySettings.fromConfig(config);
      TableSettings.fromConfig(config, CohortSettings.fromConfig(config));
    });

    assertEquals(key, error.key());
    assertTrue(error.getMessage().contains("is not a setting"), error.getMessage());
  }

  @Test
  void aZeroDelayIsRefused() {
    var config = ConfigFactory.parseString("cohort.coordinator.replan-delay = 0s").withFallback(ConfigFactory.load());

    var error = assertThrows(ConfigurationException.class, () -> NodeSettings.fromConfig(config));

    assertEquals("cohort.coordinator.replan-delay: must be a positive duration such as 500ms or 5s, got PT0S",
        error.getMessage());
  }
}
