package dev.cohort.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.SettingsReader;
import dev.cohort.node.kv.KvSettings;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The key-value tables, from {@code cohort.tables} and {@code cohort.kv}: which partition group
 * each table lives on, and the limits every copy of a partition applies alike.
 *
 * @param partitionGroupOf each table's partition group, by table name
 * @param maxValueBytes the largest value accepted
 * @param requestsPerClient recent request ids remembered per client and partition
 * @param maxClients clients remembered per partition
 */
public record TableSettings(
    SortedMap<String, String> partitionGroupOf, int maxValueBytes, int requestsPerClient, int maxClients) {

  public TableSettings {
    partitionGroupOf = Collections.unmodifiableSortedMap(new TreeMap<>(partitionGroupOf));
  }

  /** Reads the tables and checks each names a partition group of {@code cohort}. */
  public static TableSettings fromConfig(Config config, CohortSettings cohort) {
    ConfigObject tables = SettingsReader.objectAt(config, "cohort.tables", "cohort.tables { demo { partition-group = accounts } }");
    var groups = new TreeMap<String, String>();
    for (String name : SettingsReader.names(tables)) {
      String key = SettingsReader.key("cohort.tables", name);
      SettingsReader.name(key, name, "table");
      ConfigObject table = SettingsReader.object(key, tables.get(name), name + " { partition-group = accounts }");
      SettingsReader.onlyKnownKeys(key, table, Set.of("partition-group"), "a table");
      String groupKey = SettingsReader.key(key, "partition-group");
      String group = SettingsReader.nonBlankString(groupKey,
          SettingsReader.child(table, "partition-group").orElseThrow(() -> new ConfigurationException(
              groupKey, "a table needs the partition group it lives on; write partition-group = accounts")),
          "partition-group = accounts");
      if (!cohort.partitionGroups().containsKey(group)) {
        throw new ConfigurationException(groupKey, "unknown partition group '" + group + "'; use one of "
            + cohort.partitionGroups().keySet());
      }
      groups.put(name, group);
    }
    SettingsReader.refuseUnknownKeys(config, "cohort.kv");
    return new TableSettings(groups,
        (int) Math.min(Integer.MAX_VALUE, ReplicationSettings.requireFitsInFrame(config, "cohort.kv.max-value-bytes",
            ConfigReads.positiveBytes(config, "cohort.kv.max-value-bytes"))),
        ConfigReads.intBetween(config, "cohort.kv.requests-per-client", 1, 10_000_000),
        ConfigReads.intBetween(config, "cohort.kv.max-clients", 1, 10_000_000));
  }

  /** The tables that live on partition group {@code group}. */
  public Set<String> tablesOn(String group) {
    var names = new TreeSet<String>();
    partitionGroupOf.forEach((table, on) -> {
      if (on.equals(group)) {
        names.add(table);
      }
    });
    return names;
  }

  /** The state machine limits of a partition of {@code group}. */
  public KvSettings kvSettings(String group) {
    return new KvSettings(tablesOn(group), maxValueBytes, requestsPerClient, maxClients);
  }

  /** Every table name, for error messages. */
  public Set<String> names() {
    return partitionGroupOf.keySet();
  }
}
