package dev.cohort.api;

import java.util.Optional;
import java.util.Set;

/**
 * One node of the roster ({@code cohort.nodes}): the groups it belongs to and its zone.
 *
 * @param name the node's unique name
 * @param groups the node groups it is in; on a running node these are its Pekko cluster roles
 * @param zone the failure zone (rack, availability zone) it runs in, if configured; placement
 *     spreads a partition's copies over different zones where it can
 */
public record NodeSpec(NodeName name, Set<NodeGroup> groups, Optional<String> zone) {
  public NodeSpec {
    groups = Set.copyOf(groups);
  }
}
