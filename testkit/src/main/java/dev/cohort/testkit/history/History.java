package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Records what test clients did, for the checkers: each client calls {@link #invoke} just before it
 * sends an operation and completes the returned {@link Invocation} when it sees the outcome.
 *
 * <pre>{@code
 * History history = History.create();
 * Invocation write = history.invoke(1, "node-a", Op.write("x", "a"));
 * try {
 *   long version = table.put("x", "a").toCompletableFuture().get(1, SECONDS);
 *   write.ok(Result.written(version));
 * } catch (TimeoutException e) {
 *   write.unknown("timeout");          // it may still be applied
 * } catch (ExecutionException e) {
 *   write.fail(e.getCause().toString()); // only if it was surely not applied
 * }
 * CheckResult result = Checkers.register().check(history.snapshot());
 * }</pre>
 *
 * <p>Thread-safe. A process (client) has at most one operation in flight; after an unknown outcome
 * it may go on with a new operation, since the checkers let an unknown operation take effect at any
 * later time anyway. Times come from the clock given at creation and are read under the recorder's
 * lock, so the order of recording and the order of times agree.
 */
public final class History {
  private final LongSupplier nanoClock;
  private final List<Entry> entries = new ArrayList<>();
  private final Map<Integer, Entry> inFlight = new HashMap<>();

  private History(LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** A recorder timed by {@link System#nanoTime()}. */
  public static History create() {
    return new History(System::nanoTime);
  }

  /** A recorder timed by {@code nanoClock}, which must never go backwards (nanoseconds). */
  public static History withClock(LongSupplier nanoClock) {
    return new History(nanoClock);
  }

  /**
   * Records that {@code process} is sending {@code op} to {@code node} now.
   *
   * @throws IllegalStateException if {@code process} has an operation still in flight
   */
  public synchronized Invocation invoke(int process, String node, Op op) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(op, "op");
    Entry previous = inFlight.get(process);
    if (previous != null) {
      throw new IllegalStateException(
          "process " + process + " still has #" + previous.index + " " + previous.op.describe()
              + " in flight; complete it (unknown if need be) first");
    }
    var entry = new Entry(entries.size(), process, node, op, nanoClock.getAsLong());
    entries.add(entry);
    inFlight.put(process, entry);
    return new Invocation(this, entry.index, op);
  }

  /**
   * Every operation so far, in invocation order. Operations still in flight appear with an {@link
   * Outcome.Unknown} outcome ("never completed") and completion time {@link Operation#NEVER}.
   */
  public synchronized List<Operation> snapshot() {
    var ops = new ArrayList<Operation>(entries.size());
    for (Entry e : entries) {
      Outcome outcome = e.outcome == null ? new Outcome.Unknown("never completed") : e.outcome;
      ops.add(new Operation(e.index, e.process, e.node, e.op, e.invokedAt, e.completedAt, outcome));
    }
    return List.copyOf(ops);
  }

  /** How many operations were invoked so far. */
  public synchronized int size() {
    return entries.size();
  }

  synchronized void complete(int index, Outcome outcome) {
    Entry entry = entries.get(index);
    if (entry.outcome != null) {
      throw new IllegalStateException(
          "#" + index + " " + entry.op.describe() + " already completed: " + entry.outcome.describe());
    }
    entry.completedAt = nanoClock.getAsLong();
    entry.outcome = outcome;
    inFlight.remove(entry.process);
  }

  /** Mutable until completed, and only under the recorder's lock. */
  private static final class Entry {
    final int index;
    final int process;
    final String node;
    final Op op;
    final long invokedAt;
    long completedAt = Operation.NEVER;
    Outcome outcome;

    Entry(int index, int process, String node, Op op, long invokedAt) {
      this.index = index;
      this.process = process;
      this.node = node;
      this.op = op;
      this.invokedAt = invokedAt;
    }
  }
}
