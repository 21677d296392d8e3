package dev.cohort.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.cohort.api.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EntitySettingsTest {

  @Test
  void byDefaultAShardWaitsFiveSecondsForItsActive_andMisplacedShardsMoveEveryTwoSeconds() {
    EntitySettings settings = EntitySettings.fromConfig(ConfigFactory.load());

    assertEquals(new EntitySettings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(2)), settings);
  }

  @Test
  void aZeroOrMalformedDurationIsRefusedNamingTheKey() {
    var zero = assertThrows(ConfigurationException.class, () -> EntitySettings.fromConfig(
        ConfigFactory.parseString("cohort.entities.rebalance-interval = 0s").withFallback(ConfigFactory.load())));
    var malformed = assertThrows(ConfigurationException.class, () -> EntitySettings.fromConfig(
        ConfigFactory.parseString("cohort.entities.allocation-wait = soon").withFallback(ConfigFactory.load())));

    assertTrue(zero.getMessage().startsWith("cohort.entities.rebalance-interval: must be a positive duration"),
        zero.getMessage());
    assertTrue(malformed.getMessage().startsWith("cohort.entities.allocation-wait"), malformed.getMessage());
  }
}
