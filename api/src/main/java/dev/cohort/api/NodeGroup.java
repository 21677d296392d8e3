package dev.cohort.api;

/**
 * A named set of nodes. A node may be in several groups; groups make up clusters and carry the
 * node quorum. On a running node its groups are its Pekko cluster roles.
 *
 * @param name the group's name as configured
 */
public record NodeGroup(String name) implements Comparable<NodeGroup> {
  /** @throws IllegalArgumentException if {@code name} is blank */
  public NodeGroup {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a node group needs a name");
    }
  }

  /** A node group; same as the constructor. */
  public static NodeGroup of(String name) {
    return new NodeGroup(name);
  }

  @Override
  public int compareTo(NodeGroup other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
