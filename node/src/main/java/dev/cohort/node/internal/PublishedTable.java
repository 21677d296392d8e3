package dev.cohort.node.internal;

import dev.cohort.partitioning.PartitionTable;
import java.util.Objects;

/**
 * The value of the partition table's register: a table, proposed or committed. The coordinator
 * writes each table twice, first proposed, then committed once a majority holds the proposal, and
 * nodes act only on committed tables. So any table a node acts on is held by a majority, and a
 * later coordinator, reading from a majority, builds on it instead of writing a different table
 * with the same version and epochs (a coordinator cut off in a minority never commits anything).
 *
 * @param table the table
 * @param committed whether a majority held the proposal before this was written
 */
public record PublishedTable(PartitionTable table, boolean committed) {
  public PublishedTable {
    Objects.requireNonNull(table, "table");
  }

  /** The register's timestamp: by version, a table's commit after its proposal. */
  long clock() {
    return table.version() * 2 + (committed ? 1 : 0);
  }
}
