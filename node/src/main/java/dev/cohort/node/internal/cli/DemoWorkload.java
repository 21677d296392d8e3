package dev.cohort.node.internal.cli;

import dev.cohort.node.internal.cli.DemoKvHttp.Versioned;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The key-value workload of {@code cohort demo}, run in the demo's own JVM as an HTTP client of the
 * nodes (not a cluster member): a closed loop of {@value #WINDOW} requests in flight, spread
 * round-robin over the nodes still alive; mostly PUTs of a unique value to one of {@value #KEYS}
 * keys, some linearizable GETs. For every key it keeps the acknowledged write with the highest
 * version ({@link #acknowledged()}, for {@link DemoCheck}) and it prints one progress line per
 * second: successful requests, their p50 and p99 latency, failed requests by kind.
 *
 * <p>A request that fails (refused connection, a node's error answer, no answer in time) is counted
 * by kind and not acknowledged, and the same operation is tried again at another node after a short
 * pause. A GET that misses a write acknowledged before the GET was sent is a stale read: it is
 * counted, since a linearizable read must never do that.
 */
final class DemoWorkload {
  /** Requests in flight at once: enough to keep three nodes busy, few enough for a laptop. */
  static final int WINDOW = 32;
  /** Keys written: few enough that each is overwritten often, enough to spread over every partition. */
  static final int KEYS = 2000;
  /** Share of the requests that are GETs, in percent. */
  private static final int READ_PERCENT = 20;
  private static final int PERCENT = 100;
  /** Keys look like account numbers: acct-0000 to acct-1999. */
  private static final String KEY_FORMAT = "acct-%04d";
  /** Pause before a failed operation is tried at another node, so failures do not spin. */
  private static final Duration RETRY_BACKOFF = Duration.ofMillis(50);
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
  /** How long the driver waits for a free slot before it looks whether it should stop. */
  private static final Duration SLOT_POLL = Duration.ofMillis(100);
  /** The highest latency the histograms hold, in microseconds; longer ones count as this. */
  private static final long HIGHEST_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(1);
  private static final int LATENCY_DIGITS = 3;
  private static final double MICROS_PER_MILLI = 1000.0;
  /** Stale reads described in the result; the count covers all of them. */
  private static final int STALE_READS_KEPT = 10;
  /** What a failed request whose answer could not be read counts as. */
  private static final String BAD_ANSWER = "bad-answer";

  /**
   * What the workload did.
   *
   * @param ran how long it ran
   * @param requests every request answered or failed, retries included
   * @param writes acknowledged writes
   * @param reads answered reads
   * @param errors failed requests by kind
   * @param latency the latency of every successful request, in microseconds
   * @param keys keys with at least one acknowledged write
   * @param staleReads reads that missed an acknowledged write
   * @param staleExamples the first few stale reads, described
   * @param unfinished requests still open when the workload stopped waiting for them
   */
  record Result(Duration ran, long requests, long writes, long reads, SortedMap<String, Long> errors,
      Histogram latency, int keys, long staleReads, List<String> staleExamples, int unfinished) {
    /** Failed requests, of every kind. */
    long failed() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** One request: a PUT of a fresh {@code value}, or (value null) a GET that must show {@code mustSee}. */
  private record Attempt(String key, String node, String value, Versioned mustSee) {
    boolean write() {
      return value != null;
    }
  }

  private final DemoKvHttp kv;
  private final List<String> nodes;
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private final PrintStream out;
  private final ScheduledExecutorService timer;
  private final Semaphore slots = new Semaphore(WINDOW);
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final AtomicLong writeNumber = new AtomicLong();
  private final Map<String, Versioned> acked = new ConcurrentHashMap<>();
  private final LongAdder writes = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder staleReads = new LongAdder();
  private final List<String> staleExamples = new ArrayList<>();
  private final Recorder latency = new Recorder(HIGHEST_LATENCY_MICROS, LATENCY_DIGITS);
  private final long startNanos;
  private final Thread driver;
  private volatile boolean running = true;
  private ScheduledFuture<?> progressTask;

  // Touched only on the timer thread: a Recorder's interval reads must not overlap.
  private final Histogram totalLatency = new Histogram(HIGHEST_LATENCY_MICROS, LATENCY_DIGITS);
  private Histogram intervalLatency;
  private long lastOps;
  private Map<String, Long> lastErrors = Map.of();

  private DemoWorkload(DemoKvHttp kv, PrintStream out) {
    this.kv = kv;
    this.nodes = kv.nodes();
    this.out = out;
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "demo-workload-timer");
      thread.setDaemon(true);
      return thread;
    });
    this.startNanos = System.nanoTime();
    this.driver = new Thread(this::drive, "demo-workload");
    this.driver.setDaemon(true);
  }

  /** Starts the workload against the nodes of {@code kv} and prints the progress header; a line follows every second. */
  static DemoWorkload start(DemoKvHttp kv, PrintStream out) {
    var workload = new DemoWorkload(kv, out);
    out.printf("Workload: %d requests in flight over %s, %d%% PUTs of unique values to %d keys of table '%s', "
        + "%d%% linearizable GETs; latency of successful requests%n",
        WINDOW, String.join(", ", workload.nodes), PERCENT - READ_PERCENT, KEYS, DemoKvHttp.TABLE, READ_PERCENT);
    out.printf("  %6s  %5s  %6s  %8s  %8s  %s%n", "TIME", "NODES", "OPS/S", "P50 MS", "P99 MS", "ERRORS");
    workload.driver.start();
    workload.progressTask = workload.timer.scheduleAtFixedRate(workload::progress, PROGRESS_INTERVAL.toMillis(),
        PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return workload;
  }

  /** The time since the workload started. */
  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Sends nothing more to {@code node} (it was killed); requests in flight there fail and are retried. */
  void nodeDown(String node) {
    down.add(node);
  }

  /** Sends requests to {@code node} again (it was restarted). */
  void nodeUp(String node) {
    down.remove(node);
  }

  /** For every key written, the acknowledged write with the highest version so far. */
  SortedMap<String, Versioned> acknowledged() {
    return new TreeMap<>(acked);
  }

  /**
   * Stops sending, waits for the requests in flight (at most about the request timeout) and returns
   * what the workload did.
   */
  Result stop() throws InterruptedException {
    running = false;
    driver.join(SLOT_POLL.toMillis() * 2);
    int unfinished = 0;
    long deadline = System.nanoTime() + DemoKvHttp.REQUEST_TIMEOUT.plus(RETRY_BACKOFF).toNanos();
    while (!slots.tryAcquire(WINDOW, SLOT_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() > deadline) {
        unfinished = WINDOW - slots.availablePermits();
        break;
      }
    }
    Duration ran = elapsed();
    progressTask.cancel(false);
    try {
      // On the timer thread, after any progress line being printed: the last, partial second.
      timer.submit(() -> totalLatency.add(latency.getIntervalHistogram())).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the last latencies", e.getCause());
    } finally {
      timer.shutdown();
    }
    List<String> stale;
    synchronized (staleExamples) {
      stale = List.copyOf(staleExamples);
    }
    SortedMap<String, Long> failed = errorCounts();
    long requests = writes.sum() + reads.sum() + failed.values().stream().mapToLong(Long::longValue).sum();
    return new Result(ran, requests, writes.sum(), reads.sum(), failed, totalLatency, acked.size(), staleReads.sum(),
        stale, unfinished);
  }

  private void drive() {
    try {
      while (running) {
        if (!slots.tryAcquire(SLOT_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
          continue;
        }
        if (!running) {
          slots.release();
          return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String key = String.format(KEY_FORMAT, random.nextInt(KEYS));
        attempt(random.nextInt(PERCENT) < READ_PERCENT ? read(key, nextNode(null)) : write(key, nextNode(null)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Attempt write(String key, String node) {
    return new Attempt(key, node, "w" + writeNumber.incrementAndGet(), null);
  }

  private Attempt read(String key, String node) {
    return new Attempt(key, node, null, acked.get(key));
  }

  /** The next live node after {@code after}, or the next in round-robin order when it is null or down. */
  private String nextNode(String after) {
    List<String> alive = nodes.stream().filter(n -> !down.contains(n)).toList();
    if (alive.isEmpty()) {
      return nodes.get(0);
    }
    int at = after == null ? -1 : alive.indexOf(after);
    if (at >= 0) {
      return alive.get((at + 1) % alive.size());
    }
    return alive.get(Math.floorMod(roundRobin.getAndIncrement(), alive.size()));
  }

  /** Sends one request; its answer frees the slot or, on failure, retries the operation at another node. */
  private void attempt(Attempt attempt) {
    long begun = System.nanoTime();
    var answer = attempt.write() ? kv.put(attempt.node(), attempt.key(), attempt.value())
        : kv.get(attempt.node(), attempt.key());
    answer.whenComplete((response, failure) -> {
      String error;
      try {
        error = failure != null ? DemoKvHttp.failureKind(failure) : judge(attempt, response, System.nanoTime() - begun);
      } catch (RuntimeException e) {
        error = BAD_ANSWER;
      }
      if (error == null) {
        slots.release();
        return;
      }
      errors.computeIfAbsent(error, kind -> new LongAdder()).increment();
      if (!running) {
        slots.release();
        return;
      }
      String other = nextNode(attempt.node());
      Attempt again = attempt.write() ? write(attempt.key(), other) : read(attempt.key(), other);
      timer.schedule(() -> attempt(again), RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  /** Records a successful answer and returns null, or returns the kind of error. */
  private String judge(Attempt attempt, HttpResponse<byte[]> response, long nanos) {
    if (attempt.write()) {
      if (!DemoKvHttp.written(response)) {
        return DemoKvHttp.errorCode(response);
      }
      acked.merge(attempt.key(), new Versioned(DemoKvHttp.writtenVersion(response), attempt.value()),
          Versioned::newer);
      writes.increment();
    } else {
      if (!DemoKvHttp.answered(response)) {
        return DemoKvHttp.errorCode(response);
      }
      String stale = DemoCheck.staleness(attempt.key(), attempt.mustSee(), DemoKvHttp.found(response));
      if (stale != null) {
        staleReads.increment();
        synchronized (staleExamples) {
          if (staleExamples.size() < STALE_READS_KEPT) {
            staleExamples.add(stale + " (read at " + attempt.node() + ")");
          }
        }
      }
      reads.increment();
    }
    latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), HIGHEST_LATENCY_MICROS));
    return null;
  }

  /** Prints the last second: successful requests, their p50 and p99, and failed requests by kind. */
  private void progress() {
    intervalLatency = latency.getIntervalHistogram(intervalLatency);
    totalLatency.add(intervalLatency);
    long ops = writes.sum() + reads.sum();
    Map<String, Long> errorsNow = errorCounts();
    var newErrors = new TreeMap<String, Long>();
    errorsNow.forEach((kind, count) -> {
      long delta = count - lastErrors.getOrDefault(kind, 0L);
      if (delta > 0) {
        newErrors.put(kind, delta);
      }
    });
    long errorCount = newErrors.values().stream().mapToLong(Long::longValue).sum();
    String errorText = errorCount == 0 ? "0" : errorCount + " (" + newErrors.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")";
    out.printf("  %5.0fs  %5d  %6d  %8s  %8s  %s%n", elapsed().toNanos() / 1e9, nodes.size() - down.size(),
        ops - lastOps, millis(intervalLatency, 50), millis(intervalLatency, 99), errorText);
    lastOps = ops;
    lastErrors = errorsNow;
  }

  /** A percentile in milliseconds, or "-" when nothing was recorded. */
  static String millis(Histogram histogram, double percentile) {
    if (histogram.getTotalCount() == 0) {
      return "-";
    }
    return String.format("%.1f", histogram.getValueAtPercentile(percentile) / MICROS_PER_MILLI);
  }

  /** The largest value in milliseconds, or "-" when nothing was recorded. */
  static String maxMillis(Histogram histogram) {
    if (histogram.getTotalCount() == 0) {
      return "-";
    }
    return String.format("%.1f", histogram.getMaxValue() / MICROS_PER_MILLI);
  }

  private SortedMap<String, Long> errorCounts() {
    var counts = new TreeMap<String, Long>();
    errors.forEach((kind, count) -> counts.put(kind, count.sum()));
    return counts;
  }
}
