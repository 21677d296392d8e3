package dev.cohort.node.internal.cli;

import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints partition tables and per-node counts for a person to read. */
final class TablePrinter {
  private TablePrinter() {}

  /** One row per partition: id, active, replicas in order, epoch. */
  static void printPartitions(TableJson table, PrintStream out) {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("PARTITION", "ACTIVE", "REPLICAS", "EPOCH"));
    for (PartitionJson p : table.partitions()) {
      rows.add(List.of(
          p.group() + "#" + p.index(),
          p.active() == null ? "(unavailable)" : p.active(),
          String.join(", ", p.replicas()),
          Long.toString(p.epoch())));
    }
    printRows(rows, out);
  }

  /** One row per node: how many partitions it is active for and how many replica slots it holds. */
  static void printNodeCounts(TableJson table, PrintStream out) {
    var actives = new TreeMap<String, Integer>();
    var replicas = new TreeMap<String, Integer>();
    for (PartitionJson p : table.partitions()) {
      if (p.active() != null) {
        actives.merge(p.active(), 1, Integer::sum);
        replicas.putIfAbsent(p.active(), 0);
      }
      p.replicas().forEach(r -> {
        replicas.merge(r, 1, Integer::sum);
        actives.putIfAbsent(r, 0);
      });
    }
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("NODE", "ACTIVES", "REPLICAS"));
    for (Map.Entry<String, Integer> entry : actives.entrySet()) {
      rows.add(List.of(entry.getKey(), entry.getValue().toString(), replicas.get(entry.getKey()).toString()));
    }
    printRows(rows, out);
  }

  /** Rows as left-aligned columns, two spaces apart. */
  static void printRows(List<List<String>> rows, PrintStream out) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    for (List<String> row : rows) {
      var line = new StringBuilder("  ");
      for (int c = 0; c < columns; c++) {
        line.append(c + 1 < columns ? String.format("%-" + (widths[c] + 2) + "s", row.get(c)) : row.get(c));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
