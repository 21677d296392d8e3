package dev.cohort.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.cohort.api.ConfigurationException;
import org.junit.jupiter.api.Test;

/** A node refuses to start on a configuration that cannot work, before it joins anything. */
class CohortNodeConfigTest {

  @Test
  void aNodeWithoutANameRefusesToStart() {
    var config = ConfigFactory.parseString("cohort.nodes.node-a.groups = [ledger]");

    var error = assertThrows(ConfigurationException.class, () -> CohortNode.start(config));

    assertEquals("cohort.node.name", error.key());
    assertTrue(error.getMessage().contains("node-a"), error.getMessage());
  }

  @Test
  void aQuorumLargerThanItsGroupRefusesToStart() {
    var config = ConfigFactory.parseString("""
        cohort.node.name = node-a
        cohort.nodes.node-a.groups = [ledger]
        cohort.quorum.ledger.min-nodes = 2
        """);

    var error = assertThrows(ConfigurationException.class, () -> CohortNode.start(config));

    assertEquals("cohort.quorum.ledger.min-nodes", error.key());
  }

  @Test
  void aSeedNodeThatIsNotAnAddressRefusesToStart() {
    var config = ConfigFactory.parseString("""
        cohort.node.name = node-a
        cohort.nodes.node-a.groups = [ledger]
        pekko.cluster.seed-nodes = ["127.0.0.1:25521"]
        """);

    var error = assertThrows(ConfigurationException.class, () -> CohortNode.start(config));

    assertEquals("pekko.cluster.seed-nodes", error.key());
  }

  @Test
  void aValueLimitLargerThanAMessageBetweenNodesCanCarryRefusesToStart() {
    var config = ConfigFactory.parseString("""
        cohort.node.name = node-a
        cohort.nodes.node-a.groups = [ledger]
        cohort.kv.max-value-bytes = 4 MiB
        """);

    var error = assertThrows(ConfigurationException.class, () -> CohortNode.start(config));

    assertEquals("cohort.kv.max-value-bytes", error.key());
    assertTrue(error.getMessage().contains("pekko.remote.artery.advanced.maximum-frame-size"), error.getMessage());
  }

  @Test
  void aReplicationBatchLargerThanAMessageBetweenNodesCanCarryRefusesToStart() {
    var config = ConfigFactory.parseString("""
        cohort.node.name = node-a
        cohort.nodes.node-a.groups = [ledger]
        cohort.replication.max-batch-bytes = 2 MiB
        """);

    var error = assertThrows(ConfigurationException.class, () -> CohortNode.start(config));

    assertEquals("cohort.replication.max-batch-bytes", error.key());
  }

  @Test
  void cohortsPekkoDefaultsSitBeneathTheUsersSettings() {
    var config = CohortNode.loadConfig(ConfigFactory.parseString("pekko.cluster.split-brain-resolver.active-strategy = static-quorum"));

    assertEquals("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        config.getString("pekko.cluster.downing-provider-class"));
    assertEquals("static-quorum", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals("cluster", config.getString("pekko.actor.provider"));
  }
}
