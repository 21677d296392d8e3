package dev.cohort.partitioning;

import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What {@link PlacementPlanner#plan} decided: the next table and how it differs from the previous
 * one.
 *
 * @param table the next table; the previous table itself (same version) when nothing changed
 * @param changes the partitions that differ from the previous table, in id order
 * @param hosts for each partition group, the live roster nodes that may host its partitions
 * @param unavailable the partitions that have no active in {@link #table()}, in id order: those
 *     whose in-sync copies are all on dead nodes (their entry names those nodes; the planner never
 *     places them afresh, since that would give up acknowledged writes), and those that never had a
 *     live node to be placed on (their in-sync set is empty)
 */
public record PlacementPlan(
    PartitionTable table,
    List<PartitionChange> changes,
    SortedMap<String, SortedSet<NodeName>> hosts,
    List<PartitionId> unavailable) {

  public PlacementPlan {
    changes = List.copyOf(changes);
    var copy = new TreeMap<String, SortedSet<NodeName>>();
    hosts.forEach((group, nodes) -> copy.put(group, Collections.unmodifiableSortedSet(new TreeSet<>(nodes))));
    hosts = Collections.unmodifiableSortedMap(copy);
    unavailable = List.copyOf(unavailable);
  }

  /** Whether the table changed, that is whether {@link #table()} has a new version. */
  public boolean changed() {
    return !changes.isEmpty();
  }

  /**
   * The partitions that were available and lost their last live in-sync copy in this plan, in id
   * order: they stay unavailable until a holder returns with its data or an operator forces a
   * promotion.
   */
  public List<PartitionId> becameUnavailable() {
    return changes.stream()
        .filter(change -> change.before().map(PartitionEntry::available).orElse(false)
            && !change.after().map(PartitionEntry::available).orElse(true))
        .map(PartitionChange::id)
        .toList();
  }

  /** How many partitions changed their active node (including partitions that gained or lost one). */
  public int activeChanges() {
    return (int) changes.stream().filter(PartitionChange::activeChanged).count();
  }

  /** Data moves: (partition, node) pairs where the node holds the partition now but did not before. */
  public int moves() {
    return changes.stream().mapToInt(change -> change.addedNodes().size()).sum();
  }

  /** Replica slots whose node changed, summed over partitions; see {@link PartitionChange#replicaSlotChanges()}. */
  public int replicaSlotChanges() {
    return changes.stream().mapToInt(PartitionChange::replicaSlotChanges).sum();
  }

  /** For each live node that may host {@code group}, how many of the group's partitions it is active for. */
  public SortedMap<NodeName, Integer> activesPerNode(String group) {
    return countPerNode(group, placement -> List.of(placement.active()));
  }

  /** For each live node that may host {@code group}, how many replica slots of the group's partitions it fills. */
  public SortedMap<NodeName, Integer> replicaSlotsPerNode(String group) {
    return countPerNode(group, Placement::replicas);
  }

  /**
   * A few lines for people: per group, the spread of actives and replica slots, the replicas still
   * catching up and the unavailable partitions, then the change figures.
   */
  public String summary() {
    var text = new StringBuilder();
    for (String group : hosts.keySet()) {
      List<PartitionEntry> entries = table.group(group);
      long unavailable = entries.stream().filter(entry -> !entry.available()).count();
      long catchingUp = entries.stream().mapToLong(entry -> entry.outOfSyncReplicas().size()).sum();
      text.append(String.format("%s: %d partitions on %d live nodes, actives per node %s, replica slots per node %s%s%s%n",
          group, entries.size(), hosts.get(group).size(), range(activesPerNode(group)),
          range(replicaSlotsPerNode(group)), catchingUp == 0 ? "" : ", " + catchingUp + " replicas catching up",
          unavailable == 0 ? "" : ", " + unavailable + " unavailable"));
    }
    return text.append(String.format("version %d: %d active changes, %d data moves, %d replica slot changes",
        table.version(), activeChanges(), moves(), replicaSlotChanges())).toString();
  }

  private SortedMap<NodeName, Integer> countPerNode(String group, Function<Placement, List<NodeName>> nodes) {
    var counts = new TreeMap<NodeName, Integer>();
    hosts.getOrDefault(group, Collections.emptySortedSet()).forEach(node -> counts.put(node, 0));
    for (PartitionEntry entry : table.group(group)) {
      entry.placement().ifPresent(placement -> nodes.apply(placement).forEach(node -> counts.merge(node, 1, Integer::sum)));
    }
    return Collections.unmodifiableSortedMap(counts);
  }

  private static String range(Map<NodeName, Integer> counts) {
    if (counts.isEmpty()) {
      return "-";
    }
    int min = Collections.min(counts.values());
    int max = Collections.max(counts.values());
    return min == max ? Integer.toString(min) : min + ".." + max;
  }
}
