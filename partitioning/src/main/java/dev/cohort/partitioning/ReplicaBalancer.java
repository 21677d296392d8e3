package dev.cohort.partitioning;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Gives every partition R' replicas and orders them, once the actives are settled.
 *
 * <p>It first drops replicas beyond R' and fills missing slots, each time choosing what serves the
 * {@link ReplicaAims} best, then improves the layout by local search: free reorders of a
 * partition's replicas, replacements of one replica by another node, and exchanges of two
 * replicas between two partitions. A replacement or an exchange moves data, so it is only made if
 * it improves one of the aims that matter ({@link ReplicaAims#worthAMove}); a reorder is made if it
 * improves failover or the spread of first replicas. Every step strictly improves the aims in
 * their order, so the search ends, and it ends where no step helps: planning again from its result
 * changes nothing.
 */
final class ReplicaBalancer {
  private final GroupLayout layout;
  private final ReplicaAims aims;
  private final ReplicaExchanges exchanges;
  private final long[] score = new long[ReplicaAims.SIZE];

  ReplicaBalancer(GroupLayout layout) {
    this.layout = layout;
    this.aims = new ReplicaAims(layout);
    this.exchanges = new ReplicaExchanges(layout, aims);
  }

  void run() {
    for (int p = 0; p < layout.partitionCount(); p++) {
      trim(p);
    }
    for (int p = 0; p < layout.partitionCount(); p++) {
      fill(p);
    }
    improve();
  }

  /** Drops replicas beyond R' (after R' shrank or an active was transferred), the least useful first. */
  private void trim(int p) {
    while (layout.replicaCount(p) > layout.replicas()) {
      var best = new Best();
      for (int slot = layout.copies(p).length - 1; slot >= 1; slot--) {
        int[] next = without(layout.copies(p), slot);
        aims.score(p, next, score);
        best.offer(score, p, next);
      }
      aims.apply(p, best.list);
    }
  }

  /** Fills missing replica slots at the end of the list, each with the best node for the aims. */
  private void fill(int p) {
    while (layout.replicaCount(p) < layout.replicas()) {
      var best = new Best();
      for (int node = 0; node < layout.nodeCount(); node++) {
        if (!layout.holds(p, node)) {
          int[] next = Arrays.copyOf(layout.copies(p), layout.copies(p).length + 1);
          next[next.length - 1] = node;
          aims.score(p, next, score);
          best.offer(score, p, next);
        }
      }
      aims.apply(p, best.list);
    }
  }

  /**
   * Local search: free reorders until none helps, then the single best replacement, or failing
   * that the best exchange, again and again.
   */
  private void improve() {
    boolean[] rowsToReorder = new boolean[layout.nodeCount()];
    Arrays.fill(rowsToReorder, true);
    while (true) {
      reorder(rowsToReorder);
      int[] changed = replaceBest();
      if (changed.length == 0) {
        changed = exchanges.makeBest();
      }
      if (changed.length == 0) {
        return;
      }
      // Only a partition's own active's failover and spread decide its order.
      for (int p : changed) {
        rowsToReorder[layout.active(p)] = true;
      }
    }
  }

  /** Reorders the partitions of the marked actives until no reorder helps, then clears the marks. */
  private void reorder(boolean[] rows) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int p = 0; p < layout.partitionCount(); p++) {
        if (rows[layout.active(p)]) {
          changed |= reorderOne(p);
        }
      }
    }
    Arrays.fill(rows, false);
  }

  /** Makes the best swap of {@code p}'s first replica with a later one, if it helps. */
  private boolean reorderOne(int p) {
    int[] list = layout.copies(p);
    var best = new Best();
    for (int slot = 2; slot < list.length; slot++) {
      int[] next = list.clone();
      next[1] = list[slot];
      next[slot] = list[1];
      aims.score(p, next, score);
      if (ReplicaAims.worthAReorder(score)) {
        best.offer(score, p, next);
      }
    }
    if (best.list == null) {
      return false;
    }
    aims.apply(p, best.list);
    return true;
  }

  /** Makes the replacement of one replica by another node that helps most, if any; returns the partition changed. */
  private int[] replaceBest() {
    int n = layout.nodeCount();
    boolean[][] improving = new boolean[n][n];
    int[][] inBand = new int[n][];
    for (int from = 0; from < n; from++) {
      for (int to = 0; to < n; to++) {
        improving[from][to] = to != from && aims.mayBeWorthAMove(from, to, false);
      }
      inBand[from] = replacementsFor(from);
    }
    boolean[] held = new boolean[n];
    int[] heldZones = new int[layout.zoneCount()];
    var best = new Best();
    for (int p = 0; p < layout.partitionCount(); p++) {
      int[] list = layout.copies(p);
      mark(list, held, heldZones, +1);
      boolean zonesMayImprove = layout.zoneShortfall(p) > 0;
      for (int slot = 1; slot < list.length; slot++) {
        int from = list[slot];
        boolean failoverMayImprove = slot == 1 && aims.failoverAboveMargin(list[0]);
        for (int to : inBand[from]) {
          // Cheap cuts: the step must improve the band or evenness, or the failover, or the zones.
          if (held[to] || !(improving[from][to] || failoverMayImprove
              || (zonesMayImprove && heldZones[layout.zoneOf(to)] == 0))) {
            continue;
          }
          aims.scoreReplacement(p, slot, to, score);
          if (ReplicaAims.worthAMove(score) && best.improvedBy(score)) {
            int[] next = list.clone();
            next[slot] = to;
            best.offer(score, p, next);
          }
        }
      }
      mark(list, held, heldZones, -1);
    }
    if (best.list == null) {
      return new int[0];
    }
    aims.apply(best.partition, best.list);
    return new int[] {best.partition};
  }

  private void mark(int[] list, boolean[] held, int[] heldZones, int sign) {
    for (int node : list) {
      held[node] = sign > 0;
      heldZones[layout.zoneOf(node)] += sign;
    }
  }

  /** The nodes that may take a replica slot from {@code from} without leaving the band. */
  private int[] replacementsFor(int from) {
    return IntStream.range(0, layout.nodeCount()).filter(to -> to != from && aims.mayBeWorthAMove(from, to, true)).toArray();
  }

  private static int[] without(int[] list, int slot) {
    int[] shorter = new int[list.length - 1];
    System.arraycopy(list, 0, shorter, 0, slot);
    System.arraycopy(list, slot + 1, shorter, slot, list.length - slot - 1);
    return shorter;
  }

  /** The best candidate so far: the first with the lowest score, in scan order. */
  private static final class Best {
    private long[] score;
    private int partition = -1;
    private int[] list;

    boolean improvedBy(long[] candidate) {
      return score == null || Lex.less(candidate, score);
    }

    void offer(long[] candidate, int p, int[] next) {
      if (improvedBy(candidate)) {
        score = candidate.clone();
        partition = p;
        list = next;
      }
    }
  }
}
