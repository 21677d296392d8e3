package dev.cohort.partitioning;

import dev.cohort.api.NodeName;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The working copy of one dynamic group's placement while it is balanced: each partition's nodes
 * (active first, then replicas) as indexes into the group's live hosting nodes, with the counts the
 * balancers steer by kept up to date on every change. Node indexes are the tie-break order. Each
 * partition starts where the previous table was taking it ({@link Start}).
 *
 * <p>It also knows the figures the balancers share: the replica-slot band each node should be in,
 * and what the failover of a node would cost in active changes.
 */
final class GroupLayout {
  private static final int[] NONE = new int[0];

  private final List<NodeName> nodes;
  private final int[] zoneOf;
  private final int zoneCount;
  private final int replicas;
  private final int[][] copies;
  private final boolean[][] heldBefore;
  private final boolean[][] inSync;
  private final boolean[] pinned;
  private final int[] actives;
  private final int[] replicaSlots;
  private final int[][] firstReplicas;
  private final int[][] replicaPairs;
  private final int[] zoneShortfalls;
  private final int bandLow;
  private final int bandHigh;
  /** Scratch for {@link #failoverChanges}, which runs for many candidate steps. */
  private final int[] afterFailover;

  /**
   * @param nodes the live hosting nodes in tie-break order
   * @param zones each node's zone; nodes without one are each a zone of their own
   * @param replicas replicas per partition besides the active, already capped at {@code nodes - 1}
   * @param starts where each partition starts, or null for a partition placed for the first time
   */
  GroupLayout(List<NodeName> nodes, List<Optional<String>> zones, int replicas, List<Start> starts) {
    this.nodes = List.copyOf(nodes);
    int n = nodes.size();
    this.zoneOf = new int[n];
    this.zoneCount = numberZones(zones, zoneOf);
    this.replicas = replicas;
    int partitions = starts.size();
    this.copies = new int[partitions][];
    this.heldBefore = new boolean[partitions][n];
    this.inSync = new boolean[partitions][n];
    this.pinned = new boolean[partitions];
    this.actives = new int[n];
    this.replicaSlots = new int[n];
    this.firstReplicas = new int[n][n];
    this.replicaPairs = new int[n][n];
    this.afterFailover = new int[Math.max(0, n - 1)];
    this.zoneShortfalls = new int[partitions];
    // R'·P/N' ± 1 in integers: the lowest rounded up, the highest rounded down.
    int slots = replicas * partitions;
    this.bandLow = slots <= n ? 0 : (slots - 1) / n;
    this.bandHigh = n == 0 ? 0 : (slots + n) / n;
    Map<NodeName, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(nodes.get(i), i);
    }
    for (int p = 0; p < partitions; p++) {
      copies[p] = NONE;
      Start start = starts.get(p);
      if (start != null) {
        for (NodeName node : start.held()) {
          heldBefore[p][index.get(node)] = true;
        }
        for (NodeName node : start.inSync()) {
          inSync[p][index.get(node)] = true;
        }
        pinned[p] = start.failedOver();
        set(p, start.layout().stream().mapToInt(index::get).toArray());
      }
    }
  }

  private static int numberZones(List<Optional<String>> zones, int[] zoneOf) {
    Map<String, Integer> ids = new HashMap<>();
    int next = 0;
    for (int i = 0; i < zoneOf.length; i++) {
      Optional<String> zone = zones.get(i);
      if (zone.isPresent()) {
        Integer id = ids.get(zone.get());
        if (id == null) {
          id = next++;
          ids.put(zone.get(), id);
        }
        zoneOf[i] = id;
      } else {
        zoneOf[i] = next++;
      }
    }
    return next;
  }

  int zoneCount() {
    return zoneCount;
  }

  /** The zone of {@code node}, from 0 to {@link #zoneCount()} - 1. */
  int zoneOf(int node) {
    return zoneOf[node];
  }

  int nodeCount() {
    return nodes.size();
  }

  int partitionCount() {
    return copies.length;
  }

  /** R': replicas per partition besides the active. */
  int replicas() {
    return replicas;
  }

  /** Partition {@code p}'s nodes, active first; empty while it has none. Do not modify. */
  int[] copies(int p) {
    return copies[p];
  }

  /** The active of {@code p}, or -1. */
  int active(int p) {
    return copies[p].length == 0 ? -1 : copies[p][0];
  }

  int replicaCount(int p) {
    return Math.max(0, copies[p].length - 1);
  }

  boolean holds(int p, int node) {
    for (int held : copies[p]) {
      if (held == node) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code node} holds every committed entry of {@code p}, rather than catching up or nothing. */
  boolean inSync(int p, int node) {
    return inSync[p][node];
  }

  /** Whether {@code node} held {@code p} before this plan, in sync or catching up. */
  boolean heldBefore(int p, int node) {
    return heldBefore[p][node];
  }

  /** Whether {@code p}'s active failed over in this plan and so must stay where it is. */
  boolean pinned(int p) {
    return pinned[p];
  }

  int actives(int node) {
    return actives[node];
  }

  int[] activeCounts() {
    return actives.clone();
  }

  int replicaSlots(int node) {
    return replicaSlots[node];
  }

  /** Partitions whose active is {@code active} and whose first replica is {@code first}. */
  int firstReplicas(int active, int first) {
    return firstReplicas[active][first];
  }

  /** Partitions whose active is {@code active} and that have {@code replica} among their replicas. */
  int replicaPairs(int active, int replica) {
    return replicaPairs[active][replica];
  }

  /** Replaces {@code p}'s nodes (active first) and updates every count. */
  void set(int p, int[] activeThenReplicas) {
    account(copies[p], -1);
    copies[p] = activeThenReplicas;
    account(activeThenReplicas, +1);
    zoneShortfalls[p] = zoneShortfall(activeThenReplicas);
  }

  private void account(int[] list, int sign) {
    if (list.length == 0) {
      return;
    }
    int active = list[0];
    actives[active] += sign;
    for (int i = 1; i < list.length; i++) {
      replicaSlots[list[i]] += sign;
      replicaPairs[active][list[i]] += sign;
    }
    if (list.length > 1) {
      firstReplicas[active][list[1]] += sign;
    }
  }

  /** How far {@code slots} replica slots are outside the band R'·P/N' ± 1 (the balance allows ±1). */
  int bandViolation(int slots) {
    return Math.max(0, bandLow - slots) + Math.max(0, slots - bandHigh);
  }

  /**
   * How many zones partition nodes {@code list} miss: the zones it could span (one per copy, at
   * most the zones present) minus the zones it spans.
   */
  int zoneShortfall(int[] list) {
    if (list.length == 0) {
      return 0;
    }
    int distinct = 0;
    for (int i = 0; i < list.length; i++) {
      boolean seen = false;
      for (int j = 0; j < i && !seen; j++) {
        seen = zoneOf[list[j]] == zoneOf[list[i]];
      }
      if (!seen) {
        distinct++;
      }
    }
    return Math.min(replicas + 1, zoneCount) - distinct;
  }

  /** Whether none of partition {@code p}'s nodes is in {@code node}'s zone. */
  boolean zoneIsNew(int p, int node) {
    for (int held : copies[p]) {
      if (zoneOf[held] == zoneOf[node]) {
        return false;
      }
    }
    return true;
  }

  /** {@link #zoneShortfall(int[])} of partition {@code p}'s nodes. */
  int zoneShortfall(int p) {
    return zoneShortfalls[p];
  }

  /**
   * How {@link #zoneShortfall} of partition {@code p} changes if the node in {@code slot} is
   * replaced by {@code node}.
   */
  int zoneShortfallChange(int p, int slot, int node) {
    if (zoneCount == nodeCount()) {
      return 0; // every node is a zone of its own: copies always span distinct zones
    }
    int[] list = copies[p];
    int leaving = zoneOf[list[slot]];
    int coming = zoneOf[node];
    if (leaving == coming) {
      return 0;
    }
    boolean leavingElsewhere = false;
    boolean comingElsewhere = false;
    for (int i = 0; i < list.length; i++) {
      if (i != slot) {
        leavingElsewhere |= zoneOf[list[i]] == leaving;
        comingElsewhere |= zoneOf[list[i]] == coming;
      }
    }
    // Fewer distinct zones is a larger shortfall.
    return (leavingElsewhere ? 0 : 1) - (comingElsewhere ? 0 : 1);
  }

  /**
   * How many actives would change if node {@code a} left, with one of a's partitions having its
   * first replica moved from {@code from} to {@code to} (-1 for none): each of a's partitions fails
   * over to its first replica, then the balancer moves the excess actives away.
   */
  int failoverChanges(int a, int from, int to) {
    int n = nodeCount();
    if (replicas == 0 || n <= 1) {
      return 0;
    }
    for (int b = 0, i = 0; b < n; b++) {
      if (b != a) {
        afterFailover[i++] = actives[b] + firstReplicas[a][b] + (b == to ? 1 : 0) - (b == from ? 1 : 0);
      }
    }
    return actives[a] + FairShare.overflow(afterFailover, partitionCount());
  }

  /** Each partition's nodes, active first. */
  List<List<NodeName>> placements() {
    return Arrays.stream(copies).map(list -> Arrays.stream(list).mapToObj(nodes::get).toList()).toList();
  }
}
