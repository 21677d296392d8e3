package dev.cohort.node.replication;

import static dev.cohort.node.replication.CommitPolicy.ALL_IN_SYNC;
import static dev.cohort.node.replication.CommitPolicy.MAJORITY_OF_PLACEMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeName;
import dev.cohort.api.Placement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The commit position as a table of cases, and its monotonicity. */
class CommitPositionTest {
  private static final NodeName A = NodeName.of("a");
  private static final NodeName B = NodeName.of("b");
  private static final NodeName C = NodeName.of("c");
  private static final NodeName D = NodeName.of("d");
  private static final NodeName E = NodeName.of("e");
  private static final Placement ABC = Placement.of(List.of(A, B, C));
  private static final Placement ABCD = Placement.of(List.of(A, B, C, D));
  private static final Placement ABCDE = Placement.of(List.of(A, B, C, D, E));
  private static final Placement ALONE = Placement.of(List.of(A));

  record Case(
      String name, CommitPolicy policy, Placement placement, Set<NodeName> inSync, long active,
      Map<NodeName, Long> acks, long firstOwnSeq, long expected) {
    @Override
    public String toString() {
      return policy + ": " + name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no replicas: the active alone", ALL_IN_SYNC, ALONE, Set.of(), 9, Map.of(), 1, 9),
        new Case("the slowest in-sync replica decides", ALL_IN_SYNC, ABC, Set.of(B, C), 9, Map.of(B, 5L, C, 7L), 1, 5),
        new Case("the active's durable seq caps it", ALL_IN_SYNC, ABC, Set.of(B, C), 4, Map.of(B, 5L, C, 7L), 1, 4),
        new Case("a replica out of the in-sync set does not count", ALL_IN_SYNC, ABC, Set.of(B), 9, Map.of(B, 5L, C, 1L), 1, 5),
        new Case("an empty in-sync set: the active alone", ALL_IN_SYNC, ABC, Set.of(), 9, Map.of(B, 2L), 1, 9),
        new Case("an in-sync replica without ack holds everything", ALL_IN_SYNC, ABC, Set.of(B, C), 9, Map.of(B, 5L), 1, 0),
        new Case("the active listed as in-sync is ignored", ALL_IN_SYNC, ABC, Set.of(A, B), 9, Map.of(B, 6L), 1, 6),
        new Case("inherited entries count too", ALL_IN_SYNC, ABC, Set.of(B, C), 9, Map.of(B, 5L, C, 7L), 8, 5),
        new Case("2 of 3: the second highest", MAJORITY_OF_PLACEMENT, ABC, Set.of(B, C), 9, Map.of(B, 5L, C, 7L), 1, 7),
        new Case("2 of 3, one replica not in sync", MAJORITY_OF_PLACEMENT, ABC, Set.of(B), 9, Map.of(B, 5L, C, 7L), 1, 5),
        new Case("2 of 3, replicas ahead of the active", MAJORITY_OF_PLACEMENT, ABC, Set.of(B, C), 3, Map.of(B, 8L, C, 8L), 1, 8),
        new Case("2 of 3, no acks", MAJORITY_OF_PLACEMENT, ABC, Set.of(B, C), 9, Map.of(), 1, 0),
        new Case("3 of 4", MAJORITY_OF_PLACEMENT, ABCD, Set.of(B, C, D), 10, Map.of(B, 9L, C, 8L, D, 1L), 1, 8),
        new Case("3 of 5", MAJORITY_OF_PLACEMENT, ABCDE, Set.of(B, C, D, E), 10,
            Map.of(B, 9L, C, 2L, D, 8L, E, 1L), 1, 8),
        new Case("1 of 1", MAJORITY_OF_PLACEMENT, ALONE, Set.of(), 4, Map.of(), 1, 4),
        new Case("only entries of its own tenure commit by counting", MAJORITY_OF_PLACEMENT, ABC, Set.of(B, C), 9,
            Map.of(B, 7L, C, 5L), 8, 0),
        new Case("an own entry commits the inherited ones with it", MAJORITY_OF_PLACEMENT, ABC, Set.of(B, C), 9,
            Map.of(B, 8L, C, 5L), 8, 8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void commitPosition(Case c) {
    assertEquals(c.expected, CommitPosition.of(c.policy, c.placement, c.inSync, c.active, c.acks, c.firstOwnSeq));
  }

  @Test
  void anInSyncNodeOutsideThePlacementOrANegativeSeqIsABug() {
    assertThrows(IllegalArgumentException.class,
        () -> CommitPosition.of(ALL_IN_SYNC, ABC, Set.of(D), 1, Map.of(), 1));
    assertThrows(IllegalArgumentException.class,
        () -> CommitPosition.of(ALL_IN_SYNC, ABC, Set.of(B), -1, Map.of(), 1));
    assertThrows(IllegalArgumentException.class,
        () -> CommitPosition.of(MAJORITY_OF_PLACEMENT, ABC, Set.of(B), 1, Map.of(B, -2L), 1));
  }

  @Test
  void aMemberJoiningTheInSyncSetBehindCanLowerTheResult_soTheCallerKeepsTheMaximum() {
    long before = CommitPosition.of(ALL_IN_SYNC, ABC, Set.of(B), 9, Map.of(B, 9L, C, 6L), 1);
    long after = CommitPosition.of(ALL_IN_SYNC, ABC, Set.of(B, C), 9, Map.of(B, 9L, C, 6L), 1);

    assertEquals(9, before);
    assertEquals(6, after);
  }

  @Test
  void withGrowingPositionsAndAFixedInSyncSet_theResultNeverGoesBackwards() {
    var random = new Random(42);
    for (CommitPolicy policy : CommitPolicy.values()) {
      for (int run = 0; run < 200; run++) {
        Set<NodeName> inSync = random.nextBoolean() ? Set.of(B, C, D, E) : Set.of(B, D);
        long active = 0;
        var acks = new HashMap<NodeName, Long>();
        long previous = 0;
        for (int step = 0; step < 50; step++) {
          active += random.nextInt(3);
          for (NodeName replica : ABCDE.replicas()) {
            if (random.nextInt(3) == 0) {
              acks.merge(replica, (long) random.nextInt(4), Long::sum);
            }
          }
          long now = CommitPosition.of(policy, ABCDE, inSync, active, acks, 1);
          assertTrue(now >= previous, policy + " went back from " + previous + " to " + now);
          previous = now;
        }
      }
    }
  }
}
