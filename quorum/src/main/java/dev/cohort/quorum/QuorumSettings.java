package dev.cohort.quorum;

import com.typesafe.config.Config;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The node quorum of every node group of the roster: the one configured under {@code cohort.quorum}
 * or, for a group without an entry, a strict majority of its roster nodes.
 *
 * <p>All counts and percentages are of each group's configured (roster) nodes, not of the nodes
 * currently seen, so that a minority cut off by a split cannot shrink its own denominator; see
 * {@link QuorumPolicy}.
 *
 * @param policies the policy of each node group, in name order
 */
public record QuorumSettings(SortedMap<NodeGroup, QuorumPolicy> policies) {
  /** @throws IllegalArgumentException if a policy is filed under another group than its own */
  public QuorumSettings {
    policies = Collections.unmodifiableSortedMap(new TreeMap<>(policies));
    policies.forEach((group, policy) -> {
      if (!group.equals(policy.group())) {
        throw new IllegalArgumentException("policy " + policy + " is filed under node group " + group);
      }
    });
  }

  /**
   * Reads and validates {@code cohort.quorum} against the roster of {@code settings}, with the
   * reference.conf defaults behind {@code config}.
   *
   * @throws ConfigurationException naming the first key that cannot work
   */
  public static QuorumSettings fromConfig(Config config, CohortSettings settings) {
    return QuorumSettingsReader.read(config, settings);
  }

  /** A strict majority of its roster nodes for every node group of {@code settings}. */
  public static QuorumSettings strictMajorities(CohortSettings settings) {
    var policies = new TreeMap<NodeGroup, QuorumPolicy>();
    for (NodeGroup group : settings.nodeGroups()) {
      policies.put(group, QuorumPolicy.strictMajority(group, settings.nodesIn(group)));
    }
    return new QuorumSettings(policies);
  }

  /**
   * The policy of {@code group}.
   *
   * @throws IllegalArgumentException if no roster node is in {@code group}
   */
  public QuorumPolicy policy(NodeGroup group) {
    QuorumPolicy policy = policies.get(group);
    if (policy == null) {
      throw new IllegalArgumentException("unknown node group " + group + "; known: " + policies.keySet());
    }
    return policy;
  }

  /** The node groups {@code node} is a roster member of, in name order; empty for a node not in the roster. */
  public SortedSet<NodeGroup> groupsOf(NodeName node) {
    var groups = new TreeSet<NodeGroup>();
    policies.forEach((group, policy) -> {
      if (policy.members().contains(node)) {
        groups.add(group);
      }
    });
    return Collections.unmodifiableSortedSet(groups);
  }

  /**
   * The quorum of every node group as seen by a node that can reach {@code reachable}.
   *
   * @param reachable the nodes the asking node can currently reach, itself included
   */
  public SortedMap<NodeGroup, QuorumState> evaluate(Set<NodeName> reachable) {
    return evaluate(policies, reachable);
  }

  /**
   * The quorum of each node group {@code node} belongs to, as that node sees it.
   *
   * @param node the asking node, a roster node
   * @param reachable the nodes {@code node} can currently reach, itself included
   * @throws IllegalArgumentException if {@code node} is not in the roster
   */
  public SortedMap<NodeGroup, QuorumState> evaluate(NodeName node, Set<NodeName> reachable) {
    SortedSet<NodeGroup> groups = groupsOf(node);
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("node " + node + " is in no node group of the roster");
    }
    var own = new TreeMap<NodeGroup, QuorumPolicy>();
    groups.forEach(group -> own.put(group, policies.get(group)));
    return evaluate(own, reachable);
  }

  /**
   * Whether {@code node} has quorum in every node group it belongs to: the condition for it to act
   * as active or replica. Losing it in any one group fences the node, since its partitions cannot
   * tell which of its groups the placement relied on.
   *
   * @param node the asking node, a roster node
   * @param reachable the nodes {@code node} can currently reach, itself included
   * @throws IllegalArgumentException if {@code node} is not in the roster
   */
  public boolean hasQuorum(NodeName node, Set<NodeName> reachable) {
    return evaluate(node, reachable).values().stream().allMatch(QuorumState::present);
  }

  private static SortedMap<NodeGroup, QuorumState> evaluate(
      Map<NodeGroup, QuorumPolicy> policies, Set<NodeName> reachable) {
    var states = new TreeMap<NodeGroup, QuorumState>();
    policies.forEach((group, policy) -> states.put(group, policy.evaluate(reachable)));
    return Collections.unmodifiableSortedMap(states);
  }
}
