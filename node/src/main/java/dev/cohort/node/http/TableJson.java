package dev.cohort.node.http;

import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The JSON form of a partition table, shared by {@code GET /partitions}, {@code cohort plan --json}
 * and {@code cohort plan --previous}: {@code {"version":..,"partitions":[{"group":..,"index":..,
 * "active":..,"replicas":[..],"inSync":[..],"target":[..],"epoch":..}],"moves":..,"activeChanges":..}}.
 * An unavailable partition has a null active, no replicas, and in {@code inSync} the nodes that held
 * its data last. {@code moves} and {@code activeChanges} are only
 * filled by the planner.
 *
 * @param version the table version
 * @param partitions every partition in (group, index) order
 * @param moves data moves (a node newly holding a partition) from the previous table, or null
 * @param activeChanges partitions whose active changed from the previous table, or null
 */
public record TableJson(long version, List<PartitionJson> partitions, Integer moves, Integer activeChanges) {

  /**
   * One partition.
   *
   * @param group the partition group
   * @param index the index in the group
   * @param active the active node, null if no live node can host it
   * @param replicas the replicas in failover order
   * @param inSync the nodes holding every committed entry (the others are catching up)
   * @param target where the partition is moving, active first, or null if it is where it should be
   * @param epoch the partition's epoch
   * @param committedSeq the last committed seq, as the answering node's copy knows it; null if it
   *     holds no copy (or in a plan)
   * @param replicaSeqs when the answering node is the active: each replica's acknowledged seq, so a
   *     catching-up replica shows how far it has come towards {@code committedSeq}; else null
   * @param replicaSnapshots when the answering node is the active: the replicas it is sending a
   *     snapshot to (their entries are gone from its log), and how far; else null
   * @param received what the answering node's copy has received from actives since it started: how
   *     a restarted node shows that it caught up only the tail it missed; null if it holds no copy
   */
  public record PartitionJson(
      String group, int index, String active, List<String> replicas, List<String> inSync, List<String> target,
      long epoch, Long committedSeq, SortedMap<String, Long> replicaSeqs,
      SortedMap<String, SnapshotJson> replicaSnapshots, ReceivedJson received) {
    public PartitionJson {
      inSync = inSync == null ? List.of() : List.copyOf(inSync);
    }
  }

  /**
   * A snapshot (a copy of the active's state) on its way to a replica.
   *
   * @param seq the last entry the snapshot covers; the replica gets the log after it next
   * @param chunk the chunk being sent now, from 0
   * @param pairs the state's pairs sent so far, up to this chunk
   */
  public record SnapshotJson(long seq, int chunk, long pairs) {}

  /**
   * What a copy has received from actives since the node started.
   *
   * @param restoredSeq the last seq of the log the copy found in the node's storage when it started: 0
   *     for a new copy, more for one kept on disk from before a restart
   * @param entries log entries that came in appends, live ones and repeats included: what crossed the network
   * @param snapshotBytes bytes of snapshots installed
   */
  public record ReceivedJson(long restoredSeq, long entries, long snapshotBytes) {}

  /**
   * How far the answering node's copy of a partition is.
   *
   * @param committedSeq the commit position it knows
   * @param replicaSeqs on the active, its replicas' acknowledged seqs; else null
   * @param replicaSnapshots on the active, the snapshots it is sending; else null
   * @param received what it has received from actives since the node started
   */
  public record CopyJson(long committedSeq, SortedMap<String, Long> replicaSeqs,
      SortedMap<String, SnapshotJson> replicaSnapshots, ReceivedJson received) {}

  /**
   * The JSON form of {@code table} as a node sees it.
   *
   * @param copies the node's copies, by partition
   */
  public static TableJson of(PartitionTable table, Map<PartitionId, CopyJson> copies) {
    return of(table, copies, null, null);
  }

  /** The JSON form of a planned {@code table} with the figures of the plan that made it. */
  public static TableJson planned(PartitionTable table, Integer moves, Integer activeChanges) {
    return of(table, Map.of(), moves, activeChanges);
  }

  private static TableJson of(PartitionTable table, Map<PartitionId, CopyJson> copies, Integer moves,
      Integer activeChanges) {
    var partitions = new ArrayList<PartitionJson>();
    for (PartitionEntry entry : table.partitions()) {
      String active = entry.placement().map(p -> p.active().value()).orElse(null);
      List<String> replicas =
          entry.placement().map(p -> p.replicas().stream().map(NodeName::value).toList()).orElse(List.of());
      List<String> inSync = entry.inSync().stream().map(NodeName::value).toList();
      List<String> target = entry.target().map(TableJson::names).orElse(null);
      CopyJson copy = copies.get(entry.id());
      partitions.add(copy == null
          ? new PartitionJson(entry.id().group(), entry.id().index(), active, replicas, inSync, target,
              entry.epoch().value(), null, null, null, null)
          : new PartitionJson(entry.id().group(), entry.id().index(), active, replicas, inSync, target,
              entry.epoch().value(), copy.committedSeq(), copy.replicaSeqs(), copy.replicaSnapshots(),
              copy.received()));
    }
    return new TableJson(table.version(), partitions, moves, activeChanges);
  }

  /** The table this JSON describes. */
  public PartitionTable toTable() {
    var entries = new ArrayList<PartitionEntry>();
    for (PartitionJson p : partitions) {
      Optional<Placement> placement = p.active() == null
          ? Optional.empty()
          : Optional.of(new Placement(NodeName.of(p.active()), p.replicas().stream().map(NodeName::of).toList()));
      Optional<Placement> target = Optional.ofNullable(p.target()).filter(nodes -> !nodes.isEmpty()).map(TableJson::placement);
      var inSync = new TreeSet<NodeName>();
      p.inSync().forEach(node -> inSync.add(NodeName.of(node)));
      entries.add(new PartitionEntry(new PartitionId(p.group(), p.index()), placement, inSync, target, new Epoch(p.epoch())));
    }
    return new PartitionTable(version, entries);
  }

  private static List<String> names(Placement placement) {
    return placement.nodes().stream().map(NodeName::value).toList();
  }

  private static Placement placement(List<String> nodes) {
    return Placement.of(nodes.stream().map(NodeName::of).toList());
  }
}
