package dev.cohort.quorum;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.api.SettingsReader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;

/** Reads {@code cohort.quorum}; every error names the full key. */
final class QuorumSettingsReader {
  static final String QUORUM = "cohort.quorum";

  private static final Set<String> ENTRY_KEYS = Set.of("min-nodes", "min-percent");
  private static final String EXAMPLE = "ledger { min-nodes = 2 } or ledger { min-percent = 51 }";

  private QuorumSettingsReader() {}

  static QuorumSettings read(Config config, CohortSettings settings) {
    ConfigObject quorum = SettingsReader.objectAt(SettingsReader.withReference(config), QUORUM, QUORUM + " { " + EXAMPLE + " }");
    SortedSet<NodeGroup> known = settings.nodeGroups();
    var policies = new TreeMap<NodeGroup, QuorumPolicy>();
    for (NodeGroup group : known) {
      policies.put(group, QuorumPolicy.strictMajority(group, settings.nodesIn(group)));
    }
    for (String name : SettingsReader.names(quorum)) { // a null entry unsets it, leaving the default
      ConfigValue value = quorum.get(name);
      String key = SettingsReader.key(QUORUM, name);
      NodeGroup group = name.isBlank() ? null : NodeGroup.of(name);
      if (group == null || !known.contains(group)) {
        throw new ConfigurationException(
            key, "unknown node group '" + name + "': no roster node is in it; the known node groups (from "
                + "cohort.nodes.*.groups) are " + known + "; fix the name or remove the entry");
      }
      ConfigObject entry = SettingsReader.object(key, value, EXAMPLE);
      policies.put(group, policy(key, group, settings.nodesIn(group), entry));
    }
    return new QuorumSettings(policies);
  }

  private static QuorumPolicy policy(String key, NodeGroup group, SortedSet<NodeName> members, ConfigObject entry) {
    SettingsReader.onlyKnownKeys(key, entry, ENTRY_KEYS, "a quorum entry");
    ConfigValue minNodes = SettingsReader.child(entry, "min-nodes").orElse(null);
    ConfigValue minPercent = SettingsReader.child(entry, "min-percent").orElse(null);
    String groupRoster = "the " + members.size() + " roster node" + (members.size() == 1 ? "" : "s")
        + " of node group " + group + " " + members;
    if (minNodes != null && minPercent != null) {
      throw new ConfigurationException(key, "sets both min-nodes and min-percent; keep one");
    }
    if (minNodes == null && minPercent == null) {
      throw new ConfigurationException(
          key, "sets neither min-nodes nor min-percent; set one, or remove the entry to require a strict majority ("
              + QuorumPolicy.strictMajorityOf(members.size()) + " of " + groupRoster + ")");
    }
    if (minNodes != null) {
      String nodesKey = SettingsReader.key(key, "min-nodes");
      int needed = SettingsReader.wholeNumber(nodesKey, minNodes, "min-nodes = 2");
      if (needed < 1) {
        throw new ConfigurationException(nodesKey, "must be at least 1, got " + needed);
      }
      if (needed > members.size()) {
        throw new ConfigurationException(
            nodesKey, needed + " is more than " + groupRoster + ", so the group could never have quorum; set at most "
                + members.size() + " or add nodes to the group");
      }
      return QuorumPolicy.minNodes(group, members, needed);
    }
    String percentKey = SettingsReader.key(key, "min-percent");
    int percent = SettingsReader.wholeNumber(percentKey, minPercent, "min-percent = 51");
    if (percent < 1 || percent > 100) {
      throw new ConfigurationException(
          percentKey, "must be between 1 and 100 (a percentage of " + groupRoster + "), got " + percent);
    }
    return QuorumPolicy.minPercent(group, members, percent);
  }
}
