package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The calls and returns of one history in time order, for {@link WglSearch}: operations with a
 * definite result as a doubly linked list of nodes from which a call and its return are lifted
 * when the operation is taken, and put back, last lifted first, when the search backtracks;
 * operations of unknown outcome, which have no return, apart, in order of invocation.
 *
 * <p>A call comes before a return at the same instant, so that the two operations count as
 * concurrent: the lenient reading of equal times.
 */
final class EventList {
  /** The node before the first event. */
  static final int HEAD = 0;
  /** After the last event. */
  static final int END = -1;

  private final int[] next;
  private final int[] prev;
  private final int[] call;
  private final boolean[] isCall;
  private final int[] match;
  private final int[] position;
  private final int[] unknownCalls;
  private final int[] unknownPositions;

  private EventList(int definite, int unknown) {
    int nodes = 2 * definite + 1;
    next = new int[nodes];
    prev = new int[nodes];
    call = new int[nodes];
    isCall = new boolean[nodes];
    match = new int[nodes];
    position = new int[nodes];
    unknownCalls = new int[unknown];
    unknownPositions = new int[unknown];
  }

  /** The events of {@code calls}; calls are named by their index in that list. */
  static EventList of(List<WglSearch.Call> calls) {
    var events = new ArrayList<long[]>(); // {time, 0 for a call or 1 for a return, call index}
    int definite = 0;
    for (int i = 0; i < calls.size(); i++) {
      Operation op = calls.get(i).op();
      events.add(new long[] {op.invokedAt(), 0, i});
      if (calls.get(i).result() != null) {
        events.add(new long[] {op.completedAt(), 1, i});
        definite++;
      }
    }
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]).thenComparingLong(e -> e[2]));
    var list = new EventList(definite, calls.size() - definite);
    list.link(events, calls);
    return list;
  }

  private void link(List<long[]> events, List<WglSearch.Call> calls) {
    int[] callNode = new int[calls.size()];
    int node = HEAD;
    int unknown = 0;
    for (int pos = 0; pos < events.size(); pos++) {
      long[] event = events.get(pos);
      int c = (int) event[2];
      if (calls.get(c).result() == null) {
        unknownCalls[unknown] = c;
        unknownPositions[unknown++] = pos;
        continue;
      }
      int n = node + 1;
      next[node] = n;
      prev[n] = node;
      call[n] = c;
      isCall[n] = event[1] == 0;
      position[n] = pos;
      if (isCall[n]) {
        callNode[c] = n;
      } else {
        match[callNode[c]] = n;
      }
      node = n;
    }
    next[node] = END;
  }

  /** The first event still in the list, or {@link #END}. */
  int first() {
    return next[HEAD];
  }

  /** The event after {@code node} still in the list, or {@link #END}. */
  int next(int node) {
    return next[node];
  }

  /** Whether {@code node} is a call, not a return. */
  boolean isCall(int node) {
    return isCall[node];
  }

  /** The call {@code node} belongs to. */
  int call(int node) {
    return call[node];
  }

  /** The place of {@code node} among all events, unknown invocations included. */
  int position(int node) {
    return position[node];
  }

  /** Takes a call and its return out of the list. */
  void lift(int callNode) {
    remove(callNode);
    remove(match[callNode]);
  }

  /** Puts back the last call lifted and its return. */
  void unlift(int callNode) {
    restore(match[callNode]);
    restore(callNode);
  }

  /** How many operations have an unknown outcome. */
  int unknowns() {
    return unknownCalls.length;
  }

  /** The call of the {@code u}-th operation of unknown outcome, in invocation order. */
  int unknownCall(int u) {
    return unknownCalls[u];
  }

  /** The place of the {@code u}-th unknown invocation among all events. */
  int unknownPosition(int u) {
    return unknownPositions[u];
  }

  private void remove(int node) {
    next[prev[node]] = next[node];
    if (next[node] != END) {
      prev[next[node]] = prev[node];
    }
  }

  private void restore(int node) {
    next[prev[node]] = node;
    if (next[node] != END) {
      prev[next[node]] = node;
    }
  }
}
