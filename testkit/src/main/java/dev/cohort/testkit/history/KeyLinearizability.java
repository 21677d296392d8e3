package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Checks one key's register history and, when it is not linearizable, finds the shortest prefix
 * that is already not linearizable and the operations around the point where the search failed.
 */
final class KeyLinearizability {
  /** What was found for one key. */
  sealed interface KeyResult {
    String key();

    long visited();
  }

  record Linearizable(String key, long visited) implements KeyResult {}

  /**
   * Not linearizable.
   *
   * @param culprit the operation that could not take effect before its completion
   * @param states some states the key could be in at that point
   * @param prefixEnd the operation whose completion ends the shortest non-linearizable prefix, or
   *     null if that prefix was not determined within the budget
   * @param prefixSize operations invoked by the end of that prefix
   * @param window the operations around the culprit, in invocation order
   */
  record Violation(
      String key,
      Operation culprit,
      List<RegisterState> states,
      Operation prefixEnd,
      int prefixSize,
      int keySize,
      List<Operation> window,
      long visited)
      implements KeyResult {}

  record Exhausted(String key, int keySize, long visited) implements KeyResult {}

  private final String key;
  private final List<Operation> ops;
  private final long budget;
  private long visited;

  private KeyLinearizability(String key, List<Operation> ops, long budget) {
    this.key = key;
    this.ops = ops;
    this.budget = budget;
  }

  /** Checks {@code ops}, all of them register operations on {@code key}, in invocation order. */
  static KeyResult check(String key, List<Operation> ops, long budget) {
    return new KeyLinearizability(key, ops, budget).check();
  }

  private KeyResult check() {
    WglSearch.Found<RegisterState> full = search(Operation.NEVER);
    if (full instanceof WglSearch.Linearizable) {
      return new Linearizable(key, visited);
    }
    if (!(full instanceof WglSearch.Stuck<RegisterState> stuck)) {
      return new Exhausted(key, ops.size(), visited);
    }
    return explain(stuck);
  }

  /**
   * Every prefix before the completion of the operation the full search was stuck at is
   * linearizable (the search got that far); the prefix ending there usually is not, but need not
   * be, since operations still in flight there count as unknown. Non-linearizability only grows
   * with the prefix, so the shortest one is found by bisecting the later completions.
   */
  private KeyResult explain(WglSearch.Stuck<RegisterState> full) {
    List<Long> cuts = completionsFrom(full.op().completedAt());
    WglSearch.Stuck<RegisterState> best = full;
    long bestCut = Operation.NEVER;
    boolean minimal = false;
    // The first cut is nearly always the answer; bisect the rest only if it is not.
    int lo = 0;
    int hi = cuts.size() - 1;
    int probe = lo;
    while (lo <= hi) {
      WglSearch.Found<RegisterState> found = search(cuts.get(probe));
      if (found instanceof WglSearch.Stuck<RegisterState> stuck) {
        best = stuck;
        bestCut = cuts.get(probe);
        minimal = true;
        hi = probe - 1;
      } else if (found instanceof WglSearch.Linearizable) {
        lo = probe + 1;
      } else {
        minimal = false;
        break;
      }
      probe = (lo + hi) >>> 1;
    }
    List<Operation> prefix = prefix(bestCut);
    Operation prefixEnd = minimal ? completingAt(bestCut, best.op()) : null;
    return new Violation(
        key, best.op(), best.states(), prefixEnd, prefix.size(), ops.size(),
        ViolationWindow.around(best.op(), prefix, bestCut), visited);
  }

  /** The ok operation completing at {@code cut}, the culprit if it is one of them. */
  private Operation completingAt(long cut, Operation culprit) {
    if (culprit.completedAt() == cut) {
      return culprit;
    }
    return ops.stream().filter(op -> op.isOk() && op.completedAt() == cut).findFirst().orElse(culprit);
  }

  /** The distinct completion times of ok operations, from {@code first} on, in order. */
  private List<Long> completionsFrom(long first) {
    var times = new TreeSet<Long>();
    for (Operation op : ops) {
      if (op.isOk() && op.completedAt() >= first) {
        times.add(op.completedAt());
      }
    }
    return new ArrayList<>(times);
  }

  /** Operations invoked by {@code cut}. */
  private List<Operation> prefix(long cut) {
    return ops.stream().filter(op -> op.invokedAt() <= cut).toList();
  }

  /**
   * Searches the history as it stood at {@code cut}: operations completed by then keep their
   * results; those still in flight count as unknown; failed operations and reads of unknown
   * outcome are left out, since neither can change the state.
   */
  private WglSearch.Found<RegisterState> search(long cut) {
    var calls = new ArrayList<WglSearch.Call>();
    for (Operation op : prefix(cut)) {
      boolean known = op.isOk() && op.completedAt() <= cut;
      if (op.isFail() || (!known && op.op() instanceof Op.Read)) {
        continue;
      }
      calls.add(new WglSearch.Call(op, known ? op.result() : null));
    }
    WglSearch.Found<RegisterState> found = WglSearch.run(RegisterModel.of(calls), calls, budget);
    visited += found.visited();
    return found;
  }
}
