package dev.cohort.api;

import static dev.cohort.api.SettingsReader.child;
import static dev.cohort.api.SettingsReader.key;
import static dev.cohort.api.SettingsReader.names;
import static dev.cohort.api.SettingsReader.nonBlankString;
import static dev.cohort.api.SettingsReader.object;
import static dev.cohort.api.SettingsReader.onlyKnownKeys;
import static dev.cohort.api.SettingsReader.wholeNumber;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads {@code cohort.partition-groups}, each entry over {@code cohort.partition-group-defaults}.
 * A key takes the entry's own value if it has one, else the default's whole value: a {@code mapper}
 * is one unit, so a group's mapper object never picks up keys of the default mapper.
 */
final class PartitionGroupReader {
  static final String DEFAULTS = "cohort.partition-group-defaults";
  static final String GROUPS = "cohort.partition-groups";

  private static final List<String> TYPES = List.of("dynamic", "static");
  private static final Set<String> DEFAULT_KEYS = Set.of("type", "cluster", "partitions", "replicas", "mapper");
  private static final Set<String> DYNAMIC_KEYS = Set.of("type", "cluster", "partitions", "replicas", "mapper");
  private static final Set<String> STATIC_KEYS = Set.of("type", "partitions", "mapper");
  private static final Set<String> PARTITION_KEYS = Set.of("active", "replicas");
  private static final String PARTITIONS_EXAMPLE = "partitions = [ { active = node-a, replicas = [node-b] } ]";

  private final Config root;
  private final Map<NodeName, NodeSpec> roster;
  private final Map<String, ClusterScope> clusters;
  private final ClassLoader classLoader;
  private final ConfigObject defaults;

  /** A group's setting and the key it came from: the group's own, or the defaults block's. */
  private record Setting(String key, ConfigValue value, boolean inherited) {
    String note() {
      return inherited ? " (inherited from " + key + ")" : "";
    }
  }

  PartitionGroupReader(
      Config root, Map<NodeName, NodeSpec> roster, Map<String, ClusterScope> clusters, ClassLoader classLoader) {
    this.root = root;
    this.roster = roster;
    this.clusters = clusters;
    this.classLoader = classLoader;
    this.defaults = SettingsReader.objectAt(root, DEFAULTS, DEFAULTS + " { partitions = 271 }");
  }

  Map<String, PartitionGroupSettings> read() {
    checkDefaults();
    ConfigObject groups = SettingsReader.objectAt(root, GROUPS, GROUPS + " { accounts { cluster = main } }");
    var result = new TreeMap<String, PartitionGroupSettings>();
    for (String name : names(groups)) {
      String groupKey = key(GROUPS, name);
      SettingsReader.name(groupKey, name, "partition group");
      ConfigObject own = object(groupKey, groups.get(name), name + " { type = dynamic, cluster = main }");
      result.put(name, readGroup(name, groupKey, own));
    }
    return result;
  }

  /** The defaults are checked on their own, so a bad default is reported at its own key. */
  private void checkDefaults() {
    onlyKnownKeys(DEFAULTS, defaults, DEFAULT_KEYS, "the partition group defaults");
    child(defaults, "type").ifPresent(v -> type(new Setting(key(DEFAULTS, "type"), v, true)));
    child(defaults, "cluster").ifPresent(v -> nonBlankString(key(DEFAULTS, "cluster"), v, "cluster = main"));
    child(defaults, "partitions").ifPresent(v -> partitionCount(new Setting(key(DEFAULTS, "partitions"), v, true)));
    child(defaults, "replicas").ifPresent(v -> replicas(new Setting(key(DEFAULTS, "replicas"), v, true)));
    child(defaults, "mapper").ifPresent(v -> MapperSpecReader.read(key(DEFAULTS, "mapper"), v, classLoader));
  }

  private PartitionGroupSettings readGroup(String name, String groupKey, ConfigObject own) {
    Setting typeSetting = setting(groupKey, own, "type").orElseThrow(() -> new ConfigurationException(
        key(groupKey, "type"), "partition group " + name + " has no type; set type = one of " + TYPES));
    return switch (type(typeSetting)) {
      case "dynamic" -> readDynamic(name, groupKey, own);
      case "static" -> readStatic(name, groupKey, own);
      default -> throw new IllegalStateException("unreachable: types are checked");
    };
  }

