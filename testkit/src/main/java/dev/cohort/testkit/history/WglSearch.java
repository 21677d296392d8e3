package dev.cohort.testkit.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Searches for a linearization of one object's history: the Wing–Gong algorithm with Lowe's
 * memoization of visited configurations, as in Porcupine.
 *
 * <p>Calls and returns of the operations with a definite result form a time-ordered, doubly linked
 * list. The search walks it from the head: at a call it tries to let that operation take effect
 * next; if the model allows it and the configuration is new, it pushes a frame, lifts the call and
 * its return out of the list and starts again from the head. Reaching a return means its operation
 * can no longer take effect in time: it backtracks. The history is linearizable once every return
 * has been lifted.
 *
 * <p>Operations with an unknown outcome have no return: they may take effect at any time after
 * their invocation, or never. They are kept out of the list and tried only when the walk is blocked
 * at a return, and then only those that {@linkplain Model#mayEnable may enable} an operation that
 * could come next, so that unknown operations that never took effect cost next to nothing. An
 * operation taken right after an unknown one that made no difference to it is skipped (the order
 * without the unknown one is tried anyway), and {@link VisitedConfigurations} prunes configurations
 * that differ only by extra unknown operations. Unknown operations asking exactly the same (two
 * deletes, say) are interchangeable once both are invoked, so only the earliest one not yet taken
 * is tried.
 *
 * @param <S> the model's state; must have value equality
 */
final class WglSearch<S> {
  /** A sequential specification. */
  interface Model<S> {
    S initial();

    /**
     * The state after {@code op} takes effect in {@code state}, or null if it cannot return {@code
     * result} there; a null {@code result} means unknown: any result will do.
     */
    S step(S state, Operation op, Result result);

    /**
     * Whether {@code unknown}, an operation of unknown outcome, taking effect just before {@code
     * next} may matter to it. May be false only if, in every state s where {@code unknown} can take
     * effect, {@code next} either cannot take effect after it or leaves a state from which no more
     * can follow (with the same results) than from the state {@code next} leaves when taken in s.
     */
    boolean mayEnable(Operation unknown, Call next);
  }

  /** An operation as the search sees it; a null {@code result} means unknown. */
  record Call(Operation op, Result result) {}

  /** What the search found. */
  sealed interface Found<S> {
    long visited();
  }

  record Linearizable<S>(long visited) implements Found<S> {}

  /**
   * No linearization: the search could never get past the completion of {@code op}.
   *
   * @param states some states the object could be in when {@code op} had to take effect
   */
  record Stuck<S>(Operation op, List<S> states, long visited) implements Found<S> {}

  record Exhausted<S>(long visited) implements Found<S> {}

  private static final int MAX_STATES_SHOWN = 5;

  private final Model<S> model;
  private final List<Call> calls;
  private final long budget;
  private final EventList events;
  // Each call's index among the definite operations, in invocation order, or -1.
  private final int[] definiteIndex;
  // For each call, the unknown operations invoked before it returns that may enable it.
  private final int[][] enablers;
  // For each unknown operation, the latest one invoked before it asking exactly the same, or -1.
  private final int[] sameBefore;

  private final BitSet definiteTaken = new BitSet();
  private final BitSet unknownTaken = new BitSet();
  private final VisitedConfigurations visited = new VisitedConfigurations();
  // The stack of steps taken: a call node, or -1 - u for the u-th unknown operation taken at the
  // return node in frameReturn; and the state before the step.
  private final int[] frameNode;
  private final int[] frameReturn;
  private final Object[] frameState;
  private int top;
  private S state;
  private int remainingReturns;

  private int stuckNode = EventList.END;
  private final Set<S> stuckStates = new LinkedHashSet<>();

  private WglSearch(Model<S> model, List<Call> calls, long budget) {
    this.model = model;
    this.calls = calls;
    this.budget = budget;
    events = EventList.of(calls);
    definiteIndex = new int[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      definiteIndex[i] = calls.get(i).result() != null ? remainingReturns++ : -1;
    }
    enablers = buildEnablers();
    sameBefore = buildSameBefore();
    frameNode = new int[calls.size()];
    frameReturn = new int[calls.size()];
    frameState = new Object[calls.size()];
    state = model.initial();
  }

  /** Searches {@code calls}, giving up after visiting {@code budget} configurations. */
  static <S> Found<S> run(Model<S> model, List<Call> calls, long budget) {
    return new WglSearch<>(model, calls, budget).search();
  }

  private int[][] buildEnablers() {
    int[][] result = new int[calls.size()][];
    var found = new ArrayList<Integer>();
    for (int call = 0; call < calls.size(); call++) {
      Call c = calls.get(call);
      long deadline = c.result() == null ? Operation.NEVER : c.op().completedAt();
      found.clear();
      for (int u = 0; u < events.unknowns(); u++) {
        Operation unknown = calls.get(events.unknownCall(u)).op();
        if (events.unknownCall(u) != call && unknown.invokedAt() <= deadline && model.mayEnable(unknown, c)) {
          found.add(u);
        }
      }
      result[call] = found.stream().mapToInt(Integer::intValue).toArray();
    }
    return result;
  }

  private int[] buildSameBefore() {
    int[] result = new int[events.unknowns()];
    var latest = new HashMap<Op, Integer>();
    for (int u = 0; u < events.unknowns(); u++) {
      Integer before = latest.put(calls.get(events.unknownCall(u)).op().op(), u);
      result[u] = before == null ? -1 : before;
    }
    return result;
  }

  private Found<S> search() {
    try {
      int entry = events.first();
      while (remainingReturns > 0) {
        if (events.isCall(entry)) {
          entry = tryDefinite(entry) ? events.first() : events.next(entry);
          continue;
        }
        // The first return in the list: no call before it can take effect now. Unknown operations
        // that may change that are the last resort before backtracking.
        noteStuck(entry);
        if (tryUnknowns(0, entry)) {
          entry = events.first();
          continue;
        }
        entry = backtrack();
        if (entry == EventList.END) {
          return new Stuck<>(calls.get(events.call(stuckNode)).op(), List.copyOf(stuckStates), visited.size());
        }
      }
      return new Linearizable<>(visited.size());
    } catch (BudgetExhausted e) {
      return new Exhausted<>(visited.size());
    }
  }

  private boolean tryDefinite(int callNode) {
    int call = events.call(callNode);
    S after = step(state, call);
    if (after == null || madeNoDifference(call, after) || !visit(definiteTaken, definiteIndex[call], after)) {
      return false;
    }
    push(callNode, EventList.END, after);
    events.lift(callNode);
    remainingReturns--;
    return true;
  }

  /**
   * Tries, in invocation order from unknown index {@code from} on, the unknown operations invoked
   * before {@code returnNode} (the first return in the list) that may enable a call before it, or
   * enable such an operation in turn.
   */
  private boolean tryUnknowns(int from, int returnNode) {
    BitSet candidates = candidates(returnNode);
    for (int u = candidates.nextSetBit(from); u >= 0; u = candidates.nextSetBit(u + 1)) {
      if (sameBefore[u] >= 0 && !unknownTaken.get(sameBefore[u])) {
        continue; // the same operation invoked earlier can stand in for this one: take that first
      }
      int call = events.unknownCall(u);
      S after = step(state, call);
      if (after != null && !madeNoDifference(call, after) && visit(unknownTaken, u, after)) {
        push(-u - 1, returnNode, after);
        return true;
      }
    }
    return false;
  }

  private BitSet candidates(int returnNode) {
    var candidates = new BitSet();
    var pending = new ArrayDeque<Integer>();
    for (int node = events.first(); node != returnNode; node = events.next(node)) {
      addEnablers(events.call(node), returnNode, candidates, pending);
    }
    while (!pending.isEmpty()) {
      addEnablers(events.unknownCall(pending.pop()), returnNode, candidates, pending);
    }
    return candidates;
  }

  private void addEnablers(int call, int returnNode, BitSet candidates, ArrayDeque<Integer> pending) {
    for (int u : enablers[call]) {
      boolean invoked = events.unknownPosition(u) < events.position(returnNode);
      if (invoked && !unknownTaken.get(u) && !candidates.get(u)) {
        candidates.set(u);
        pending.push(u);
      }
    }
  }

  /**
   * Whether the last step was an unknown operation that makes no difference to {@code call}: then
   * taking {@code call} without it reaches the same state, and that order is tried anyway.
   */
  @SuppressWarnings("unchecked")
  private boolean madeNoDifference(int call, S after) {
    if (top == 0 || frameNode[top - 1] > 0) {
      return false;
    }
    return after.equals(step((S) frameState[top - 1], call));
  }

  /**
   * Undoes the last step and returns where the walk goes on, or {@link EventList#END} if nothing is
   * left to try. An unknown operation's frame resumes the scan of unknown operations after it.
   */
  @SuppressWarnings("unchecked")
  private int backtrack() {
    while (top > 0) {
      top--;
      int node = frameNode[top];
      state = (S) frameState[top];
      frameState[top] = null;
      if (node > 0) {
        definiteTaken.clear(definiteIndex[events.call(node)]);
        events.unlift(node);
        remainingReturns++;
        return events.next(node);
      }
      int u = -node - 1;
      unknownTaken.clear(u);
      if (tryUnknowns(u + 1, frameReturn[top])) {
        return events.first();
      }
    }
    return EventList.END;
  }

  private S step(S from, int call) {
    return model.step(from, calls.get(call).op(), calls.get(call).result());
  }

  private boolean visit(BitSet taken, int index, S after) {
    taken.set(index);
    if (!visited.add(definiteTaken, unknownTaken, after)) {
      taken.clear(index);
      return false;
    }
    if (visited.size() > budget) {
      throw new BudgetExhausted();
    }
    return true;
  }

  private void push(int node, int returnNode, S after) {
    frameNode[top] = node;
    frameReturn[top] = returnNode;
    frameState[top] = state;
    top++;
    state = after;
  }

  /** Keeps the states seen at the furthest return the search was blocked at, for the report. */
  private void noteStuck(int returnNode) {
    if (stuckNode == EventList.END || events.position(returnNode) > events.position(stuckNode)) {
      stuckNode = returnNode;
      stuckStates.clear();
    }
    if (returnNode == stuckNode && stuckStates.size() < MAX_STATES_SHOWN) {
      stuckStates.add(state);
    }
  }

  /** Unwinds the search when the budget is spent; no stack trace, it is not an error. */
  private static final class BudgetExhausted extends RuntimeException {
    BudgetExhausted() {
      super(null, null, false, false);
    }
  }
}
