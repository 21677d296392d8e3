package dev.cohort.api;

import java.util.Set;

/**
 * A cluster in the HA sense: a named set of node groups over which a dynamic partition group
 * spreads its partitions.
 *
 * @param name the cluster's name under {@code cohort.clusters}
 * @param nodeGroups the node groups it is made of
 */
public record ClusterScope(String name, Set<NodeGroup> nodeGroups) {
  public ClusterScope {
    nodeGroups = Set.copyOf(nodeGroups);
  }
}
