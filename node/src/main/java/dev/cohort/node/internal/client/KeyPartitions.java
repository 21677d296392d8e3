package dev.cohort.node.internal.client;

import dev.cohort.api.CohortException;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.PartitionGroupSettings;
import dev.cohort.api.PartitionId;
import dev.cohort.api.PartitionMapper;
import dev.cohort.mappers.Mappers;
import dev.cohort.node.TableSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which partition a key of a table lives on: the table's partition group, then that group's mapper
 * applied with the group's partition count. The same on every node, since every node runs the same
 * declarations and the mappers are deterministic.
 */
public final class KeyPartitions {
  private final TableSettings tables;
  private final Map<String, PartitionGroupSettings> groups;
  private final Map<String, PartitionMapper> mappers = new HashMap<>();

  /**
   * @param cohort the partition groups
   * @param tables which group each table lives on
   * @param classLoader where custom mapper classes are loaded from; null for the default order
   */
  public KeyPartitions(CohortSettings cohort, TableSettings tables, ClassLoader classLoader) {
    this.tables = tables;
    this.groups = cohort.partitionGroups();
    // Mappers are built once: a custom one may be costly to construct, and all are thread-safe.
    groups.forEach((group, settings) -> mappers.put(group, Mappers.create(settings.mapper(), classLoader)));
  }

  /**
   * The partition of {@code key} in partition group {@code group}.
   *
   * @throws IllegalArgumentException if there is no such group, or its mapper cannot map a string key
   */
  public PartitionId partitionOfKey(String group, String key) {
    Objects.requireNonNull(key, "key");
    PartitionMapper mapper = mappers.get(Objects.requireNonNull(group, "group"));
    if (mapper == null) {
      throw new IllegalArgumentException("no partition group '" + group + "'; declared: " + new TreeSet<>(groups.keySet()));
    }
    return new PartitionId(group, mapper.partitionOf(key, groups.get(group).partitionCount()));
  }

  /**
   * The partition group of {@code table}.
   *
   * @throws CohortException.UnknownTable if the table is not declared
   */
  public String groupOf(String table) {
    String group = tables.partitionGroupOf().get(Objects.requireNonNull(table, "table"));
    if (group == null) {
      throw new CohortException.UnknownTable(table, tables.names());
    }
    return group;
  }

  /**
   * The partition of {@code key} in {@code table}.
   *
   * @throws CohortException.UnknownTable if the table is not declared
   * @throws IllegalArgumentException if the group's mapper cannot map a string key (a round-robin or
   *     hash-by-field group); the message says why
   */
  public PartitionId partitionOf(String table, String key) {
    Objects.requireNonNull(key, "key");
    return partitionOfKey(groupOf(table), key);
  }
}
