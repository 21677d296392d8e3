package dev.cohort.node.internal;

import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.LWWRegisterKey;

/**
 * The partition table's home in Distributed Data: one last-writer-wins register of {@link
 * PublishedTable} whose timestamp is the table version (and whether it is committed), not the
 * wall clock, so that replicas keep the newest table whatever the clocks of the nodes that wrote
 * them say.
 */
final class TableRegister {
  /** The Distributed Data key of the partition table. */
  static final Key<LWWRegister<PublishedTable>> KEY = LWWRegisterKey.create("cohort-partition-table");

  /** Timestamps a write with the version of the table written and its phase. */
  static final LWWRegister.Clock<PublishedTable> VERSION_CLOCK = (current, published) -> published.clock();

  private TableRegister() {}
}
