package dev.cohort.api;

import com.typesafe.config.Config;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The cluster's shape as configured under {@code cohort}: the node roster, clusters and partition
 * groups. Built once from Config and validated as a whole; every node of a cluster is meant to run
 * with the same shape and its own {@code cohort.node.name}.
 *
 * @param nodes the roster, by name, in name order
 * @param clusters the clusters, by name, in name order
 * @param partitionGroups the partition groups, by name, in name order
 */
public record CohortSettings(
    Map<NodeName, NodeSpec> nodes,
    Map<String, ClusterScope> clusters,
    Map<String, PartitionGroupSettings> partitionGroups) {

  public CohortSettings {
    nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
    clusters = Collections.unmodifiableMap(new TreeMap<>(clusters));
    partitionGroups = Collections.unmodifiableMap(new TreeMap<>(partitionGroups));
  }

  /**
   * Reads and validates the {@code cohort} section of {@code config}, with the reference.conf defaults
   * behind it. Custom mapper classes are looked up through the thread's context class loader, else
   * the one that loaded Cohort.
   *
   * @throws ConfigurationException naming the first key that cannot work
   */
  public static CohortSettings fromConfig(Config config) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return fromConfig(config, loader != null ? loader : CohortSettings.class.getClassLoader());
  }

  /**
   * Reads and validates the {@code cohort} section of {@code config}, with the reference.conf defaults
   * behind it.
   *
   * @param classLoader where custom mapper classes are looked up (checked, not instantiated); a node
   *     passes its actor system's class loader
   * @throws ConfigurationException naming the first key that cannot work
   */
  public static CohortSettings fromConfig(Config config, ClassLoader classLoader) {
    return RosterReader.read(config, classLoader);
  }

  /**
   * This node's name from {@code cohort.node.name}, checked to be set and in the roster.
   *
   * @throws ConfigurationException if it is missing, malformed or not in {@code cohort.nodes}
   */
  public NodeName selfName(Config config) {
    return RosterReader.selfName(config, this);
  }

  /** Every node group some roster node belongs to, in name order. */
  public SortedSet<NodeGroup> nodeGroups() {
    var groups = new TreeSet<NodeGroup>();
    nodes.values().forEach(node -> groups.addAll(node.groups()));
    return Collections.unmodifiableSortedSet(groups);
  }

  /** The roster nodes in {@code group}, in name order. */
  public SortedSet<NodeName> nodesIn(NodeGroup group) {
    return nodesWhere(node -> node.groups().contains(group));
  }

  /** The roster nodes that can host partitions of {@code cluster}: members of any of its groups, in name order. */
  public SortedSet<NodeName> nodesIn(ClusterScope cluster) {
    return nodesWhere(node -> node.groups().stream().anyMatch(cluster.nodeGroups()::contains));
  }

  private SortedSet<NodeName> nodesWhere(Predicate<NodeSpec> test) {
    var names = new TreeSet<NodeName>();
    nodes.values().stream().filter(test).forEach(node -> names.add(node.name()));
    return Collections.unmodifiableSortedSet(names);
  }
}
