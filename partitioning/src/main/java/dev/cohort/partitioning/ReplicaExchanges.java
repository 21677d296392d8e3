package dev.cohort.partitioning;

import java.util.stream.IntStream;

/**
 * The step of the replica search that moves two replicas at once, for what single replacements
 * cannot reach without pushing a node out of the band: a node's failover above its margin, or a
 * partition short of zones. It replaces b by y in one partition, for the failover or the zones, and
 * compensates in another partition: gives b a replica slot back, or takes one from y. Like a single
 * replacement, it is only made if the two together improve the aims that are worth a data move.
 */
final class ReplicaExchanges {
  private final GroupLayout layout;
  private final ReplicaAims aims;
  private final long[] score = new long[ReplicaAims.SIZE];

  ReplicaExchanges(GroupLayout layout, ReplicaAims aims) {
    this.layout = layout;
    this.aims = aims;
  }

  /** Makes the best exchange that helps, if any; returns the partitions changed. */
  int[] makeBest() {
    int[][] replicaOf = partitionsByReplica();
    var best = new Exchange();
    long[] first = new long[ReplicaAims.SIZE];
    for (int p = 0; p < layout.partitionCount(); p++) {
      int[] list = layout.copies(p);
      boolean failover = list.length > 1 && aims.failoverAboveMargin(list[0]);
      boolean zones = layout.zoneShortfall(p) > 0;
      for (int slot = 1; slot < list.length && (failover || zones); slot++) {
        boolean failoverHere = failover && slot == 1;
        for (int to = 0; to < layout.nodeCount(); to++) {
          if (layout.holds(p, to) || !(failoverHere || (zones && layout.zoneIsNew(p, to)))) {
            continue;
          }
          int[] next = list.clone();
          next[slot] = to;
          aims.score(p, next, first);
          // Without leaving the band, the single replacement would have been taken already.
          if (first[ReplicaAims.BAND] > 0 && (ReplicaAims.helpsFailover(first) || first[ReplicaAims.ZONES] < 0)) {
            aims.apply(p, next);
            compensate(p, next, list[slot], to, first, replicaOf, best);
            aims.apply(p, list);
          }
        }
      }
    }
    if (best.first == null) {
      return new int[0];
    }
    aims.apply(best.p, best.first);
    aims.apply(best.q, best.second);
    return new int[] {best.p, best.q};
  }

  /**
   * Offers to {@code best} each replacement in a partition other than {@code p} that gives
   * {@code from} a replica slot back or takes one from {@code to}, scored together with the first
   * replacement (already applied, scored {@code first}).
   */
  private void compensate(int p, int[] next, int from, int to, long[] first, int[][] replicaOf, Exchange best) {
    // Cheap cut: together the two replacements must not leave the band.
    long bandGivingBack = first[ReplicaAims.BAND] + aims.bandChange(from, +1);
    for (int q = 0; q < layout.partitionCount(); q++) {
      int[] list = layout.copies(q);
      if (q == p || layout.holds(q, from)) {
        continue;
      }
      for (int slot = 1; slot < list.length; slot++) {
        if (bandGivingBack + aims.bandChange(list[slot], -1) <= 0) {
          offer(p, next, q, list, slot, from, first, best);
        }
      }
    }
    long bandTakingAway = first[ReplicaAims.BAND] + aims.bandChange(to, -1);
    for (int q : replicaOf[to]) {
      int[] list = layout.copies(q);
      int slot = slotOf(list, to);
      for (int node = 0; node < layout.nodeCount(); node++) {
        // Giving the slot to b is the first loop's case.
        if (q != p && node != from && !layout.holds(q, node) && bandTakingAway + aims.bandChange(node, +1) <= 0) {
          offer(p, next, q, list, slot, node, first, best);
        }
      }
    }
  }

  private void offer(int p, int[] next, int q, int[] list, int slot, int node, long[] first, Exchange best) {
    int[] other = list.clone();
    other[slot] = node;
    aims.score(q, other, score);
    for (int aim = 0; aim < score.length; aim++) {
      score[aim] += first[aim];
    }
    if (ReplicaAims.worthAMove(score) && (best.score == null || Lex.less(score, best.score))) {
      best.score = score.clone();
      best.p = p;
      best.first = next;
      best.q = q;
      best.second = other;
    }
  }

  /** For each node, the partitions it is a replica of. */
  private int[][] partitionsByReplica() {
    return IntStream.range(0, layout.nodeCount())
        .mapToObj(node -> IntStream.range(0, layout.partitionCount()).filter(p -> slotOf(layout.copies(p), node) >= 1).toArray())
        .toArray(int[][]::new);
  }

  private static int slotOf(int[] list, int node) {
    for (int slot = 0; slot < list.length; slot++) {
      if (list[slot] == node) {
        return slot;
      }
    }
    return -1;
  }

  /** The best exchange so far: two partitions and their next nodes. */
  private static final class Exchange {
    private long[] score;
    private int p;
    private int[] first;
    private int q;
    private int[] second;
  }
}
