package dev.cohort.node.http;

import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON form of a partition table, shared by {@code GET /partitions}, {@code cohort plan --json}
 * and {@code cohort plan --previous}: {@code {"version":..,"partitions":[{"group":..,"index":..,
 * "active":..,"replicas":[..],"epoch":..}],"moves":..,"activeChanges":..}}. An unavailable
 * partition has a null active and no replicas. {@code moves} and {@code activeChanges} are only
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
   * @param epoch the partition's epoch
   */
  public record PartitionJson(String group, int index, String active, List<String> replicas, long epoch) {}

  /** The JSON form of {@code table}, without plan figures. */
  public static TableJson of(PartitionTable table) {
    return of(table, null, null);
  }

  /** The JSON form of {@code table} with the figures of the plan that made it. */
  public static TableJson of(PartitionTable table, Integer moves, Integer activeChanges) {
    var partitions = new ArrayList<PartitionJson>();
    for (PartitionEntry entry : table.partitions()) {
      String active = entry.placement().map(p -> p.active().value()).orElse(null);
      List<String> replicas =
          entry.placement().map(p -> p.replicas().stream().map(NodeName::value).toList()).orElse(List.of());
      partitions.add(new PartitionJson(entry.id().group(), entry.id().index(), active, replicas, entry.epoch().value()));
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
      entries.add(new PartitionEntry(new PartitionId(p.group(), p.index()), placement, new Epoch(p.epoch())));
    }
    return new PartitionTable(version, entries);
  }
}
