/**
 * Node quorum per node group: the pure decision whether a node can reach enough of its groups'
 * configured nodes to act for its partitions. No actors here; the node runtime feeds in the set of
 * reachable nodes from cluster membership and fences partitions when {@link
 * dev.cohort.quorum.QuorumSettings#hasQuorum} turns false.
 *
 * <p>Every count and percentage is of the node group's roster (its configured nodes in {@code
 * cohort.nodes}), never of the nodes currently seen: a minority cut off by a network split must not
 * be able to shrink its own denominator and call itself a quorum.
 */
package dev.cohort.quorum;
