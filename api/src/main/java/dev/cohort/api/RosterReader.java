package dev.cohort.api;

import static dev.cohort.api.SettingsReader.child;
import static dev.cohort.api.SettingsReader.key;
import static dev.cohort.api.SettingsReader.names;
import static dev.cohort.api.SettingsReader.nonBlankString;
import static dev.cohort.api.SettingsReader.object;
import static dev.cohort.api.SettingsReader.onlyKnownKeys;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reads {@code cohort.nodes}, {@code cohort.clusters} and {@code cohort.node.name}; builds {@link CohortSettings}. */
final class RosterReader {
  static final String NODE = "cohort.node";
  static final String NODES = "cohort.nodes";
  static final String CLUSTERS = "cohort.clusters";
  static final String SELF = "cohort.node.name";

  private static final String NODE_EXAMPLE = "node-a { groups = [ledger], zone = \"z1\" }";
  private static final String CLUSTER_EXAMPLE = "main { node-groups = [ledger] }";

  private RosterReader() {}

  static CohortSettings read(Config config, ClassLoader classLoader) {
    Config root = cohortRoot(config);
    rejectGroupsOutsideRoster(root);
    Map<NodeName, NodeSpec> roster = roster(root);
    Map<String, ClusterScope> clusters = clusters(root, groupsOf(roster));
    Map<String, PartitionGroupSettings> groups = new PartitionGroupReader(root, roster, clusters, classLoader).read();
    return new CohortSettings(roster, clusters, groups);
  }

  static NodeName selfName(Config config, CohortSettings settings) {
    Config root = cohortRoot(config);
    Set<NodeName> known = settings.nodes().keySet();
    String name = SettingsReader.value(root, SELF)
        .map(v -> SettingsReader.string(SELF, v, "name = node-a"))
        .orElse("")
        .trim();
    if (name.isEmpty()) {
      throw new ConfigurationException(
          SELF, "not set; set it to this node's name, one of the roster's " + known
              + " (e.g. -Dcohort.node.name=" + (known.isEmpty() ? "node-a" : known.iterator().next()) + ")");
    }
    NodeName self = nodeName(SELF, name, "");
    if (!known.contains(self)) {
      throw new ConfigurationException(
          SELF, "node " + self + " is not in the roster " + known + "; fix the name or add " + self + " under "
              + NODES);
    }
    return self;
  }

  /** {@code config} with the reference defaults behind it, refused unless {@code cohort} is an object. */
  private static Config cohortRoot(Config config) {
    Config root = SettingsReader.withReference(config);
    SettingsReader.objectAt(root, "cohort", "cohort { nodes { " + NODE_EXAMPLE + " } }");
    return root;
  }

