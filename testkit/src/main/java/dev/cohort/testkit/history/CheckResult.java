package dev.cohort.testkit.history;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a {@link Checker} concluded about a history, with a report for a person to read.
 *
 * @param checker the name of the check, e.g. "linearizability"
 * @param verdict whether the history passed
 * @param report what was checked and, if it failed, the first violation with the operations
 *     involved, one a line, times in ms from the history's first invocation
 */
public record CheckResult(String checker, Verdict verdict, String report) {
  /** The three possible conclusions. */
  public enum Verdict {
    /** The history satisfies the property. */
    VALID,
    /** The history violates the property; the report shows how. */
    INVALID,
    /** The checker could not decide (search budget exhausted, nothing it could check, ...). */
    UNKNOWN
  }

  /** @throws NullPointerException if an argument is null */
  public CheckResult {
    Objects.requireNonNull(checker, "checker");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(report, "report");
  }

  /** A passed check. */
  public static CheckResult valid(String checker, String report) {
    return new CheckResult(checker, Verdict.VALID, report);
  }

  /** A failed check. */
  public static CheckResult invalid(String checker, String report) {
    return new CheckResult(checker, Verdict.INVALID, report);
  }

  /** An undecided check. */
  public static CheckResult unknown(String checker, String report) {
    return new CheckResult(checker, Verdict.UNKNOWN, report);
  }

  /**
   * Several results as one: invalid if any is invalid, else unknown if any is unknown, else valid;
   * the reports one after the other.
   */
  public static CheckResult combine(List<CheckResult> results) {
    Verdict verdict = Verdict.VALID;
    for (CheckResult result : results) {
      if (result.verdict == Verdict.INVALID || (result.verdict == Verdict.UNKNOWN && verdict == Verdict.VALID)) {
        verdict = result.verdict;
      }
    }
    String checkers = results.stream().map(CheckResult::checker).collect(Collectors.joining(" + "));
    String report = results.stream().map(CheckResult::toString).collect(Collectors.joining("\n"));
    return new CheckResult(checkers, verdict, report);
  }

  /** Whether the history passed. */
  public boolean isValid() {
    return verdict == Verdict.VALID;
  }

  /**
   * Returns this result if valid, for use in tests.
   *
   * @throws AssertionError carrying the report if the verdict is not {@link Verdict#VALID}
   */
  public CheckResult requireValid() {
    if (!isValid()) {
      throw new AssertionError(this);
    }
    return this;
  }

  /** The checker, the verdict and the report. */
  @Override
  public String toString() {
    return checker + ": " + verdict + "\n" + report;
  }
}
