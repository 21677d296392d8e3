package dev.cohort.quorum;

import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The node quorum of one node group: how many of the group's roster nodes a member must be able to
 * reach, itself included, to act for its partitions.
 *
 * <p>The needed count is always of the group's <em>configured</em> nodes (its roster in {@code
 * cohort.nodes}), never of the nodes currently seen. A node cut off with a minority sees only that
 * minority; were the percentage taken of what it sees, 2 seen of 2 would be 100% and it would keep
 * acting beside the majority, a second master. With a fixed denominator a cut-off side cannot make
 * itself a quorum by losing sight of the others.
 *
 * @param group the node group
 * @param members the group's roster nodes, in name order; the denominator of every rule
 * @param needed how many of {@code members} must be reachable, from 1 to {@code members.size()}
 */
public record QuorumPolicy(NodeGroup group, SortedSet<NodeName> members, int needed) {
  /** @throws IllegalArgumentException if the group has no members or {@code needed} is outside 1..members */
  public QuorumPolicy {
    if (group == null) {
      throw new IllegalArgumentException("a quorum policy needs a node group");
    }
    members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
    if (members.isEmpty()) {
      throw new IllegalArgumentException("node group " + group + " has no roster nodes");
    }
    if (needed < 1 || needed > members.size()) {
      throw new IllegalArgumentException(
          "node group " + group + " needs between 1 and its " + members.size() + " roster nodes, got " + needed);
    }
  }

  /**
   * At least {@code minNodes} of the group's roster nodes.
   *
   * @throws IllegalArgumentException unless {@code 1 <= minNodes <= members.size()}
   */
  public static QuorumPolicy minNodes(NodeGroup group, Set<NodeName> members, int minNodes) {
    return new QuorumPolicy(group, new TreeSet<>(members), minNodes);
  }

  /**
   * At least {@code percent} percent of the group's roster nodes (not of the nodes seen), rounded
   * up: see {@link #neededForPercent}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= percent <= 100}
   */
  public static QuorumPolicy minPercent(NodeGroup group, Set<NodeName> members, int percent) {
    return new QuorumPolicy(group, new TreeSet<>(members), neededForPercent(percent, members.size()));
  }

  /**
   * More than half of the group's roster nodes: the rule of a group without a {@code cohort.quorum}
   * entry, and the smallest count that two disjoint sides of a split can never both reach.
   */
  public static QuorumPolicy strictMajority(NodeGroup group, Set<NodeName> members) {
    return new QuorumPolicy(group, new TreeSet<>(members), strictMajorityOf(members.size()));
  }

  /**
   * {@code ceil(percent × rosterSize / 100)}, at least 1: the nodes needed for a percentage of a
   * roster of {@code rosterSize} nodes. 51% of 4 is 3 (2.04 rounded up), 50% of 4 is 2.
   *
   * @throws IllegalArgumentException unless {@code 1 <= percent <= 100} and {@code rosterSize >= 1}
   */
  public static int neededForPercent(int percent, int rosterSize) {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("a quorum percentage must be between 1 and 100, got " + percent);
    }
    if (rosterSize < 1) {
      throw new IllegalArgumentException("a node group has at least one roster node, got " + rosterSize);
    }
    // ceiling in whole numbers; long, as percent × size may pass int range for absurd sizes
    long needed = ((long) percent * rosterSize + 99) / 100;
    return (int) Math.max(1, needed);
  }

  /** {@code rosterSize / 2 + 1}: the smallest strict majority of a roster of {@code rosterSize} nodes. */
  public static int strictMajorityOf(int rosterSize) {
    if (rosterSize < 1) {
      throw new IllegalArgumentException("a node group has at least one roster node, got " + rosterSize);
    }
    return rosterSize / 2 + 1;
  }

  /** How many roster nodes the group has. */
  public int rosterSize() {
    return members.size();
  }

  /**
   * Whether the rule needs more than half of the roster, so that two sides of a split can never
   * both have quorum. A smaller quorum is allowed (availability over safety in that group), but
   * then only Split Brain Resolver downing keeps the smaller side from acting.
   */
  public boolean isMajority() {
    return needed > members.size() / 2;
  }

  /**
   * The group's quorum as seen by a node that can reach {@code reachable}: only the group's roster
   * nodes among them count, whatever else is reachable.
   *
   * @param reachable the nodes the asking node can currently reach, itself included
   */
  public QuorumState evaluate(Set<NodeName> reachable) {
    var seen = new TreeSet<NodeName>();
    for (NodeName member : members) {
      if (reachable.contains(member)) {
        seen.add(member);
      }
    }
    return new QuorumState(group, seen, needed);
  }

  @Override
  public String toString() {
    return group + ": " + needed + " of " + members.size() + " roster nodes " + members;
  }
}
