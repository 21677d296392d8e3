package dev.cohort.partitioning;

import java.util.Arrays;

/**
 * What the {@link ReplicaBalancer} steers by, and how much a change to one partition's nodes
 * moves each aim. A score is a vector of changes, one per aim, compared lexicographically; negative
 * is better. The aims, most important first:
 *
 * <ol>
 *   <li>{@link #BAND}: every node fills R'·P/N' ± 1 replica slots;
 *   <li>{@link #FAILOVER}: the failover of any one node, plus the rebalancing of actives that
 *       follows it, stays within the churn bound ({@link GroupLayout#failoverChanges});
 *   <li>{@link #FAILOVER_MARGIN}: and even stays a little below it, see {@link #marginedBound};
 *   <li>{@link #ZONES}: a partition's copies span as many zones as they can;
 *   <li>{@link #EVENNESS}: replica-slot counts as even as possible (floor or ceiling);
 *   <li>then, only to choose among steps: fewer data moves ({@link #MOVES}), an even spread of
 *       each active's first replicas over the other nodes ({@link #FIRST_SPREAD}), and of its
 *       replicas in general ({@link #PAIR_SPREAD}).
 * </ol>
 */
final class ReplicaAims {
  static final int BAND = 0;
  static final int FAILOVER = 1;
  static final int FAILOVER_MARGIN = 2;
  static final int ZONES = 3;
  static final int EVENNESS = 4;
  static final int MOVES = 5;
  static final int FIRST_SPREAD = 6;
  static final int PAIR_SPREAD = 7;
  static final int SIZE = 8;

  private final GroupLayout layout;
  private final int churnBound;
  /** Per node, the active changes its failover would cause now. */
  private final int[] failoverChanges;

  ReplicaAims(GroupLayout layout) {
    this.layout = layout;
    this.churnBound = FairShare.churnBound(layout.partitionCount(), layout.nodeCount());
    this.failoverChanges = new int[layout.nodeCount()];
    for (int node = 0; node < layout.nodeCount(); node++) {
      refresh(node);
    }
  }

  /** Changes partition {@code p}'s nodes to {@code next} and keeps the figures here in step. */
  void apply(int p, int[] next) {
    layout.set(p, next);
    refresh(next[0]);
  }

  private void refresh(int active) {
    failoverChanges[active] = layout.failoverChanges(active, -1, -1);
  }

  /** Whether the failover of {@code active} is above its margined bound, so worth improving. */
  boolean failoverAboveMargin(int active) {
    return failoverChanges[active] > marginedBound(active);
  }

  /** A replacement moves data, so it is only worth making if it improves one of the first five aims. */
  static boolean worthAMove(long[] score) {
    for (int aim = 0; aim < MOVES; aim++) {
      if (score[aim] != 0) {
        return score[aim] < 0;
      }
    }
    return false;
  }

  /** A reorder moves no data; it is worth making if it improves any aim (only failover and first spread can change). */
  static boolean worthAReorder(long[] score) {
    return Lex.negative(score);
  }

  /** Whether the failover aims improve, the hard one first. */
  static boolean helpsFailover(long[] score) {
    return score[FAILOVER] < 0 || (score[FAILOVER] == 0 && score[FAILOVER_MARGIN] < 0);
  }

  /** Scores replacing partition {@code p}'s nodes by {@code next}, which has the same active, into {@code score}. */
  void score(int p, int[] next, long[] score) {
    int[] list = layout.copies(p);
    int active = list[0];
    Arrays.fill(score, 0);
    for (int slot = 1; slot < list.length; slot++) {
      if (!contains(next, list[slot])) {
        countSlot(score, active, list[slot], -1);
        score[MOVES] -= moveOf(p, list[slot]);
      }
    }
    for (int slot = 1; slot < next.length; slot++) {
      if (!contains(list, next[slot])) {
        countSlot(score, active, next[slot], +1);
        score[MOVES] += moveOf(p, next[slot]);
      }
    }
    scoreFirstReplica(score, active, list.length > 1 ? list[1] : -1, next.length > 1 ? next[1] : -1);
    score[ZONES] = layout.zoneShortfall(next) - layout.zoneShortfall(list);
  }

