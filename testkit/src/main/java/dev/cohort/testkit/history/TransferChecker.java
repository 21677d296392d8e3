package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the bank invariant: transfers move money but never create or destroy it, so every
 * successful {@link Op.ReadAll read-all} sums to the initial total, and no balance is ever negative.
 *
 * <p>The report shows the first offending read and the transfers that were concurrent with it
 * (including those of unknown outcome invoked before it completed), the usual suspects. A history
 * with transfers but no successful read-all is {@link CheckResult.Verdict#UNKNOWN unknown}: nothing
 * was checked.
 */
public final class TransferChecker implements Checker {
  private static final String NAME = "transfer invariant";

  private final long total;

  private TransferChecker(long total) {
    this.total = total;
  }

  /** A checker for a bank whose balances sum to {@code total} before any transfer. */
  public static TransferChecker withTotal(long total) {
    return new TransferChecker(total);
  }

  @Override
  public CheckResult check(List<Operation> history) {
    List<Operation> reads = history.stream().filter(op -> op.isOk() && op.op() instanceof Op.ReadAll).toList();
    List<Operation> transfers = history.stream().filter(op -> op.op() instanceof Op.Transfer).toList();
    if (reads.isEmpty()) {
      String what = transfers.size() + " transfers but no successful read-all: nothing checked";
      return transfers.isEmpty() ? CheckResult.valid(NAME, "no transfers") : CheckResult.unknown(NAME, what);
    }
    var bad = new ArrayList<Operation>();
    String firstProblem = null;
    for (Operation read : reads) {
      String problem = problem((Result.Balances) read.result());
      if (problem != null) {
        if (firstProblem == null) {
          firstProblem = problem;
        }
        bad.add(read);
      }
    }
    String summary = "read-alls: " + reads.size() + ", transfers: " + transfers.size() + ", expected total: " + total;
    if (bad.isEmpty()) {
      return CheckResult.valid(NAME, summary + "; every read conserved it with no negative balance");
    }
    return CheckResult.invalid(NAME, summary + "; read-alls breaking the invariant: " + bad.size() + "\n"
        + explain(bad.get(0), firstProblem, transfers, OperationTable.origin(history)));
  }

  /** What is wrong with one read, or null. */
  private String problem(Result.Balances read) {
    var problems = new ArrayList<String>();
    if (read.total() != total) {
      problems.add("sums to " + read.total() + " instead of " + total);
    }
    Map<String, Long> negative = new TreeMap<>();
    read.balances().forEach((account, balance) -> {
      if (balance < 0) {
        negative.put(account, balance);
      }
    });
    if (!negative.isEmpty()) {
      problems.add("shows negative balances " + negative);
    }
    return problems.isEmpty() ? null : String.join(" and ", problems);
  }

  private static String explain(Operation read, String problem, List<Operation> transfers, long origin) {
    var shown = new ArrayList<Operation>();
    transfers.stream().filter(t -> !t.isFail() && t.concurrentWith(read)).forEach(shown::add);
    int concurrent = shown.size();
    shown.add(read);
    shown.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return "read-all #" + read.index() + " " + problem + "; transfers concurrent with it: " + concurrent + "\n"
        + OperationTable.render(shown, origin, "  ", Set.of(read.index()));
  }
}
