package dev.cohort.partitioning;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Fair shares of a total over nodes: each node gets the floor or the ceiling of the mean, and the
 * ceilings go to the nodes that already have most, so that reaching the shares moves as little as
 * possible. Shared by the active balancer and by the replica balancer, which predicts from it what
 * a future failover will cost.
 */
final class FairShare {
  private FairShare() {}

  /**
   * The target count of each node.
   *
   * @param counts what each node has now
   * @param pinned what each node should keep (failed-over partitions); after a single leave from a
   *     settled table never above the ceiling (see callers)
   * @param total the sum of the targets
   */
  static int[] targets(int[] counts, int[] pinned, int total) {
    int n = counts.length;
    int floor = total / n;
    int ceilings = total % n;
    int[] targets = new int[n];
    int[] order = IntStream.range(0, n).boxed()
        // A node pinned above the floor must get a ceiling; it can only be one node (see callers).
        .sorted(Comparator.<Integer>comparingInt(i -> pinned[i] > floor ? 0 : 1)
            .thenComparingInt(i -> -counts[i])
            .thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
    for (int rank = 0; rank < n; rank++) {
      targets[order[rank]] = floor + (rank < ceilings ? 1 : 0);
    }
    return targets;
  }

  /**
   * How many units must leave their node to reach {@link #targets}: the sum of the excesses. Each
   * unit moved from an excess node to a short one removes one, so this is also the least number of
   * moves.
   */
  static int overflow(int[] counts, int total) {
    int floor = total / counts.length;
    int ceilings = total % counts.length;
    int aboveFloor = 0;
    int nodesAboveFloor = 0;
    for (int count : counts) {
      if (count > floor) {
        aboveFloor += count - floor;
        nodesAboveFloor++;
      }
    }
    // The ceilings go to the highest counts first, so each absorbs one unit of a node above the floor.
    return aboveFloor - Math.min(ceilings, nodesAboveFloor);
  }

  /**
   * The most active changes one join or leave may cause: 1.25 &times; ceil(P / N) + 1, rounded
   * down, where N is the larger node count around the change.
   */
  static int churnBound(int partitions, int nodes) {
    int share = (partitions + nodes - 1) / nodes;
    return (5 * share + 4) / 4;
  }
}
