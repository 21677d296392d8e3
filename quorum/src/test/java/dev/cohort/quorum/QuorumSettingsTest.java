package dev.cohort.quorum;

import static dev.cohort.quorum.QuorumPolicyTest.nodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading {@code cohort.quorum} and evaluating all groups at once. */
class QuorumSettingsTest {
  /** ledger: a b c d e; web: a f; audit: g. */
  static final String ROSTER = """
      cohort.nodes {
        a { groups = [ledger, web] }
        b { groups = [ledger] }
        c { groups = [ledger] }
        d { groups = [ledger] }
        e { groups = [ledger] }
        f { groups = [web] }
        g { groups = [audit] }
      }
      """;

  static final NodeGroup LEDGER = NodeGroup.of("ledger");
  static final NodeGroup WEB = NodeGroup.of("web");
  static final NodeGroup AUDIT = NodeGroup.of("audit");

  static QuorumSettings quorum(String hocon) {
    Config config = ConfigFactory.parseString(ROSTER + hocon);
    return QuorumSettings.fromConfig(config, CohortSettings.fromConfig(config));
  }

  @Test
  void everyRosterGroupGetsAPolicyExplicitOrStrictMajority() {
    QuorumSettings settings = quorum("cohort.quorum { ledger { min-percent = 60 }, web { min-nodes = 1 } }");
    assertEquals(List.of(AUDIT, LEDGER, WEB), List.copyOf(settings.policies().keySet()));
    assertEquals(3, settings.policy(LEDGER).needed(), "60% of 5");
    assertEquals(5, settings.policy(LEDGER).rosterSize());
    assertEquals(1, settings.policy(WEB).needed());
    assertEquals(1, settings.policy(AUDIT).needed(), "no entry: strict majority of 1");
    assertEquals(
        List.of(NodeName.of("a"), NodeName.of("f")), List.copyOf(settings.policy(WEB).members()));
  }

  @Test
  void withoutEntriesEveryGroupNeedsAStrictMajority() {
    QuorumSettings settings = quorum("");
    assertEquals(
        Map.of(AUDIT, 1, LEDGER, 3, WEB, 2),
        Map.of(
            AUDIT, settings.policy(AUDIT).needed(),
            LEDGER, settings.policy(LEDGER).needed(),
            WEB, settings.policy(WEB).needed()));
    Config config = ConfigFactory.parseString(ROSTER);
    assertEquals(QuorumSettings.strictMajorities(CohortSettings.fromConfig(config)), settings);
  }

  @Test
  void nullEntryLeavesTheDefault() {
    assertEquals(3, quorum("cohort.quorum.ledger = null").policy(LEDGER).needed());
  }

  @Test
  void evaluateGivesEveryGroupsState() {
    QuorumSettings settings = quorum("cohort.quorum.ledger { min-nodes = 2 }");
    SortedMap<NodeGroup, QuorumState> states = settings.evaluate(nodes("a b f"));
    assertEquals(List.of(AUDIT, LEDGER, WEB), List.copyOf(states.keySet()));
    assertEquals(new QuorumState(LEDGER, new TreeSet<>(nodes("a b")), 2), states.get(LEDGER));
    assertTrue(states.get(LEDGER).present());
    assertTrue(states.get(WEB).present(), "a and f of web's 2");
    assertFalse(states.get(AUDIT).present(), "g is not reachable");
    assertEquals(1, states.get(AUDIT).missing());
  }

  @ParameterizedTest(name = "{0} reaching [{1}]: quorum {2}")
  @CsvSource({
    // a is in ledger (needs 3 of a-e) and web (needs 2 of a, f): it needs both
    "a, 'a b c f',     true",
    "a, 'a b c',       false",   // web lost: f unreachable
    "a, 'a b f',       false",   // ledger lost: 2 of 5
    "a, 'a b c d e f', true",
    "b, 'a b c',       true",    // b is only in ledger; web's state does not matter to it
    "b, 'b c g',       false",
    "g, 'g',           true",    // audit has one roster node
    "g, 'a b c d e f', false",
    // a cut-off minority of ledger, however complete its own view, lacks quorum
    "d, 'd e',         false",
  })
  void hasQuorumNeedsEveryGroupOfTheNode(String node, String reachable, boolean expected) {
    QuorumSettings settings = quorum("");
    assertEquals(expected, settings.hasQuorum(NodeName.of(node), nodes(reachable)));
    assertEquals(
        expected,
        settings.evaluate(NodeName.of(node), nodes(reachable)).values().stream().allMatch(QuorumState::present));
  }

  @Test
  void evaluateForANodeCoversOnlyItsGroups() {
    QuorumSettings settings = quorum("");
    assertEquals(List.of(LEDGER, WEB), List.copyOf(settings.evaluate(NodeName.of("a"), nodes("a")).keySet()));
    assertEquals(List.of(LEDGER, WEB), List.copyOf(settings.groupsOf(NodeName.of("a"))));
    assertEquals(List.of(AUDIT), List.copyOf(settings.groupsOf(NodeName.of("g"))));
  }

  @Test
  void aNodeOutsideTheRosterIsAnError() {
    QuorumSettings settings = quorum("");
    assertTrue(settings.groupsOf(NodeName.of("zz")).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> settings.hasQuorum(NodeName.of("zz"), nodes("a b c")));
    assertThrows(IllegalArgumentException.class, () -> settings.policy(NodeGroup.of("nope")));
  }

  @Test
  void settingsAreImmutable() {
    QuorumSettings settings = quorum("");
    assertThrows(UnsupportedOperationException.class, () -> settings.policies().clear());
    assertThrows(UnsupportedOperationException.class, () -> settings.evaluate(nodes("a")).clear());
  }

  @Test
  void aPolicyFiledUnderAnotherGroupIsRefused() {
    QuorumPolicy web = quorum("").policy(WEB);
    assertThrows(IllegalArgumentException.class, () -> new QuorumSettings(new TreeMap<>(Map.of(LEDGER, web))));
  }
}
