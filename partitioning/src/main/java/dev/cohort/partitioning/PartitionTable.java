package dev.cohort.partitioning;

import dev.cohort.api.PartitionId;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The placement of every partition of every partition group, as decided by the coordinator with
 * {@link PlacementPlanner} and shared through Distributed Data. A newer table has a higher
 * {@code version}; each entry carries its own epoch.
 *
 * <p>A plain value made of records, lists and {@code Optional}s, so that it serializes as it is.
 *
 * @param version the table's version: 0 for {@link #EMPTY}, one more at every change
 * @param partitions the entries, sorted by partition id (group name, then index), one per id
 */
public record PartitionTable(long version, List<PartitionEntry> partitions) {
  /** The table before any plan: version 0, no partitions. */
  public static final PartitionTable EMPTY = new PartitionTable(0, List.of());

  /** @throws IllegalArgumentException on a negative version or entries not strictly sorted by id */
  public PartitionTable {
    if (version < 0) {
      throw new IllegalArgumentException("table version must be >= 0, got " + version);
    }
    partitions = List.copyOf(partitions);
    for (int i = 1; i < partitions.size(); i++) {
      if (partitions.get(i - 1).id().compareTo(partitions.get(i).id()) >= 0) {
        throw new IllegalArgumentException("partition table entries must be sorted by id without duplicates: "
            + partitions.get(i - 1).id() + " then " + partitions.get(i).id());
      }
    }
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
