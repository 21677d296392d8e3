package dev.cohort.partitioning;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import dev.cohort.api.Placement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The placement properties, each as a list of readable violations (empty when it holds). */
final class Checks {
  private Checks() {}

  /** R' for a dynamic group with {@code replicas} over {@code liveCount} nodes. */
  static int effectiveReplicas(int replicas, int liveCount) {
    return Math.min(replicas, liveCount - 1);
  }

  /**
   * The group has {@code partitions} entries; every available one has an active and R' replicas on
   * live nodes, all in sync; every node is active for floor or ceil of P/N' partitions and fills
   * R'·P/N' ± 1 replica slots, P counting the available partitions only (those whose data was lost
   * take no part).
   */
  static List<String> balance(PlacementPlan plan, String group, int partitions, int replicas, Set<NodeName> live) {
    var problems = new ArrayList<String>();
    int n = live.size();
    int r = effectiveReplicas(replicas, n);
    var entries = plan.table().group(group);
    if (entries.size() != partitions) {
      problems.add("expected " + partitions + " partitions, table has " + entries.size());
    }
    int available = 0;
    for (PartitionEntry entry : entries) {
      if (entry.placement().isEmpty()) {
        continue;
      }
      available++;
      Placement placement = entry.placement().get();
      if (placement.replicas().size() != r) {
        problems.add(entry.id() + " has " + placement.replicas().size() + " replicas, expected " + r);
      }
      if (!live.containsAll(placement.nodes())) {
        problems.add(entry.id() + " is placed on a node that is not live: " + placement.nodes());
      }
      if (!entry.outOfSyncReplicas().isEmpty()) {
        problems.add(entry.id() + " has replicas out of sync: " + entry);
      }
    }
    Map<NodeName, Integer> actives = plan.activesPerNode(group);
    Map<NodeName, Integer> slots = plan.replicaSlotsPerNode(group);
    int floor = available / n;
    int ceil = (available + n - 1) / n;
    actives.forEach((node, count) -> {
      if (count < floor || count > ceil) {
        problems.add(node + " is active for " + count + " partitions, expected " + floor + ".." + ceil);
      }
    });
    int placed = available;
    slots.forEach((node, count) -> {
      // |count - R'·P/N'| <= 1, in integers
      if (Math.abs((long) count * n - (long) r * placed) > n) {
        problems.add(node + " fills " + count + " replica slots, expected " + r + "*" + placed + "/" + n + " ± 1");
      }
    });
    return problems;
  }

  /**
   * When {@code left} leaves, each partition it was active for is now active on its previous first
   * live replica that was in sync, or unavailable if it had none.
   */
  static List<String> failover(PartitionTable before, PartitionTable after, NodeName left, Set<NodeName> live) {
    var problems = new ArrayList<String>();
    for (PartitionEntry old : before.partitions()) {
      if (!old.active().equals(Optional.of(left))) {
        continue;
      }
      Optional<NodeName> successor = old.placement().get().replicas().stream()
          .filter(node -> live.contains(node) && old.isInSync(node)).findFirst();
      Optional<NodeName> now = after.entry(old.id()).flatMap(PartitionEntry::active);
      if (!now.equals(successor)) {
        problems.add(old + " is now active on " + now.orElse(null) + " instead of its first live in-sync replica "
            + successor.orElse(null));
      }
    }
    return problems;
  }

  /**
   * (partition, node) pairs that a node still live held before and no longer holds, beyond those
   * forced by a partition having fewer copies now ({@code copies} = R' + 1) than live nodes held it.
   */
  static int droppedByLiveNodes(PartitionTable before, PartitionTable after, Set<NodeName> live, int copies) {
    int dropped = 0;
    for (PartitionEntry old : before.partitions()) {
      Optional<PartitionEntry> now = after.entry(old.id());
      int liveHolders = 0;
      int lost = 0;
      for (NodeName node : old.placement().map(Placement::nodes).orElse(List.of())) {
        if (live.contains(node)) {
          liveHolders++;
          if (!now.map(entry -> entry.heldBy(node)).orElse(false)) {
            lost++;
          }
        }
      }
      dropped += lost - Math.max(0, liveHolders - copies);
    }
    return dropped;
  }

