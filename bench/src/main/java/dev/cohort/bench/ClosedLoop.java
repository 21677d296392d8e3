package dev.cohort.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load: exactly {@code window} requests in flight, each completion issuing the next
 * at once, on a key picked at random. The latency of every successful request (issue to
 * completion, microseconds) goes into an HdrHistogram {@link Recorder}; failures are counted by
 * kind and their request is issued again 1 ms later (from a scheduler, so a request that fails at
 * once cannot recurse or spin).
 */
final class ClosedLoop {
  private static final long RETRY_DELAY_MICROS = 1000;

  private final Function<String, CompletionStage<?>> operation;
  private final IntFunction<String> keyAt;
  private final int keyCount;
  private final int window;
  private final ScheduledExecutorService scheduler;
  private final Recorder recorder = new Recorder(3);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder completed = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicLong lastErrorNanos = new AtomicLong();
  private volatile boolean running;

  /**
   * @param operation one request on a key; must not block
   * @param keys the key space
   * @param window the requests to keep in flight
   * @param scheduler for the delayed re-issue of failed requests
   */
  ClosedLoop(Function<String, CompletionStage<?>> operation, String[] keys, int window,
      ScheduledExecutorService scheduler) {
    this(operation, i -> keys[i], keys.length, window, scheduler);
  }

  /**
   * A key space too large to hold as an array of strings (the lookup benchmark's): key {@code i} is
   * {@code keyAt.apply(i)}, for i from 0 to {@code keyCount - 1}.
   *
   * @param operation one request on a key; must not block
   * @param keyAt the key of each index; called on the threads that complete requests, so it must be cheap
   * @param keyCount the size of the key space
   * @param window the requests to keep in flight
   * @param scheduler for the delayed re-issue of failed requests
   */
  ClosedLoop(Function<String, CompletionStage<?>> operation, IntFunction<String> keyAt, int keyCount, int window,
      ScheduledExecutorService scheduler) {
    this.operation = operation;
    this.keyAt = keyAt;
    this.keyCount = keyCount;
    this.window = window;
    this.scheduler = scheduler;
  }

  int window() {
    return window;
  }

  /**
   * What one measured period gave: the latencies, its length in seconds, the errors in it, and the
   * machine's load at its start and end.
   */
  record Period(Histogram latencies, double seconds, long errors, MachineLoad cpuBefore, MachineLoad cpuAfter) {}

  /**
   * Starts the load, lets it run for {@code warmup} without counting it, then measures it for {@code
   * duration}; the load goes on until {@link #stop}.
   */
  Period warmUpAndMeasure(Duration warmup, Duration duration) throws InterruptedException {
    start();
    Thread.sleep(warmup.toMillis());
    interval();
    long errorsBefore = errorCount();
    MachineLoad cpuBefore = MachineLoad.sample();
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    Histogram latencies = interval();
    long end = System.nanoTime();
    return new Period(latencies, (end - start) / 1e9, errorCount() - errorsBefore, cpuBefore, MachineLoad.sample());
  }

  /** Puts {@code window} requests in flight. */
  void start() {
    running = true;
    for (int i = 0; i < window; i++) {
      inFlight.incrementAndGet();
      issue();
    }
  }

  /** The latencies recorded since the previous call (or since the start), in microseconds. */
  Histogram interval() {
    return recorder.getIntervalHistogram();
  }

  /** Successful requests so far. */
  long completed() {
    return completed.sum();
  }

  /** Failed requests so far, all kinds. */
  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Failed requests so far, by kind (the exception's simple class name). */
  Map<String, Long> errors() {
    var byKind = new TreeMap<String, Long>();
    errors.forEach((kind, count) -> byKind.put(kind, count.sum()));
    return byKind;
  }

  /** {@link System#nanoTime()} of the latest failure, 0 if none. */
  long lastErrorNanos() {
    return lastErrorNanos.get();
  }

  /**
   * Stops issuing and waits up to {@code limit} for the requests in flight to finish.
   *
   * @return the requests still in flight after the wait (0 normally)
   */
  int stop(Duration limit) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + limit.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return inFlight.get();
  }

  private void issue() {
    if (!running) {
      inFlight.decrementAndGet();
      return;
    }
    String key = keyAt.apply(ThreadLocalRandom.current().nextInt(keyCount));
    long start = System.nanoTime();
    CompletionStage<?> answer;
    try {
      answer = operation.apply(key);
    } catch (RuntimeException e) {
      failed(e);
      return;
    }
    answer.whenComplete((result, error) -> {
      if (error == null) {
        recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        completed.increment();
        issue();
      } else {
        failed(error);
      }
    });
  }

  private void failed(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    errors.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
    lastErrorNanos.set(System.nanoTime());
    try {
      scheduler.schedule(this::issue, RETRY_DELAY_MICROS, TimeUnit.MICROSECONDS);
    } catch (RuntimeException rejected) { // the scheduler is shutting down
      inFlight.decrementAndGet();
    }
  }
}
