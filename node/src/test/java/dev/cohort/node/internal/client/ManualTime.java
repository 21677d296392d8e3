package dev.cohort.node.internal.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/** A clock and scheduler the test moves by hand: tasks run when {@link #advance} passes their time. */
final class ManualTime implements Delayer, LongSupplier {
  private record Task(long at, long order, Runnable task) {}

  private final List<Task> tasks = new ArrayList<>();
  private long now = 1_000_000_000L;
  private long order;

  @Override
  public long getAsLong() {
    return now;
  }

  @Override
  public void after(Duration delay, Runnable task) {
    tasks.add(new Task(now + delay.toNanos(), order++, task));
  }

  /** Moves the clock forward, running every task that falls due, in time order. */
  void advance(Duration by) {
    long until = now + by.toNanos();
    while (true) {
      Task next = tasks.stream()
          .filter(t -> t.at() <= until)
          .min(Comparator.comparingLong(Task::at).thenComparingLong(Task::order))
          .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = Math.max(now, next.at());
      next.task().run();
    }
    now = until;
  }

  /** Tasks waiting. */
  int pending() {
    return tasks.size();
  }
}
