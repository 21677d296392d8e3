package dev.cohort.examples.ledger;

import com.typesafe.config.ConfigRenderOptions;
import dev.cohort.node.CohortNode;
import dev.cohort.testkit.TestCluster;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A test cluster running the ledger on every node, restarted ones included. */
final class LedgerCluster implements AutoCloseable {
  private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();
  private final TestCluster cluster;

  /**
   * Starts {@code nodes} (named node-a, node-b...) with a ledger partition group of {@code
   * partitions} partitions with {@code replicas} replicas each.
   */
  LedgerCluster(int nodes, int partitions, int replicas) {
    TestCluster.Builder builder = TestCluster.builder();
    for (int i = 0; i < nodes; i++) {
      builder.node("node-" + (char) ('a' + i), "payments");
    }
    this.cluster = builder
        .config(Ledger.config().root().render(ConfigRenderOptions.concise()))
        .config("""
            cohort.clusters.main.node-groups = [payments]
            cohort.partition-groups.ledger { type = dynamic, cluster = main, partitions = %d, replicas = %d }
            """.formatted(partitions, replicas))
        .onStart(node -> ledgers.put(node.name().value(), Ledger.start(node.system())))
        .start();
  }

  TestCluster cluster() {
    return cluster;
  }

  /** The ledger through node {@code name}. */
  Ledger ledger(String name) {
    return ledgers.get(name);
  }

  /** The ledger through any running node. */
  Ledger anyLedger() {
    CohortNode any = cluster.nodes().iterator().next();
    return ledger(any.name().value());
  }

  @Override
  public void close() {
    cluster.close();
  }
}
