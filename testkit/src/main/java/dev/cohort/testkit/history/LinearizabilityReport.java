package dev.cohort.testkit.history;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns the per-key results of the linearizability search into a {@link CheckResult}. */
final class LinearizabilityReport {
  /** Violations explained in full; further ones are only named. */
  private static final int MAX_EXPLAINED = 3;

  private LinearizabilityReport() {}

  static CheckResult of(String name, List<KeyLinearizability.KeyResult> results, long origin) {
    List<KeyLinearizability.Violation> violations = results.stream()
        .filter(r -> r instanceof KeyLinearizability.Violation)
        .map(r -> (KeyLinearizability.Violation) r)
        .toList();
    List<KeyLinearizability.Exhausted> exhausted = results.stream()
        .filter(r -> r instanceof KeyLinearizability.Exhausted)
        .map(r -> (KeyLinearizability.Exhausted) r)
        .toList();
    long visited = results.stream().mapToLong(KeyLinearizability.KeyResult::visited).sum();
    var report = new StringBuilder();
    report.append(results.size()).append(" keys, ").append(visited).append(" configurations visited");
    if (!violations.isEmpty()) {
      report.append("; ").append(violations.size()).append(" not linearizable: ")
          .append(violations.stream().map(v -> Text.quote(v.key())).collect(Collectors.joining(", ")));
    }
    for (KeyLinearizability.Exhausted e : exhausted) {
      report.append("\nkey ").append(Text.quote(e.key())).append(": unknown: search budget exhausted after ")
          .append(e.visited()).append(" configurations (").append(e.keySize())
          .append(" operations); raise it with LinearizabilityChecker.withBudget");
    }
    violations.stream().limit(MAX_EXPLAINED).forEach(v -> report.append('\n').append(explain(v, origin)));
    if (!violations.isEmpty()) {
      return CheckResult.invalid(name, report.toString());
    }
    if (!exhausted.isEmpty()) {
      return CheckResult.unknown(name, report.toString());
    }
    return CheckResult.valid(name, report.toString() + "; every key linearizable");
  }

  private static String explain(KeyLinearizability.Violation v, long origin) {
    var out = new StringBuilder();
    out.append("key ").append(Text.quote(v.key())).append(": not linearizable\n");
    out.append("  ").append(v.culprit()).append(" cannot take effect before it completed at ")
        .append(Text.millis(v.culprit().completedAt(), origin)).append(" ms;\n");
    out.append("  in the orders tried, the key held just before: ")
        .append(v.states().stream().map(RegisterState::toString).collect(Collectors.joining(" or "))).append('\n');
    if (v.prefixEnd() != null) {
      out.append("  the shortest non-linearizable prefix of this key's history ends with the completion of #")
          .append(v.prefixEnd().index()).append(" (").append(v.prefixSize()).append(" of ").append(v.keySize())
          .append(" operations); around it:\n");
    } else {
      out.append("  (the shortest non-linearizable prefix was not determined within the budget); around it:\n");
    }
    out.append(OperationTable.render(v.window(), origin, "  ", Set.of(v.culprit().index())));
    return out.toString();
  }
}
