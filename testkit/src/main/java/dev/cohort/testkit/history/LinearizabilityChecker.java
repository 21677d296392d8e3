package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that every key behaves as a single linearizable versioned register (see {@link Op} for the
 * model): some total order of the operations, consistent with real time, explains every result.
 *
 * <p>Keys are independent registers, so each key's operations are searched alone. The search is
 * Wing and Gong's with memoized configurations, as in Lowe's and Porcupine's checkers. An operation
 * with an unknown outcome may take effect at any time after its invocation, or never; a failed one
 * never does. Reads of unknown outcome are ignored, and so are operations of other workloads.
 *
 * <p>Valid histories are cheap: thousands of operations on one key with a handful of concurrent
 * clients take milliseconds. Proving a history invalid means trying every order before the
 * violation, which grows with the number of clients concurrent on one key and with unknown
 * outcomes; so the search is bounded, and a key whose search visits more configurations than the
 * budget is reported {@link CheckResult.Verdict#UNKNOWN unknown} rather than hanging the test (the
 * default budget is a few seconds and a few hundred MB at most).
 *
 * <p>A violation is reported with the shortest prefix of the key's history that is already not
 * linearizable, cut down to the operations around the one that could not take effect in time.
 */
public final class LinearizabilityChecker implements Checker {
  /** Configurations one key's search may visit unless told otherwise. */
  public static final long DEFAULT_BUDGET = 1_000_000;

  private static final String NAME = "linearizability";

  private final long budget;

  private LinearizabilityChecker(long budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("the search budget must be at least 1, not " + budget);
    }
    this.budget = budget;
  }

  /** A checker with the {@link #DEFAULT_BUDGET}. */
  public static LinearizabilityChecker create() {
    return new LinearizabilityChecker(DEFAULT_BUDGET);
  }

  /**
   * A checker whose search of one key gives up after visiting {@code configurationsPerKey}
   * configurations (each a set of operations taken to have happened, and the resulting state).
   *
   * @throws IllegalArgumentException if the budget is not positive
   */
  public static LinearizabilityChecker withBudget(long configurationsPerKey) {
    return new LinearizabilityChecker(configurationsPerKey);
  }

  /** The most configurations one key's search may visit. */
  public long budget() {
    return budget;
  }

  @Override
  public CheckResult check(List<Operation> history) {
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : history) {
      if (op.op() instanceof Op.RegisterOp registerOp) {
        byKey.computeIfAbsent(registerOp.key(), k -> new ArrayList<>()).add(op);
      }
    }
    var results = new ArrayList<KeyLinearizability.KeyResult>();
    byKey.forEach((key, ops) -> results.add(KeyLinearizability.check(key, ops, budget)));
    return LinearizabilityReport.of(NAME, results, OperationTable.origin(history));
  }
}
