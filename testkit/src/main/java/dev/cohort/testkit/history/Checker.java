package dev.cohort.testkit.history;

import java.util.List;

/** A property of a whole history, checked after the run. */
@FunctionalInterface
public interface Checker {
  /**
   * Checks {@code history}, operations in invocation order as {@link History#snapshot()} gives them.
   * Operations a checker does not know (e.g. transfers for a register check) are ignored.
   */
  CheckResult check(List<Operation> history);
}
