package dev.cohort.node.internal;

import dev.cohort.partitioning.PartitionTable;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.LWWRegisterKey;

/**
 * The partition table's home in Distributed Data: one last-writer-wins register whose timestamp is
 * the table version, not the wall clock, so that replicas keep the highest version whatever the
 * clocks of the nodes that wrote them say.
 */
final class TableRegister {
  /** The Distributed Data key of the partition table. */
  static final Key<LWWRegister<PartitionTable>> KEY = LWWRegisterKey.create("cohort-partition-table");

  /** Timestamps a write with the version of the table written. */
  static final LWWRegister.Clock<PartitionTable> VERSION_CLOCK = (current, table) -> table.version();

  private TableRegister() {}
}