  /** A node name, or a message saying what makes it invalid. */
  static NodeName nodeName(String key, String text, String prefix) {
    try {
      return new NodeName(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(key, prefix + e.getMessage());
    }
  }

  /**
   * The design's first sketch put groups under {@code cohort.node}; silently ignoring them would
   * start a node without the roles its operator meant to give it.
   */
  private static void rejectGroupsOutsideRoster(Config root) {
    for (String misplaced : List.of("groups", "zone")) {
      String key = key(NODE, misplaced);
      if (SettingsReader.value(root, key).isPresent()) {
        throw new ConfigurationException(
            key, "a node's groups and zone come from its roster entry only; remove this key and set "
                + NODES + ".<name>." + misplaced + " instead");
      }
    }
  }

  private static Map<NodeName, NodeSpec> roster(Config root) {
    ConfigObject nodes = SettingsReader.objectAt(root, NODES, NODES + " { " + NODE_EXAMPLE + " }");
    if (names(nodes).isEmpty()) {
      throw new ConfigurationException(
          NODES, "no nodes configured; list every node that may join with its node groups, e.g. "
              + NODES + " { " + NODE_EXAMPLE + " }");
    }
    var roster = new TreeMap<NodeName, NodeSpec>();
    for (String name : names(nodes)) {
      String nodeKey = key(NODES, name);
      NodeName node = nodeName(nodeKey, name, "rename this roster entry: ");
      ConfigObject entry = object(nodeKey, nodes.get(name), NODE_EXAMPLE);
      rejectUnquotedDottedName(nodeKey, entry);
      onlyKnownKeys(nodeKey, entry, Set.of("groups", "zone"), "a roster node");
      roster.put(node, new NodeSpec(node, nodeGroups(nodeKey, node, entry), zone(nodeKey, entry)));
    }
    return roster;
  }

  /** HOCON reads {@code node.a { ... }} as node {@code node} holding an object {@code a}. */
  private static void rejectUnquotedDottedName(String nodeKey, ConfigObject entry) {
    for (String name : names(entry)) {
      if (!name.equals("groups") && !name.equals("zone")
          && entry.get(name).valueType() == ConfigValueType.OBJECT) {
        String dotted = nodeKey.substring(NODES.length() + 1) + "." + name;
        throw new ConfigurationException(
            key(nodeKey, name), "looks like a node name with a '.', which HOCON reads as a path; quote it: \""
                + dotted + "\" { groups = [...] }");
      }
    }
  }

  private static Set<NodeGroup> nodeGroups(String nodeKey, NodeName node, ConfigObject entry) {
    String groupsKey = key(nodeKey, "groups");
    String example = "groups = [ledger]";
    List<String> names = child(entry, "groups")
        .map(v -> SettingsReader.strings(groupsKey, v, example))
        .orElse(List.of());
    if (names.isEmpty()) {
      throw new ConfigurationException(
          groupsKey, "node " + node + " has no node groups; give it at least one (they are its Pekko roles), e.g. "
              + example);
    }
    var groups = new LinkedHashSet<NodeGroup>();
    for (String name : names) {
      groups.add(NodeGroup.of(SettingsReader.name(groupsKey, name, "node group")));
    }
    return groups;
  }

  private static Optional<String> zone(String nodeKey, ConfigObject entry) {
    String zoneKey = key(nodeKey, "zone");
    return child(entry, "zone").map(v -> nonBlankString(zoneKey, v, "zone = \"z1\""));
  }

  private static SortedSet<NodeGroup> groupsOf(Map<NodeName, NodeSpec> roster) {
    var groups = new TreeSet<NodeGroup>();
    roster.values().forEach(node -> groups.addAll(node.groups()));
    return groups;
  }

  private static Map<String, ClusterScope> clusters(Config root, SortedSet<NodeGroup> knownGroups) {
    ConfigObject clusters = SettingsReader.objectAt(root, CLUSTERS, CLUSTERS + " { " + CLUSTER_EXAMPLE + " }");
    var result = new TreeMap<String, ClusterScope>();
    for (String name : names(clusters)) {
      String clusterKey = key(CLUSTERS, name);
      SettingsReader.name(clusterKey, name, "cluster");
      ConfigObject entry = object(clusterKey, clusters.get(name), CLUSTER_EXAMPLE);
      onlyKnownKeys(clusterKey, entry, Set.of("node-groups"), "a cluster");
      String groupsKey = key(clusterKey, "node-groups");
      List<String> names = child(entry, "node-groups")
          .map(v -> SettingsReader.strings(groupsKey, v, "node-groups = [ledger]"))
          .orElse(List.of());
      if (names.isEmpty()) {
        throw new ConfigurationException(
            groupsKey, "cluster " + name + " has no node groups; list at least one of " + knownGroups
                + ", e.g. node-groups = [" + knownGroups.first() + "]");
      }
      var groups = new LinkedHashSet<NodeGroup>();
      for (String groupName : names) {
        NodeGroup group = NodeGroup.of(SettingsReader.name(groupsKey, groupName, "node group"));
        if (!knownGroups.contains(group)) {
          throw new ConfigurationException(
              groupsKey, "unknown node group '" + groupName + "': no roster node is in it; the known node groups "
                  + "(from " + NODES + ".*.groups) are " + knownGroups + "; fix the name or add the group to "
                  + "some node's groups");
        }
        groups.add(group);
      }
      result.put(name, new ClusterScope(name, groups));
    }
    return result;
  }
}
