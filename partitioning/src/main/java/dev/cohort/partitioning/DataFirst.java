package dev.cohort.partitioning;

import dev.cohort.api.NodeName;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves data before roles. The balancers say where a partition should be (its target); this
 * decides what the next table can place now, given which copies are in sync:
 *
 * <ul>
 *   <li>The target's active acts if it is in sync. Otherwise the acting active stays, and the
 *       target's active is placed to catch up: in the acting active's slot of the target, or, if
 *       the target has none for it, after the target's replicas.
 *   <li>In-sync copies that the target drops stay, after the others, as long as the partition
 *       would otherwise have fewer than R' + 1 copies in sync: a rebalance never lowers the number
 *       of in-sync copies.
 *   <li>Replicas catching up that the target drops leave; those it keeps stay out of sync.
 * </ul>
 *
 * The entry keeps the target while the placement differs from it; once the copies it waits for
 * are in sync, a later plan from that target places it as it is.
 */
final class DataFirst {
  private DataFirst() {}

  /**
   * The nodes of a partition for the next table, active first.
   *
   * @param start where the partition is now
   * @param target where the balancers want it, active first
   * @param copies R' + 1: how many in-sync copies the partition should keep
   */
  static List<NodeName> follow(Start start, List<NodeName> target, int copies) {
    NodeName active = start.inSync().contains(target.get(0)) ? target.get(0) : start.acting();
    var next = new ArrayList<>(target);
    if (!next.contains(active)) {
      next.add(active);
    }
    // The acting node goes first, the target's active to its slot.
    next.set(next.indexOf(active), next.get(0));
    next.set(0, active);
    int keep = Math.min(start.inSync().size(), copies);
    long inSync = next.stream().filter(start.inSync()::contains).count();
    for (NodeName node : start.inSync()) {
      if (inSync >= keep) {
        break;
      }
      if (!next.contains(node)) {
        next.add(node);
        inSync++;
      }
    }
    return List.copyOf(next);
  }
}
