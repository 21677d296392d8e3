package dev.cohort.partitioning;

import java.util.stream.IntStream;

/**
 * Gives every live node its fair share of actives (the floor or the ceiling of P/N'), changing as
 * few actives as it can.
 *
 * <p>Partitions that failed over in this plan keep their new active: that is what makes failover
 * free of data moves. (Only if a node took over more than its share, as several leaves while
 * replicas catch up can make it, does it pass the excess on.) Each other change takes one active from a node above its share to a node
 * below it, preferring a <em>promotion</em>, where the receiving node is already a replica of the
 * partition and the two simply swap roles (a replica in sync first, then one catching up), over a
 * <em>transfer</em> to a node without the data, which takes the old active's place (or, if the old
 * active is in sync and a replica is still catching up, that replica's place: the old active stays
 * as a replica, so that no copy in sync gives way to one still copying).
 *
 * <p>It decides where actives should be, not when they move: {@link DataFirst} keeps the current
 * active acting until its successor is in sync.
 */
final class ActiveBalancer {
  private final GroupLayout layout;

  ActiveBalancer(GroupLayout layout) {
    this.layout = layout;
  }

  void run() {
    placeHomeless();
    int[] targets = FairShare.targets(layout.activeCounts(), pinnedCounts(), layout.partitionCount());
    for (int over = mostAbove(targets); over >= 0; over = mostAbove(targets)) {
      moveOneActive(over, targets);
    }
  }

  /** Partitions placed for the first time start on the node with fewest actives. */
  private void placeHomeless() {
    for (int p = 0; p < layout.partitionCount(); p++) {
      if (layout.active(p) < 0) {
        int fewest = 0;
        for (int node = 1; node < layout.nodeCount(); node++) {
          if (layout.actives(node) < layout.actives(fewest)) {
            fewest = node;
          }
        }
        layout.set(p, new int[] {fewest});
      }
    }
  }

  private int[] pinnedCounts() {
    int[] pinned = new int[layout.nodeCount()];
    for (int p = 0; p < layout.partitionCount(); p++) {
      if (layout.pinned(p)) {
        pinned[layout.active(p)]++;
      }
    }
    return pinned;
  }

  /** The node furthest above its target, or -1 if none is above. */
  private int mostAbove(int[] targets) {
    int most = -1;
    int mostExcess = 0;
    for (int node = 0; node < layout.nodeCount(); node++) {
      int excess = layout.actives(node) - targets[node];
      if (excess > mostExcess) {
        most = node;
        mostExcess = excess;
      }
    }
    return most;
  }

  /**
   * Moves one active away from {@code from} to a node below its target: of a partition that did
   * not fail over if it has one; a promotion if there is one, of a replica in sync first, else a
   * transfer, to a node that keeps a copy first; among equals, keeping the zone spread, to the receiver furthest below its target,
   * giving it a first replica it has fewest of (so that its own failover spreads well), then the
   * lowest partition and node indexes.
   */
  private void moveOneActive(int from, int[] targets) {
    int bestPartition = -1;
    int bestTo = -1;
    long[] bestScore = null;
    int[] below = IntStream.range(0, layout.nodeCount()).filter(node -> layout.actives(node) < targets[node]).toArray();
    for (int p = 0; p < layout.partitionCount(); p++) {
      if (layout.active(p) != from) {
        continue;
      }
      for (int to : below) {
        boolean promotion = layout.holds(p, to);
        int[] moved = withActive(p, to);
        long[] score = {
          layout.pinned(p) ? 1 : 0,
          promotion ? (layout.inSync(p, to) ? 0 : 1) : layout.heldBefore(p, to) ? 2 : 3,
          promotion ? 0 : layout.zoneShortfall(moved) - layout.zoneShortfall(p),
          layout.actives(to) - targets[to],
          moved.length > 1 ? layout.firstReplicas(to, moved[1]) : 0,
        };
        if (bestScore == null || Lex.less(score, bestScore)) {
          bestPartition = p;
          bestTo = to;
          bestScore = score;
        }
      }
    }
    // Some node is below target, since the targets add up to the actives.
    layout.set(bestPartition, withActive(bestPartition, bestTo));
  }

  /**
   * Partition {@code p}'s nodes with {@code to} as active: swapped with its replica slot if it has
   * one; else in the place of the last replica catching up, the active in sync moving to that slot;
   * else in the active's place.
   */
  private int[] withActive(int p, int to) {
    int[] list = layout.copies(p);
    int[] moved = list.clone();
    int slot = 0;
    for (int i = 1; i < list.length; i++) {
      if (list[i] == to) {
        slot = i;
        break;
      }
      if (layout.inSync(p, list[0]) && !layout.inSync(p, list[i])) {
        slot = i;
      }
    }
    moved[slot] = list[0];
    moved[0] = to;
    return moved;
  }
}
