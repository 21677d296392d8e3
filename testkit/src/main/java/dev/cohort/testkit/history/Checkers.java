package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.List;

/** Ready combinations of checkers: each runs on the same history and the results are combined. */
public final class Checkers {
  private Checkers() {}

  /**
   * A checker that runs every one of {@code checkers} and combines their results with {@link
   * CheckResult#combine}.
   */
  public static Checker all(Checker... checkers) {
    List<Checker> list = List.of(checkers);
    return history -> {
      var results = new ArrayList<CheckResult>(list.size());
      for (Checker checker : list) {
        results.add(checker.check(history));
      }
      return CheckResult.combine(results);
    };
  }

  /** For a register workload: {@link LostWritesChecker} and {@link LinearizabilityChecker}. */
  public static Checker register() {
    return all(LostWritesChecker.create(), LinearizabilityChecker.create());
  }

  /** For a bank workload whose balances start summing to {@code total}: {@link TransferChecker}. */
  public static Checker bank(long total) {
    return TransferChecker.withTotal(total);
  }
}
