package dev.cohort.partitioning;

import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The placement of every partition of every partition group, and which of its copies are in sync,
 * as decided by the coordinator with {@link PlacementPlanner} and {@link InSyncChanges} and shared
 * through Distributed Data. A newer table has a higher {@code version}; each entry carries its own
 * epoch.
 *
 * <p>A plain value made of records, lists, sorted sets and {@code Optional}s, so that it
 * serializes as it is.
 *
 * @param version the table's version: 0 for {@link #EMPTY}, grows at every change and is never
 *     reused
 * @param partitions the entries, sorted by partition id (group name, then index), one per id
 * @param incarnations for each node the table places data on, the incarnation (the cluster
 *     member's unique id) it had when the coordinator wrote the table. A node running as another
 *     incarnation has not got the data the table credits it with (it restarted): it must not act on
 *     the table, and the coordinator treats it as lost and returned
 */
public record PartitionTable(long version, List<PartitionEntry> partitions, SortedMap<NodeName, Long> incarnations) {
  /** The table before any plan: version 0, no partitions. */
  public static final PartitionTable EMPTY = new PartitionTable(0, List.of());

  /** A table that records no incarnations, as plans made outside a cluster ({@code cohort plan}). */
  public PartitionTable(long version, List<PartitionEntry> partitions) {
    this(version, partitions, new TreeMap<>());
  }

  /** @throws IllegalArgumentException on a negative version or entries not strictly sorted by id */
  public PartitionTable {
    if (version < 0) {
      throw new IllegalArgumentException("table version must be >= 0, got " + version);
    }
    partitions = List.copyOf(partitions);
    incarnations = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(incarnations, "incarnations")));
    for (int i = 1; i < partitions.size(); i++) {
      if (partitions.get(i - 1).id().compareTo(partitions.get(i).id()) >= 0) {
        throw new IllegalArgumentException("partition table entries must be sorted by id without duplicates: "
            + partitions.get(i - 1).id() + " then " + partitions.get(i).id());
      }
    }
  }

  /** This table with other entries and the next version; the incarnations stay. */
  PartitionTable next(List<PartitionEntry> entries) {
    return new PartitionTable(version + 1, entries, incarnations);
  }

  /**
   * This table recording {@code current} incarnations: itself if they are the ones recorded, else
   * the next version.
   */
  public PartitionTable withIncarnations(SortedMap<NodeName, Long> current) {
    return incarnations.equals(current) ? this : new PartitionTable(version + 1, partitions, current);
  }

  /** Whether the table was written knowing {@code node} as incarnation {@code uid}. */
  public boolean writtenFor(NodeName node, long uid) {
    Long recorded = incarnations.get(node);
    return recorded != null && recorded == uid;
  }

  /** The entry of partition {@code id}, if the table has one. */
  public Optional<PartitionEntry> entry(PartitionId id) {
    Objects.requireNonNull(id, "id");
    int at = Collections.binarySearch(partitions, null, (entry, ignored) -> entry.id().compareTo(id));
    return at >= 0 ? Optional.of(partitions.get(at)) : Optional.empty();
  }

  /** The entries of partition group {@code group}, by index; empty if the table has none. */
  public List<PartitionEntry> group(String group) {
    Objects.requireNonNull(group, "group");
    int from = firstIndexOf(group);
    int to = from;
    while (to < partitions.size() && partitions.get(to).id().group().equals(group)) {
      to++;
    }
    return partitions.subList(from, to);
  }

  /**
   * Whether every copy in the table is in sync: no replica of an available partition is still
   * catching up. Planning again from such a table with the same live nodes changes nothing once it
   * is a plan's fixed point; until then, catching up is part of settling.
   */
  public boolean caughtUp() {
    return partitions.stream().allMatch(entry -> entry.outOfSyncReplicas().isEmpty());
  }

  /** The names of the partition groups in the table, in name order. */
  public SortedSet<String> groupNames() {
    var names = new TreeSet<String>();
    partitions.forEach(entry -> names.add(entry.id().group()));
    return Collections.unmodifiableSortedSet(names);
  }

  /** Entries are sorted by group first, so a group's entries start where its name first sorts. */
  private int firstIndexOf(String group) {
    int low = 0;
    int high = partitions.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (partitions.get(mid).id().group().compareTo(group) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