  /**
   * Epochs: one more exactly where the active or the in-sync set changed (counting becoming
   * unavailable or available), unchanged elsewhere, the first for new partitions.
   */
  static List<String> epochs(PartitionTable before, PartitionTable after) {
    var problems = new ArrayList<String>();
    for (PartitionEntry entry : after.partitions()) {
      Optional<PartitionEntry> old = before.entry(entry.id());
      boolean changed = old.isPresent()
          && (!old.get().active().equals(entry.active()) || !old.get().inSync().equals(entry.inSync()));
      long expected = old.isEmpty() ? 1 : old.get().epoch().value() + (changed ? 1 : 0);
      if (entry.epoch().value() != expected) {
        problems.add(entry.id() + " has epoch " + entry.epoch() + ", expected " + expected + " (was " + old.orElse(null)
            + ", now " + entry + ")");
      }
    }
    return problems;
  }

  /**
   * What must hold after every plan, settled or not, of a dynamic group with {@code replicas}
   * configured: the active is in sync and the in-sync nodes are placed (the entry's constructor
   * insists); the plan adds no node to an in-sync set (only catching up does), except at a first
   * placement; it removes one only if the node died or the partition keeps R' + 1 in-sync copies; a
   * partition with a live in-sync copy stays available; a partition that lost its data stays
   * unavailable with the same in-sync set, and none is placed afresh; epochs follow {@link #epochs}.
   */
  static List<String> inSync(PartitionTable before, PartitionTable after, Set<NodeName> live, int replicas) {
    var problems = new ArrayList<String>(epochs(before, after));
    int copies = effectiveReplicas(replicas, live.size()) + 1;
    for (PartitionEntry now : after.partitions()) {
      Optional<PartitionEntry> old = before.entry(now.id());
      if (old.isEmpty() || (!old.get().available() && old.get().inSync().isEmpty())) {
        if (now.available() && !now.inSync().equals(new TreeSet<>(now.placement().get().nodes()))) {
          problems.add(now + " is placed for the first time, yet not every copy is in sync");
        }
        continue;
      }
      PartitionEntry was = old.get();
      var liveInSync = new TreeSet<>(was.inSync());
      liveInSync.retainAll(live);
      if (!was.available()) {
        if (!now.equals(was)) {
          problems.add(was + " had lost its data, yet is now " + now);
        }
      } else if (!now.available()) {
        if (!liveInSync.isEmpty()) {
          problems.add(was + " became unavailable although " + liveInSync + " are live and in sync");
        } else if (!now.inSync().equals(was.inSync())) {
          problems.add(was + " became unavailable without keeping its in-sync set: " + now);
        }
      } else {
        if (!liveInSync.containsAll(now.inSync())) {
          problems.add(was + " is now " + now + ": the plan put a node in sync");
        }
        if (now.inSync().size() < Math.min(liveInSync.size(), copies)) {
          problems.add(was + " is now " + now + ": fewer in-sync copies than the " + Math.min(liveInSync.size(), copies)
              + " it had live");
        }
        if (!live.containsAll(now.placement().get().nodes())) {
          problems.add(now + " is placed on a node that is not live");
        }
      }
    }
    return problems;
  }

  /** The zones a partition's copies span. */
  static int zonesSpanned(CohortSettings settings, Placement placement) {
    Set<String> zones = new TreeSet<>();
    for (NodeName node : placement.nodes()) {
      zones.add(settings.nodes().get(node).zone().orElse("node:" + node));
    }
    return zones.size();
  }

  /** Available partitions of {@code entries} whose copies span fewer zones than they could: min(copies, live zones). */
  static int partitionsShortOfZones(CohortSettings settings, Collection<PartitionEntry> entries, Set<NodeName> live) {
    Set<String> liveZones = new TreeSet<>();
    live.forEach(node -> liveZones.add(settings.nodes().get(node).zone().orElse("node:" + node)));
    int shortOfZones = 0;
    for (PartitionEntry entry : entries) {
      if (entry.placement().isEmpty()) {
        continue;
      }
      Placement placement = entry.placement().get();
      if (zonesSpanned(settings, placement) < Math.min(placement.nodes().size(), liveZones.size())) {
        shortOfZones++;
      }
    }
    return shortOfZones;
  }

