package dev.cohort.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * Writes each key of a range of indexes exactly once (unlike {@link ClosedLoop}, whose keys are
 * random and which runs for a time), with {@code window} puts in flight: each acknowledged put
 * issues the next index. A failed put is sent again, same key and value, 1 ms later from a scheduler
 * (a put that fails at once cannot recurse), so every key ends up written.
 */
final class KeyLoader {
  private static final long RETRY_DELAY_MICROS = 1000;
  /** How often a progress line is printed while loading. */
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);
  /**
   * How long the load may go without one acknowledged put before it is given up: far past the
   * client's request timeout (cohort.client.request-timeout, 5 s), so only a node that is stuck.
   */
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  /** What a finished load did. */
  record Loaded(int keys, double seconds, Map<String, Long> errors) {
    double keysPerSecond() {
      return keys / seconds;
    }
  }

  private final BiFunction<String, byte[], CompletionStage<?>> put;
  private final IntFunction<String> keyAt;
  private final IntFunction<byte[]> valueAt;
  private final int window;
  private final ScheduledExecutorService scheduler;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder acknowledged = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile int end;
  private volatile boolean running;

  /**
   * @param put one write; must not block
   * @param keyAt the key of each index; called on the threads that complete puts, so it must be cheap
   * @param valueAt the value of each index, likewise
   * @param window the puts to keep in flight
   * @param scheduler for the delayed re-sending of failed puts
   */
  KeyLoader(BiFunction<String, byte[], CompletionStage<?>> put, IntFunction<String> keyAt, IntFunction<byte[]> valueAt,
      int window, ScheduledExecutorService scheduler) {
    this.put = put;
    this.keyAt = keyAt;
    this.valueAt = valueAt;
    this.window = window;
    this.scheduler = scheduler;
  }

  /**
   * Writes the keys of indexes {@code from} (inclusive) to {@code to} (exclusive) and returns once
   * every one is acknowledged, printing progress to {@code report}. One loader loads one range.
   *
   * @throws IllegalStateException if no put was acknowledged for a minute
   */
  Loaded load(int from, int to, Report report) throws InterruptedException {
    if (to <= from) {
      throw new IllegalArgumentException("load: nothing to load from " + from + " to " + to);
    }
    long start = System.nanoTime();
    next.set(from);
    end = to;
    running = true;
    int slots = Math.min(window, to - from);
    inFlight.set(slots);
    for (int i = 0; i < slots; i++) {
      issueNext();
    }
    long lastCount = 0;
    long lastTime = start;
    long lastAdvance = start;
    while (!finished.await(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      long count = acknowledged.sum();
      if (count > lastCount) {
        lastAdvance = now;
      } else if (now - lastAdvance > STALL_LIMIT.toNanos()) {
        running = false;
        throw new IllegalStateException("load: no put acknowledged for " + STALL_LIMIT.toSeconds() + " s, at "
            + (from + count) + " of " + to + " keys; failed puts by kind " + errors());
      }
      report.info("load: %,d of %,d keys, %,.0f keys/s over the last %.0f s; %d failed puts (sent again)",
          from + count, to, (count - lastCount) / ((now - lastTime) / 1e9), (now - lastTime) / 1e9,
          errors().values().stream().mapToLong(Long::longValue).sum());
      lastCount = count;
      lastTime = now;
    }
    if (acknowledged.sum() != to - from) {
      throw new IllegalStateException("load: " + acknowledged.sum() + " of " + (to - from)
          + " puts acknowledged; the scheduler that sends failed puts again stopped");
    }
    return new Loaded(to - from, (System.nanoTime() - start) / 1e9, errors());
  }

  private Map<String, Long> errors() {
    var byKind = new TreeMap<String, Long>();
    errors.forEach((kind, count) -> byKind.put(kind, count.sum()));
    return byKind;
  }

  private void issueNext() {
    int index = next.getAndIncrement();
    if (index >= end || !running) {
      slotDone();
      return;
    }
    send(index);
  }

  private void send(int index) {
    CompletionStage<?> answer;
    try {
      answer = put.apply(keyAt.apply(index), valueAt.apply(index));
    } catch (RuntimeException e) {
      failed(index, e);
      return;
    }
    answer.whenComplete((result, error) -> {
      if (error == null) {
        acknowledged.increment();
        issueNext();
      } else {
        failed(index, error);
      }
    });
  }

  private void failed(int index, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    errors.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
    try {
      scheduler.schedule(() -> send(index), RETRY_DELAY_MICROS, TimeUnit.MICROSECONDS);
    } catch (RuntimeException rejected) { // the scheduler is shutting down
      slotDone();
    }
  }

  private void slotDone() {
    if (inFlight.decrementAndGet() == 0) {
      finished.countDown();
    }
  }
}