  /**
   * Whether replacing {@code from} by {@code to} in some replica slot keeps every node in the band
   * and, unless the zones or failover of the partition may improve, makes the slot counts more
   * even: the cut that spares {@link #scoreReplacement} most candidates. It depends on the two
   * nodes only.
   */
  boolean mayBeWorthAMove(int from, int to, boolean zonesOrFailoverMayImprove) {
    int band = bandChange(from, -1) + bandChange(to, +1);
    return band < 0
        || (band == 0 && (zonesOrFailoverMayImprove || layout.replicaSlots(to) + 1 < layout.replicaSlots(from)));
  }

  /** How the band aim changes if {@code node} gains (+1) or loses (-1) a replica slot. */
  int bandChange(int node, int sign) {
    int slots = layout.replicaSlots(node);
    return layout.bandViolation(slots + sign) - layout.bandViolation(slots);
  }

  /**
   * Scores replacing the replica in {@code slot} of partition {@code p} by node {@code to} into
   * {@code score}, the same as {@link #score(int, int[], long[])} but without building the list.
   */
  void scoreReplacement(int p, int slot, int to, long[] score) {
    int[] list = layout.copies(p);
    int active = list[0];
    int from = list[slot];
    Arrays.fill(score, 0);
    countSlot(score, active, from, -1);
    countSlot(score, active, to, +1);
    score[ZONES] = layout.zoneShortfallChange(p, slot, to);
    score[MOVES] = moveOf(p, to) - moveOf(p, from);
    if (slot == 1) {
      scoreFirstReplica(score, active, from, to);
    }
  }

  /**
   * Whether {@code node} holding {@code p} is a data move: it did not hold p before. Replacing a
   * node that only got p in this plan undoes its move, so costs nothing; replacing one that held p
   * before drops data it had, and the newcomer's copy is a move.
   */
  private int moveOf(int p, int node) {
    return layout.heldBefore(p, node) ? 0 : 1;
  }

  private void scoreFirstReplica(long[] score, int active, int first, int nextFirst) {
    if (first == nextFirst) {
      return;
    }
    int changes = layout.failoverChanges(active, first, nextFirst);
    score[FAILOVER] = excess(changes, churnBound) - excess(failoverChanges[active], churnBound);
    int margined = marginedBound(active);
    score[FAILOVER_MARGIN] = excess(changes, margined) - excess(failoverChanges[active], margined);
    if (first >= 0) {
      score[FIRST_SPREAD] += squareChange(layout.firstReplicas(active, first), -1);
    }
    if (nextFirst >= 0) {
      score[FIRST_SPREAD] += squareChange(layout.firstReplicas(active, nextFirst), +1);
    }
  }

  /** Adds to {@code score} the effect of {@code node} gaining (+1) or losing (-1) one replica slot. */
  private void countSlot(long[] score, int active, int node, int sign) {
    int slots = layout.replicaSlots(node);
    score[BAND] += layout.bandViolation(slots + sign) - layout.bandViolation(slots);
    score[EVENNESS] += squareChange(slots, sign);
    score[PAIR_SPREAD] += squareChange(layout.replicaPairs(active, node), sign);
  }

  private static int excess(int changes, int bound) {
    return Math.max(0, changes - bound);
  }

  /**
   * The churn bound less a margin of a quarter of the changes a's failover may add to its own
   * actives (at least one). Aiming below the bound keeps every node's failover off the edge, where
   * zone preferences would otherwise push it and where fixing one node's failover can take a chain
   * of steps that no single step improves.
   */
  private int marginedBound(int active) {
    int rebalancing = churnBound - layout.actives(active);
    return churnBound - Math.max(1, rebalancing / 4);
  }

  /** (count + sign)² - count², for a sign of +1 or -1. */
  private static long squareChange(int count, int sign) {
    return 2L * sign * count + 1;
  }

  private static boolean contains(int[] list, int node) {
    for (int held : list) {
      if (held == node) {
        return true;
      }
    }
    return false;
  }
}
