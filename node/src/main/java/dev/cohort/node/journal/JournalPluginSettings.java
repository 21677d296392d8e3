package dev.cohort.node.journal;

import com.typesafe.config.Config;
import dev.cohort.api.ConfigurationException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of a replicated journal or snapshot-store plugin, read from its plugin config
 * ({@code cohort.journal}, {@code cohort.snapshot-store} or a copy of either).
 *
 * @param partitionGroup the partition group whose partitions hold the persistence ids
 * @param replayPage how many events one query of a replay reads (the journal's {@code replay-page}; 1
 *     for a snapshot store, which replays nothing)
 */
record JournalPluginSettings(String partitionGroup, int replayPage) {
  /**
   * Reads {@code config}; an empty {@code partition-group} means the cluster's only group.
   *
   * @param groups the declared partition groups
   * @param journal true for the journal, which reads {@code replay-page} too
   * @throws ConfigurationException naming the key, if a value is missing or wrong
   */
  static JournalPluginSettings of(Config config, Set<String> groups, boolean journal) {
    String group = config.hasPath("partition-group") ? config.getString("partition-group") : "";
    if (group.isBlank()) {
      if (groups.size() != 1) {
        throw new ConfigurationException("partition-group", "the replicated journal needs partition-group set, to one of "
            + new TreeSet<>(groups) + " (it may be left empty only when there is exactly one group)");
      }
      group = groups.iterator().next();
    } else if (!groups.contains(group)) {
      throw new ConfigurationException("partition-group", "no partition group '" + group + "'; declared: "
          + new TreeSet<>(groups));
    }
    if (!journal) {
      return new JournalPluginSettings(group, 1);
    }
    int page = config.hasPath("replay-page") ? config.getInt("replay-page") : 0;
    if (page < 1) {
      throw new ConfigurationException("replay-page", "must be at least 1, got " + page);
    }
    return new JournalPluginSettings(group, page);
  }
}