  /** Actives, replica slots and first-replica pairs per node, for failure messages. */
  static String describe(PartitionTable table, String group) {
    var actives = new TreeMap<NodeName, Integer>();
    var slots = new TreeMap<NodeName, Integer>();
    var firsts = new TreeMap<String, Integer>();
    for (PartitionEntry entry : table.group(group)) {
      entry.placement().ifPresent(placement -> {
        actives.merge(placement.active(), 1, Integer::sum);
        placement.replicas().forEach(node -> slots.merge(node, 1, Integer::sum));
        if (!placement.replicas().isEmpty()) {
          firsts.merge(placement.active() + ">" + placement.replicas().get(0), 1, Integer::sum);
        }
      });
    }
    return "actives " + actives + ", replica slots " + slots + ", active>first replica " + firsts;
  }

  /**
   * Whether no table that is balanced as {@link #balance} requires can keep the failover of every
   * node within the churn bound, so that some leave must exceed it. A counting argument: with N
   * nodes, P mod N of them are active for one partition more than the others ("big" nodes). When a
   * node leaves, its partitions fail over to their first replicas and the balancer then moves the
   * excess; for that to stay within the bound, each leaving node needs some of its first replicas
   * on the other, "small", nodes, at least {@link #smallFirstReplicasNeeded}. Those can hold at most
   * R'·P/N + 1 replica slots each; if all nodes together need more first replicas there, no
   * balanced table can do it. It happens with few partitions per node, e.g. P = 17 or 28 on N = 10
   * nodes with R' = 1.
   */
  static boolean churnBoundUnreachable(int partitions, int nodes, int replicas) {
    int r = effectiveReplicas(replicas, nodes);
    if (r == 0 || nodes < 3) {
      return false;
    }
    int big = partitions % nodes;
    long demand = 0;
    for (boolean leavingIsBig : new boolean[] {true, false}) {
      int rows = leavingIsBig ? big : nodes - big;
      if (rows == 0) {
        continue;
      }
      int needed = smallFirstReplicasNeeded(partitions, nodes, leavingIsBig);
      if (needed < 0) {
        return true;
      }
      demand += (long) rows * needed;
    }
    long capacity = (long) (nodes - big) * ((r * partitions + nodes) / nodes);
    return demand > capacity;
  }

  /**
   * The fewest first replicas a leaving node (big or small) must have on small nodes for its
   * failover to stay within the churn bound, or -1 if it cannot whatever they are. Spreading a
   * number of failovers evenly over nodes of equal counts is what adds least to the excess, so it
   * is enough to try each split between big and small nodes.
   */
  private static int smallFirstReplicasNeeded(int partitions, int nodes, boolean leavingIsBig) {
    int floor = partitions / nodes;
    int big = partitions % nodes;
    int leaving = floor + (leavingIsBig ? 1 : 0);
    int bigOthers = big - (leavingIsBig ? 1 : 0);
    int smallOthers = nodes - big - (leavingIsBig ? 0 : 1);
    int allowed = FairShare.churnBound(partitions, nodes) - leaving;
    for (int onBig = leaving; onBig >= 0; onBig--) {
      int onSmall = leaving - onBig;
      if ((onBig > 0 && bigOthers == 0) || (onSmall > 0 && smallOthers == 0)) {
        continue;
      }
      int[] after = new int[nodes - 1];
      for (int i = 0; i < bigOthers; i++) {
        after[i] = floor + 1 + onBig / bigOthers + (i < onBig % bigOthers ? 1 : 0);
      }
      for (int i = 0; i < smallOthers; i++) {
        after[bigOthers + i] = floor + onSmall / smallOthers + (i < onSmall % smallOthers ? 1 : 0);
      }
      if (FairShare.overflow(after, partitions) <= allowed) {
        return onSmall;
      }
    }
    return -1;
  }
}
