package dev.cohort.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Finds when every partition accepts writes again after a kill: from the moment it is started
 * (right after the kill), it sends a fresh write to each partition's probe key every {@code
 * interval}, without waiting for the earlier ones, until one of them succeeds. A partition's
 * recovery time is the completion of its first successful probe. Writes already sent to a dead
 * member may hang until a timeout; the fresh ones find the new owner as soon as it serves, so the
 * figure is late by at most one interval plus one round trip.
 */
final class FailoverProbe {
  /** The most unanswered probes per partition, so a dead partition cannot pile up requests. */
  private static final int MAX_OUTSTANDING = 200;

  private final Function<String, CompletionStage<?>> put;
  private final List<String> keys;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final AtomicLongArray recoveredAt;
  private final AtomicIntegerArray outstanding;
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private volatile ScheduledFuture<?> ticking;

  FailoverProbe(Function<String, CompletionStage<?>> put, List<String> keys, Duration interval,
      ScheduledExecutorService scheduler) {
    this.put = put;
    this.keys = List.copyOf(keys);
    this.interval = interval;
    this.scheduler = scheduler;
    this.recoveredAt = new AtomicLongArray(keys.size());
    this.outstanding = new AtomicIntegerArray(keys.size());
  }

  /** Starts probing; every probe is sent after this call. */
  void start() {
    ticking = scheduler.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Waits until every partition has accepted a probe or {@code limit} has passed, then stops
   * probing.
   *
   * @return whether every partition accepted one
   */
  boolean await(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (recovered() == keys.size()) {
          return true;
        }
        Thread.sleep(5);
      }
      return recovered() == keys.size();
    } finally {
      ticking.cancel(false);
    }
  }

  /** How many partitions have accepted a probe. */
  int recovered() {
    int count = 0;
    for (int i = 0; i < keys.size(); i++) {
      if (recoveredAt.get(i) != 0) {
        count++;
      }
    }
    return count;
  }

  /** Per partition, milliseconds from {@code originNanos} to its first successful probe; -1 if none. */
  double[] recoveryMillis(long originNanos) {
    double[] millis = new double[keys.size()];
    for (int i = 0; i < millis.length; i++) {
      long at = recoveredAt.get(i);
      millis[i] = at == 0 ? -1 : (at - originNanos) / 1e6;
    }
    return millis;
  }

  long sent() {
    return sent.sum();
  }

  long failed() {
    return failed.sum();
  }

  private void tick() {
    for (int i = 0; i < keys.size(); i++) {
      if (recoveredAt.get(i) != 0 || outstanding.get(i) >= MAX_OUTSTANDING) {
        continue;
      }
      int partition = i;
      outstanding.incrementAndGet(partition);
      sent.increment();
      CompletionStage<?> answer;
      try {
        answer = put.apply(keys.get(partition));
      } catch (RuntimeException e) {
        outstanding.decrementAndGet(partition);
        failed.increment();
        continue;
      }
      answer.whenComplete((result, error) -> {
        long now = System.nanoTime();
        outstanding.decrementAndGet(partition);
        if (error == null) {
          recoveredAt.compareAndSet(partition, 0, now);
        } else {
          failed.increment();
        }
      });
    }
  }
}
