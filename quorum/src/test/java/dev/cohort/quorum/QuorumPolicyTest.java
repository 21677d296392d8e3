package dev.cohort.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The quorum arithmetic as tables of cases; expected values are worked out by hand, not by the formula. */
class QuorumPolicyTest {
  private static final NodeGroup LEDGER = NodeGroup.of("ledger");

  /** Roster nodes n1..n{size}. */
  static Set<NodeName> roster(int size) {
    return IntStream.rangeClosed(1, size).mapToObj(i -> NodeName.of("n" + i)).collect(Collectors.toSet());
  }

  static Set<NodeName> nodes(String names) {
    return names.isBlank()
        ? Set.of()
        : Arrays.stream(names.trim().split(" +")).map(NodeName::of).collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{1}% of {0} roster nodes needs {2}")
  @CsvSource({
    // size, percent, needed
    "1,   1, 1", "1,  50, 1", "1,  51, 1", "1, 100, 1",
    "2,   1, 1", "2,  50, 1", "2,  51, 2", "2, 100, 2",
    "3,   1, 1", "3,  50, 2", "3,  51, 2", "3, 100, 3",
    "4,   1, 1", "4,  50, 2", "4,  51, 3", "4, 100, 4",
    "5,   1, 1", "5,  50, 3", "5,  51, 3", "5, 100, 5",
    "6,   1, 1", "6,  50, 3", "6,  51, 4", "6, 100, 6",
    "7,   1, 1", "7,  50, 4", "7,  51, 4", "7, 100, 7",
    // rounding at the edges: 33% of 3 = 0.99, 34% = 1.02, 66% = 1.98, 67% = 2.01
    "3,  33, 1", "3,  34, 2", "3,  66, 2", "3,  67, 3",
    "100, 51, 51", "200, 51, 102", "101, 50, 51",
  })
  void minPercentIsOfTheRosterRoundedUp(int size, int percent, int needed) {
    assertEquals(needed, QuorumPolicy.neededForPercent(percent, size));
    QuorumPolicy policy = QuorumPolicy.minPercent(LEDGER, roster(size), percent);
    assertEquals(needed, policy.needed());
    assertEquals(size, policy.rosterSize());
  }

  @ParameterizedTest(name = "a strict majority of {0} is {1}")
  @CsvSource({"1, 1", "2, 2", "3, 2", "4, 3", "5, 3", "6, 4", "7, 4"})
  void strictMajority(int size, int needed) {
    assertEquals(needed, QuorumPolicy.strictMajorityOf(size));
    QuorumPolicy policy = QuorumPolicy.strictMajority(LEDGER, roster(size));
    assertEquals(needed, policy.needed());
    assertTrue(policy.isMajority());
  }

  @ParameterizedTest(name = "min-nodes {1} of {0}: majority {2}")
  @CsvSource({
    "1, 1, true",
    "2, 1, false", "2, 2, true",
    "3, 1, false", "3, 2, true", "3, 3, true",
    "4, 2, false", "4, 3, true",
    "5, 2, false", "5, 3, true",
    "6, 3, false", "6, 4, true",
    "7, 3, false", "7, 4, true", "7, 7, true",
  })
  void minNodesAndWhetherItIsAMajority(int size, int minNodes, boolean majority) {
    QuorumPolicy policy = QuorumPolicy.minNodes(LEDGER, roster(size), minNodes);
    assertEquals(minNodes, policy.needed());
    assertEquals(majority, policy.isMajority());
  }

  @ParameterizedTest(name = "roster of {0}, needs {1}, reaching [{2}]: seen {3}, present {4}")
  @CsvSource({
    "3, 2, 'n1 n2 n3', 3, true",
    "3, 2, 'n1 n2',    2, true",
    "3, 2, 'n1',       1, false",
    "3, 2, '',         0, false",
    // nodes outside the group's roster do not count, however many are reachable
    "3, 2, 'n1 x1 x2 x3', 1, false",
    "5, 3, 'n1 n2 x1',    2, false",
    "5, 3, 'n1 n2 n5 x1', 3, true",
    "1, 1, 'n1',          1, true",
    "7, 4, 'n1 n2 n3',    3, false",
    "7, 4, 'n4 n5 n6 n7', 4, true",
  })
  void evaluateCountsOnlyTheGroupsRosterNodes(int size, int needed, String reachable, int seen, boolean present) {
    QuorumState state = QuorumPolicy.minNodes(LEDGER, roster(size), needed).evaluate(nodes(reachable));
    assertEquals(LEDGER, state.group());
    assertEquals(seen, state.seen().size());
    assertEquals(needed, state.needed());
    assertEquals(present, state.present());
    assertEquals(present ? 0 : needed - seen, state.missing());
  }

  @Test
  void percentageIsOfTheRosterNotOfTheSeenNodes() {
    // a split leaves n1 and n2 on their own: they see 2 of 2 reachable (100%), but 2 of 5 roster nodes (40%)
    QuorumPolicy policy = QuorumPolicy.minPercent(LEDGER, roster(5), 51);
    QuorumState minority = policy.evaluate(nodes("n1 n2"));
    QuorumState majority = policy.evaluate(nodes("n3 n4 n5"));
    assertFalse(minority.present(), minority.toString());
    assertTrue(majority.present(), majority.toString());
  }

  @Test
  void seenNodesAreReportedInNameOrder() {
    QuorumState state = QuorumPolicy.strictMajority(LEDGER, roster(5)).evaluate(nodes("n4 x n2 n1"));
    assertEquals(List.of(NodeName.of("n1"), NodeName.of("n2"), NodeName.of("n4")), List.copyOf(state.seen()));
  }

  @ParameterizedTest(name = "min-nodes {1} of {0} is refused")
  @CsvSource({"3, 0", "3, -1", "3, 4", "1, 2"})
  void minNodesOutsideTheRosterIsRefused(int size, int minNodes) {
    assertThrows(IllegalArgumentException.class, () -> QuorumPolicy.minNodes(LEDGER, roster(size), minNodes));
  }

  @ParameterizedTest(name = "min-percent {0} is refused")
  @CsvSource({"0", "-5", "101"})
  void percentOutsideOneToHundredIsRefused(int percent) {
    assertThrows(IllegalArgumentException.class, () -> QuorumPolicy.minPercent(LEDGER, roster(3), percent));
  }

  @Test
  void aGroupWithoutRosterNodesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> QuorumPolicy.strictMajority(LEDGER, Set.of()));
  }

  @Test
  void membersAreImmutable() {
    var members = new TreeSet<>(roster(3));
    QuorumPolicy policy = QuorumPolicy.strictMajority(LEDGER, members);
    members.add(NodeName.of("n9"));
    assertEquals(3, policy.rosterSize(), "the policy keeps its own copy");
    assertThrows(UnsupportedOperationException.class, () -> policy.members().clear());
  }
}