  private PartitionGroupSettings.Dynamic readDynamic(String name, String groupKey, ConfigObject own) {
    onlyKnownKeys(groupKey, own, DYNAMIC_KEYS, "a dynamic partition group");
    String clusterKey = key(groupKey, "cluster");
    Setting clusterSetting = setting(groupKey, own, "cluster").orElseThrow(() -> new ConfigurationException(
        clusterKey, "dynamic partition group " + name + " needs the cluster whose nodes host it; set cluster = one of "
            + clusterNames()));
    String clusterName = nonBlankString(clusterSetting.key(), clusterSetting.value(), "cluster = main");
    ClusterScope cluster = clusters.get(clusterName);
    if (cluster == null) {
      throw new ConfigurationException(
          clusterKey, "unknown cluster '" + clusterName + "'" + clusterSetting.note() + "; "
              + (clusters.isEmpty()
                  ? "no clusters are configured; add one under cohort.clusters, e.g. main { node-groups = [ledger] }"
                  : "use one of " + clusterNames() + " or add it under cohort.clusters"));
    }

    Setting partitionsSetting = required(groupKey, own, "partitions");
    if (partitionsSetting.value().valueType() == ConfigValueType.LIST) {
      throw new ConfigurationException(
          partitionsSetting.key(), "a list of placements is for type = static; a dynamic group gives a count, "
              + "e.g. partitions = 271, or set type = static");
    }
    int partitions = partitionCount(partitionsSetting);

    Setting replicasSetting = required(groupKey, own, "replicas");
    int replicas = replicas(replicasSetting);
    SortedSet<NodeName> hosts = hostsOf(cluster);
    if (replicas >= hosts.size()) {
      throw new ConfigurationException(
          key(groupKey, "replicas"), replicas + (replicas == 1 ? " replica" : " replicas") + replicasSetting.note()
              + " need " + (replicas + 1)
              + " nodes (active + replicas), but cluster " + cluster.name() + " has " + hosts.size()
              + " roster node" + (hosts.size() == 1 ? "" : "s") + " that can host them: " + hosts
              + "; set replicas to at most " + (hosts.size() - 1) + " or add nodes to node groups "
              + new TreeSet<>(cluster.nodeGroups()));
    }

    MapperSpec mapper = mapper(groupKey, own);
    return new PartitionGroupSettings.Dynamic(name, cluster.name(), partitions, replicas, mapper);
  }

  private PartitionGroupSettings.Static readStatic(String name, String groupKey, ConfigObject own) {
    if (child(own, "replicas").isPresent()) {
      throw new ConfigurationException(
          key(groupKey, "replicas"), "a static group lists the replicas of each partition under partitions; "
              + "remove this key and write " + PARTITIONS_EXAMPLE);
    }
    if (child(own, "cluster").isPresent()) {
      throw new ConfigurationException(
          key(groupKey, "cluster"), "a static group names the nodes of each partition and spreads over no cluster; "
              + "remove this key");
    }
    onlyKnownKeys(groupKey, own, STATIC_KEYS, "a static partition group");
    String partitionsKey = key(groupKey, "partitions");
    ConfigValue listed = child(own, "partitions").orElse(null);
    if (listed == null || listed.valueType() != ConfigValueType.LIST) {
      throw new ConfigurationException(
          partitionsKey, "static partition group " + name + " must list its partitions"
              + (listed == null ? "" : ", got " + SettingsReader.describe(listed)) + "; write " + PARTITIONS_EXAMPLE);
    }
    List<ConfigValue> entries = SettingsReader.list(partitionsKey, listed, PARTITIONS_EXAMPLE);
    if (entries.isEmpty()) {
      throw new ConfigurationException(
          partitionsKey, "static partition group " + name + " has no partitions; write " + PARTITIONS_EXAMPLE);
    }
    var placements = new ArrayList<Placement>(entries.size());
    for (int index = 0; index < entries.size(); index++) {
      placements.add(placement(partitionsKey, index, entries.get(index)));
    }
    return new PartitionGroupSettings.Static(name, placements, mapper(groupKey, own));
  }

