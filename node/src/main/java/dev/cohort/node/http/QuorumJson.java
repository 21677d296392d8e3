package dev.cohort.node.http;

import java.util.List;

/**
 * A node group's quorum as one node sees it.
 *
 * @param group the node group
 * @param seen the group's roster nodes the answering node can reach
 * @param needed how many of them quorum needs
 * @param present whether the group has quorum
 */
public record QuorumJson(String group, List<String> seen, int needed, boolean present) {}
