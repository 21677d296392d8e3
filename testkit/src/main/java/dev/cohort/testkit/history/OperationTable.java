package dev.cohort.testkit.history;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Prints operations one a line, with times in ms relative to an origin, for reports. */
final class OperationTable {
  private static final String FORMAT = "%-6s %10s %10s  %-5s %-30s %-24s @%s";
  /** Longer windows are cut in the middle: a report is read by a person. */
  private static final int MAX_ROWS = 40;

  private OperationTable() {}

  /** The earliest invocation, the origin of relative times in reports. */
  static long origin(Collection<Operation> history) {
    return history.stream().mapToLong(Operation::invokedAt).min().orElse(0);
  }

  /** One operation as a table row. */
  static String line(Operation op, long origin) {
    String completed = op.completedAt() == Operation.NEVER ? "never" : Text.millis(op.completedAt(), origin);
    return String.format(
        Locale.ROOT,
        FORMAT,
        "#" + op.index(),
        Text.millis(op.invokedAt(), origin),
        completed,
        "p" + op.process(),
        op.op().describe(),
        op.outcome().describe(),
        op.node());
  }

  /**
   * A table of {@code ops}, each row indented by {@code indent}; rows of {@code marked} operations
   * start with {@code >} so the reader finds the culprit.
   */
  static String render(List<Operation> ops, long origin, String indent, Set<Integer> marked) {
    var out = new StringBuilder();
    out.append(indent).append("  ")
        .append(String.format(Locale.ROOT, FORMAT, "op", "invoked ms", "done ms", "proc", "operation", "outcome", "node"))
        .append('\n');
    int hidden = 0;
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      boolean middle = ops.size() > MAX_ROWS && i >= MAX_ROWS / 2 && i < ops.size() - MAX_ROWS / 2;
      if (middle && !marked.contains(op.index())) {
        hidden++;
        continue;
      }
      if (hidden > 0) {
        out.append(indent).append("  ... ").append(hidden).append(" more ...\n");
        hidden = 0;
      }
      out.append(indent).append(marked.contains(op.index()) ? "> " : "  ").append(line(op, origin)).append('\n');
    }
    return out.toString();
  }
}
