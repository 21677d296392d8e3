package dev.cohort.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.ConfigurationException;
import org.junit.jupiter.api.Test;

/** Each {@code cohort.quorum} that cannot work is refused with one exception naming the key, the problem and the fix. */
class QuorumSettingsValidationTest {
  private static final String ROSTER = """
      cohort.nodes {
        node-a { groups = [ledger, web] }
        node-b { groups = [ledger] }
        node-c { groups = [ledger] }
      }
      """;

  private static void assertRefused(String quorum, String key, String... fragments) {
    Config config = ConfigFactory.parseString(ROSTER + quorum);
    CohortSettings settings = CohortSettings.fromConfig(config);
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> QuorumSettings.fromConfig(config, settings));
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }
  }

  @Test
  void unknownNodeGroupListsTheKnownOnes() {
    assertRefused("cohort.quorum.ledgr { min-nodes = 2 }", "cohort.quorum.ledgr",
        "unknown node group 'ledgr'", "[ledger, web]");
  }

  @Test
  void bothMinNodesAndMinPercent() {
    assertRefused("cohort.quorum.ledger { min-nodes = 2, min-percent = 51 }", "cohort.quorum.ledger",
        "sets both min-nodes and min-percent; keep one");
  }

  @Test
  void neitherMinNodesNorMinPercent() {
    assertRefused("cohort.quorum.ledger {}", "cohort.quorum.ledger",
        "sets neither min-nodes nor min-percent", "strict majority (2 of the 3 roster nodes");
  }

  @Test
  void minNodesBelowOne() {
    assertRefused("cohort.quorum.ledger { min-nodes = 0 }", "cohort.quorum.ledger.min-nodes",
        "must be at least 1, got 0");
  }

  @Test
  void minNodesLargerThanTheGroupSaysTheSizeAndTheNodes() {
    assertRefused("cohort.quorum.ledger { min-nodes = 4 }", "cohort.quorum.ledger.min-nodes",
        "4 is more than the 3 roster nodes of node group ledger [node-a, node-b, node-c]",
        "could never have quorum", "set at most 3");
  }

  @Test
  void minPercentZero() {
    assertRefused("cohort.quorum.web { min-percent = 0 }", "cohort.quorum.web.min-percent",
        "must be between 1 and 100", "got 0");
  }

  @Test
  void minPercentAboveHundred() {
    assertRefused("cohort.quorum.web { min-percent = 101 }", "cohort.quorum.web.min-percent",
        "must be between 1 and 100 (a percentage of the 1 roster node of node group web [node-a]), got 101");
  }

  @Test
  void minNodesOfWrongType() {
    assertRefused("cohort.quorum.ledger { min-nodes = two }", "cohort.quorum.ledger.min-nodes",
        "expected a whole number, got a string (\"two\")", "min-nodes = 2");
  }

  @Test
  void fractionalPercent() {
    assertRefused("cohort.quorum.ledger { min-percent = 50.5 }", "cohort.quorum.ledger.min-percent",
        "expected a whole number, got a number (50.5)");
  }

  @Test
  void entryOfWrongType() {
    assertRefused("cohort.quorum.ledger = 2", "cohort.quorum.ledger",
        "expected an object, got a number (2)", "ledger { min-nodes = 2 }");
  }

  @Test
  void misspelledKeyInEntry() {
    assertRefused("cohort.quorum.ledger { min-node = 2 }", "cohort.quorum.ledger.min-node",
        "unknown key in a quorum entry", "[min-nodes, min-percent]");
  }

  @Test
  void quorumOfWrongType() {
    assertRefused("cohort.quorum = [ledger]", "cohort.quorum", "expected an object, got a list");
  }
}