  /** One static partition; errors name the list key and the index, as HOCON paths cannot index lists. */
  private Placement placement(String partitionsKey, int index, ConfigValue value) {
    String where = "partition " + index + " (list position " + index + ")";
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw new ConfigurationException(
          partitionsKey, where + ": expected an object, got " + SettingsReader.describe(value) + "; write "
              + PARTITIONS_EXAMPLE);
    }
    ConfigObject entry = (ConfigObject) value;
    for (String name : names(entry)) {
      if (!PARTITION_KEYS.contains(name)) {
        throw new ConfigurationException(
            partitionsKey, where + ": unknown key '" + name + "'; the known keys are " + new TreeSet<>(PARTITION_KEYS));
      }
    }
    ConfigValue activeValue = child(entry, "active").orElseThrow(() -> new ConfigurationException(
        partitionsKey, where + " has no active node; write " + PARTITIONS_EXAMPLE));
    var names = new ArrayList<String>();
    names.add(nonBlankString(partitionsKey, activeValue, PARTITIONS_EXAMPLE));
    child(entry, "replicas").ifPresent(v -> names.addAll(SettingsReader.strings(partitionsKey, v, PARTITIONS_EXAMPLE)));

    var nodes = new ArrayList<NodeName>(names.size());
    var seen = new HashSet<NodeName>();
    for (String text : names) {
      NodeName node = RosterReader.nodeName(partitionsKey, text, where + ": ");
      if (!roster.containsKey(node)) {
        throw new ConfigurationException(
            partitionsKey, where + " names node " + node + ", which is not in the roster; use one of "
                + roster.keySet() + " or add " + node + " under cohort.nodes");
      }
      if (!seen.add(node)) {
        throw new ConfigurationException(
            partitionsKey, where + " lists node " + node + " more than once; a node holds at most one copy "
                + "of a partition, so name each node once (active first, then replicas in failover order)");
      }
      nodes.add(node);
    }
    return Placement.of(nodes);
  }

  private MapperSpec mapper(String groupKey, ConfigObject own) {
    Setting mapper = required(groupKey, own, "mapper");
    return MapperSpecReader.read(mapper.key(), mapper.value(), classLoader);
  }

  private static String type(Setting setting) {
    String type = nonBlankString(setting.key(), setting.value(), "type = dynamic");
    if (!TYPES.contains(type)) {
      throw new ConfigurationException(
          setting.key(), "unknown partition group type '" + type + "'; use one of " + TYPES);
    }
    return type;
  }

  private static int partitionCount(Setting setting) {
    int count = wholeNumber(setting.key(), setting.value(), "partitions = 271");
    if (count < 1) {
      throw new ConfigurationException(setting.key(), "must be at least 1, got " + count);
    }
    return count;
  }

  private static int replicas(Setting setting) {
    int replicas = wholeNumber(setting.key(), setting.value(), "replicas = 1");
    if (replicas < 0) {
      throw new ConfigurationException(
          setting.key(), "must be 0 (no copies besides the active) or more, got " + replicas);
    }
    return replicas;
  }

  private Optional<Setting> setting(String groupKey, ConfigObject own, String name) {
    Optional<ConfigValue> mine = child(own, name);
    if (mine.isPresent()) {
      return Optional.of(new Setting(key(groupKey, name), mine.get(), false));
    }
    return child(defaults, name).map(v -> new Setting(key(DEFAULTS, name), v, true));
  }

  private Setting required(String groupKey, ConfigObject own, String name) {
    return setting(groupKey, own, name).orElseThrow(() -> new ConfigurationException(
        key(groupKey, name), "not set, and " + key(DEFAULTS, name) + " gives no default; set it"));
  }

  private SortedSet<NodeName> hostsOf(ClusterScope cluster) {
    var hosts = new TreeSet<NodeName>();
    roster.values().stream()
        .filter(node -> node.groups().stream().anyMatch(cluster.nodeGroups()::contains))
        .forEach(node -> hosts.add(node.name()));
    return hosts;
  }

  private SortedSet<String> clusterNames() {
    return new TreeSet<>(clusters.keySet());
  }
}
