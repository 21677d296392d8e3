package dev.cohort.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.ConfigurationException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JournalPluginSettingsTest {
  private static Config journal(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load().getConfig("cohort.journal"));
  }

  @Test
  void anEmptyPartitionGroupMeansTheOnlyGroup_andTheReplayPageIsRead() {
    var settings = JournalPluginSettings.of(journal("replay-page = 50"), Set.of("ledger"), true);

    assertEquals(new JournalPluginSettings("ledger", 50), settings);
  }

  @Test
  void anEmptyGroupAmongSeveral_anUnknownGroup_orAPageBelowOneIsRefusedNamingTheKey() {
    var several = assertThrows(ConfigurationException.class,
        () -> JournalPluginSettings.of(journal(""), Set.of("ledger", "kv"), true));
    var unknown = assertThrows(ConfigurationException.class,
        () -> JournalPluginSettings.of(journal("partition-group = orders"), Set.of("ledger"), true));
    var page = assertThrows(ConfigurationException.class,
        () -> JournalPluginSettings.of(journal("replay-page = 0"), Set.of("ledger"), true));

    assertEquals("partition-group", several.key());
    assertEquals("partition-group: no partition group 'orders'; declared: [ledger]", unknown.getMessage());
    assertEquals("replay-page", page.key());
  }
}
