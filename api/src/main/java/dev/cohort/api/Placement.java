package dev.cohort.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Where one partition lives: its active node, where updates are sequenced, and its replicas in
 * order. The first replica is the one that takes over when the active is lost.
 *
 * @param active the active node
 * @param replicas the replica nodes, in failover order, all distinct from each other and from the active
 */
public record Placement(NodeName active, List<NodeName> replicas) {
  /** @throws IllegalArgumentException if a node appears twice */
  public Placement {
    if (active == null) {
      throw new IllegalArgumentException("a placement needs an active node");
    }
    replicas = List.copyOf(replicas);
    var seen = new HashSet<NodeName>();
    seen.add(active);
    for (NodeName replica : replicas) {
      if (!seen.add(replica)) {
        throw new IllegalArgumentException("node " + replica + " appears twice in placement " + this);
      }
    }
  }

  /** The active followed by the replicas in order. */
  public List<NodeName> nodes() {
    var nodes = new ArrayList<NodeName>(replicas.size() + 1);
    nodes.add(active);
    nodes.addAll(replicas);
    return List.copyOf(nodes);
  }

  /** Whether {@code node} is the active or one of the replicas. */
  public boolean contains(NodeName node) {
    return active.equals(node) || replicas.contains(node);
  }

  /** A placement from a list whose head is the active. */
  public static Placement of(List<NodeName> activeThenReplicas) {
    if (activeThenReplicas.isEmpty()) {
      throw new IllegalArgumentException("a placement needs at least an active node");
    }
    return new Placement(activeThenReplicas.get(0), activeThenReplicas.subList(1, activeThenReplicas.size()));
  }
}
