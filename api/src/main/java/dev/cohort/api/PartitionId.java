package dev.cohort.api;

/**
 * One partition: its partition group and its index in that group, from 0.
 *
 * @param group the partition group's name
 * @param index the partition's index within the group
 */
public record PartitionId(String group, int index) implements Comparable<PartitionId> {
  /** @throws IllegalArgumentException on a blank group or a negative index */
  public PartitionId {
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("a partition needs a group name");
    }
    if (index < 0) {
      throw new IllegalArgumentException("partition index must be >= 0, got " + index);
    }
  }

  @Override
  public int compareTo(PartitionId other) {
    int byGroup = group.compareTo(other.group);
    return byGroup != 0 ? byGroup : Integer.compare(index, other.index);
  }

  @Override
  public String toString() {
    return group + "#" + index;
  }
}
