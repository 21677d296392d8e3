package dev.cohort.api;

import java.util.List;

/** A partition group as configured under {@code cohort.partition-groups.<name>}. */
public sealed interface PartitionGroupSettings {
  /** The group's name. */
  String name();

  /** How many partitions the group has. */
  int partitionCount();

  /** How keys are mapped to the group's partitions. */
  MapperSpec mapper();

  /**
   * Partitions spread by Cohort over the live nodes of a cluster, rebalanced as nodes join and
   * leave.
   *
   * @param name the group's name
   * @param cluster the name of the cluster whose nodes host the partitions
   * @param partitionCount the number of partitions, at least 1
   * @param replicas replicas per partition besides the active, fewer than the nodes that can host them
   * @param mapper how keys map to partitions
   */
  record Dynamic(String name, String cluster, int partitionCount, int replicas, MapperSpec mapper)
      implements PartitionGroupSettings {}

  /**
   * Partitions whose active and ordered replicas are configured by name. When the configured
   * active is down, the first live replica acts.
   *
   * @param name the group's name
   * @param partitions the configured placement of each partition, by index
   * @param mapper how keys map to partitions
   */
  record Static(String name, List<Placement> partitions, MapperSpec mapper) implements PartitionGroupSettings {
    public Static {
      partitions = List.copyOf(partitions);
    }

    @Override
    public int partitionCount() {
      return partitions.size();
    }
  }
}
