package dev.cohort.node.kv;

import dev.cohort.api.CohortException;
import java.util.Set;

/** Why the state machine refused a command without writing anything. */
public sealed interface Rejection {

  /** The table is not declared. */
  record UnknownTable(String table) implements Rejection {
    /** The error for callers, naming the declared tables. */
    public CohortException.UnknownTable toException(Set<String> declared) {
      return new CohortException.UnknownTable(table, declared);
    }
  }

  /** The value is larger than allowed. */
  record TooLarge(long size, long max) implements Rejection {
    /** The error for callers. */
    public CohortException.TooLarge toException() {
      return new CohortException.TooLarge(size, max);
    }
  }

  /**
   * The request id is older than every id the state machine still remembers for its client, so it
   * cannot tell whether the request was applied. It is refused rather than risk applying it twice.
   * Never remembered itself.
   *
   * @param requestId the request's id
   * @param oldestRemembered the lowest sequence remembered for that client
   */
  record RequestExpired(RequestId requestId, long oldestRemembered) implements Rejection {}
}
