package dev.cohort.quorum;

import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A node group's quorum at one moment, as one node sees it. The figures are meant for the error a
 * fenced partition gives its callers ({@code QuorumLost(group, seen, needed)}).
 *
 * @param group the node group
 * @param seen the group's roster nodes that are reachable, in name order
 * @param needed how many roster nodes the group's policy needs
 */
public record QuorumState(NodeGroup group, SortedSet<NodeName> seen, int needed) {
  public QuorumState {
    seen = Collections.unmodifiableSortedSet(new TreeSet<>(seen));
  }

  /** Whether at least {@link #needed} roster nodes of the group are reachable. */
  public boolean present() {
    return seen.size() >= needed;
  }

  /** How many more roster nodes must become reachable for quorum; 0 when present. */
  public int missing() {
    return Math.max(0, needed - seen.size());
  }

  @Override
  public String toString() {
    return group + ": " + seen.size() + " seen " + seen + ", " + needed + " needed, " + (present() ? "present" : "lost");
  }
}
