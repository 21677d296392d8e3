package dev.cohort.partitioning;

import dev.cohort.api.NodeName;
import dev.cohort.api.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where an available partition starts a plan. The balancers start from where the previous table
 * was taking it: its target, or its placement if it had none or a node of the target died. If the
 * active died, the first in-sync live node in placement order takes over: that failover moves no
 * data, and the plan keeps it.
 *
 * @param acting the node that acts for the partition now: the active, or its successor
 * @param layout the nodes the balancers start from, active first, all live
 * @param inSync the live in-sync nodes, in placement order; never empty, holds {@code acting}
 * @param held every live node of the placement, in sync or catching up, and the live nodes that keep
 *     a copy on their storage from before they rejoined: placing it on any of them moves at most a tail
 * @param failedOver whether the active died and {@code acting} succeeds it
 */
record Start(NodeName acting, List<NodeName> layout, List<NodeName> inSync, List<NodeName> held, boolean failedOver) {
  Start {
    layout = List.copyOf(layout);
    inSync = List.copyOf(inSync);
    held = List.copyOf(held);
  }

  /**
   * Where {@code previous}, an available entry, starts; empty if none of its in-sync nodes is live.
   *
   * @param kept nodes that keep a copy of the partition on their storage, outside its placement
   */
  static Optional<Start> of(PartitionEntry previous, Set<NodeName> live, Set<NodeName> kept) {
    Placement placement = previous.placement().orElseThrow();
    List<NodeName> placed = placement.nodes().stream().filter(live::contains).toList();
    List<NodeName> inSync = placed.stream().filter(previous::isInSync).toList();
    if (inSync.isEmpty()) {
      return Optional.empty();
    }
    NodeName acting = inSync.get(0);
    boolean failedOver = !acting.equals(placement.active());
    List<NodeName> aim = previous.target().filter(target -> live.containsAll(target.nodes()))
        .map(Placement::nodes).orElse(placed);
    var layout = new ArrayList<NodeName>();
    if (failedOver) {
      layout.add(acting);
    }
    aim.stream().filter(node -> !layout.contains(node)).forEach(layout::add);
    var held = new ArrayList<>(placed);
    kept.stream().sorted().filter(node -> live.contains(node) && !held.contains(node)).forEach(held::add);
    return Optional.of(new Start(acting, layout, inSync, held, failedOver));
  }
}
