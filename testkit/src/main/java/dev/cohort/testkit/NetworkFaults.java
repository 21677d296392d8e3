package dev.cohort.testkit;

import java.util.Set;

/** Network cuts between sets of nodes, at the transport: every message between them is lost. */
public interface NetworkFaults {
  /** Which messages a cut drops. */
  enum Direction {
    /** Messages from the first side to the second are lost; the other way still flows. */
    ONE_WAY,
    /** Nothing passes between the two sides. */
    BOTH_WAYS
  }

  /**
   * Cuts the links between every node of {@code side} and every node of {@code otherSide}.
   *
   * @throws IllegalArgumentException if the sides overlap or name an unknown node
   */
  void cut(Set<String> side, Set<String> otherSide, Direction direction);

  /** Removes every cut. */
  void healAll();
}
