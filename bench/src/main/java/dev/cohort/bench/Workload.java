package dev.cohort.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The same sequence of phases on either system: puts at each window, gets at each window, then a
 * kill -9 of a member under put load. Each phase warms up, then is measured for a fixed time.
 */
final class Workload {
  /** How long the failover phase runs steadily before the kill, and on after recovery. */
  private static final Duration STEADY = Duration.ofSeconds(3);
  /** How often the failover probe writes to each partition that has not accepted a write yet. */
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
  /** How long a phase may take to drain its requests in flight. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
  /** Quiet time between phases. */
  private static final Duration PAUSE = Duration.ofSeconds(1);

  private final SystemUnderTest system;
  private final BenchSettings settings;
  private final Report report;
  private final String[] keys;
  private final byte[] value;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, daemon("bench-retry"));
  private final ScheduledExecutorService probeScheduler = Executors.newScheduledThreadPool(1, daemon("bench-probe"));

  Workload(SystemUnderTest system, BenchSettings settings, Report report) {
    this.system = system;
    this.settings = settings;
    this.report = report;
    this.keys = settings.keySpace();
    this.value = settings.value();
  }

  /** Runs every phase and prints their figures. */
  void run() throws Exception {
    try {
      Function<String, CompletionStage<?>> put = key -> system.put(key, value);
      warmUpJvms(put);
      for (int window : settings.putWindows()) {
        measure("put_w" + window, put, window);
      }
      for (int window : settings.getWindows()) {
        measure("get_w" + window, system::get, window);
      }
      if (settings.failoverWindow() > 0) {
        failover(put);
      }
    } finally {
      scheduler.shutdownNow();
      probeScheduler.shutdownNow();
    }
  }

  /** Puts at the largest put window for {@link BenchSettings#jvmWarmup()}, not recorded. */
  private void warmUpJvms(Function<String, CompletionStage<?>> put) throws Exception {
    if (settings.jvmWarmup().isZero() || settings.putWindows().isEmpty()) {
      return;
    }
    int window = settings.putWindows().stream().max(Integer::compare).orElseThrow();
    report.info("warming the JVMs up: puts at window %d for %.1f s, not recorded", window,
        seconds(settings.jvmWarmup()));
    var loop = new ClosedLoop(put, keys, window, scheduler);
    loop.start();
    Thread.sleep(settings.jvmWarmup().toMillis());
    int left = loop.stop(DRAIN_LIMIT);
    if (left > 0) {
      throw new IllegalStateException("the JVM warm-up: " + left + " requests still unanswered "
          + DRAIN_LIMIT.toSeconds() + " s after the load stopped");
    }
    Thread.sleep(PAUSE.toMillis());
  }

  private void measure(String name, Function<String, CompletionStage<?>> operation, int window) throws Exception {
    var loop = new ClosedLoop(operation, keys, window, scheduler);
    report.info("%s: warming up for %.1f s, then measuring for %.1f s", name, seconds(settings.warmup()),
        seconds(settings.duration()));
    ClosedLoop.Period period = loop.warmUpAndMeasure(settings.warmup(), settings.duration());
    MachineLoad cpuBefore = period.cpuBefore();
    MachineLoad cpuAfter = period.cpuAfter();
    long errors = period.errors();
    int left = loop.stop(DRAIN_LIMIT);
    report.phase(name, period.latencies(), period.seconds(), errors);
    report.info("%s: CPU used while measured: %.2f cores by this benchmark's JVMs, %.2f cores by other processes "
        + "(of %d)", name, cpuAfter.ownCores(cpuBefore), cpuAfter.otherCores(cpuBefore),
        Runtime.getRuntime().availableProcessors());
    report.result(name + "_cpu_others", Math.round(cpuAfter.otherCores(cpuBefore) * 100) / 100.0);
    if (errors > 0) {
      report.info("%s: errors by kind %s", name, loop.errors());
    }
    if (left > 0) {
      throw new IllegalStateException(name + ": " + left + " requests still unanswered " + DRAIN_LIMIT.toSeconds()
          + " s after the load stopped");
    }
    Thread.sleep(PAUSE.toMillis());
  }

  private void failover(Function<String, CompletionStage<?>> put) throws Exception {
    int window = settings.failoverWindow();
    var loop = new ClosedLoop(put, keys, window, scheduler);
    report.info("failover: failure detection: %s", system.failureDetection());
    report.info("failover: put load at window %d, warming up for %.1f s", window, seconds(settings.warmup()));
    loop.start();
    Thread.sleep(settings.warmup().toMillis());
    loop.interval();
    long steadyStart = System.nanoTime();
    Thread.sleep(STEADY.toMillis());
    Histogram before = loop.interval();
    double opsBefore = before.getTotalCount() / ((System.nanoTime() - steadyStart) / 1e9);
    long errorsBefore = loop.errorCount();

    var probe = new FailoverProbe(put, system.probeKeys(), PROBE_INTERVAL, probeScheduler);
    long killedAt = System.nanoTime();
    String victim = system.killMember();
    report.info("failover: killed %s (%.0f ms to exit); probing %d partitions every %d ms", victim,
        (System.nanoTime() - killedAt) / 1e6, system.probeKeys().size(), PROBE_INTERVAL.toMillis());
    probe.start();
    boolean all = probe.await(settings.failoverLimit());
    Histogram during = loop.interval();
    double[] recovery = probe.recoveryMillis(killedAt);
    double worst = Arrays.stream(recovery).max().orElse(-1);
    double[] sorted = recovery.clone();
    Arrays.sort(sorted);
    long stillFailing = Arrays.stream(recovery).filter(ms -> ms < 0).count();
    if (all) {
      report.info("failover: every partition accepted writes %.0f ms after the kill (per partition: min %.0f, median "
          + "%.0f, max %.0f ms); %d probes sent, %d failed", worst, sorted[0], sorted[sorted.length / 2], worst,
          probe.sent(), probe.failed());
    } else {
      report.info("failover: %d of %d partitions still refused writes %d s after the kill", stillFailing,
          recovery.length, settings.failoverLimit().toSeconds());
    }

    long afterStart = System.nanoTime();
    Thread.sleep(STEADY.toMillis());
    Histogram after = loop.interval();
    double opsAfter = after.getTotalCount() / ((System.nanoTime() - afterStart) / 1e9);
    long errors = loop.errorCount() - errorsBefore;
    Map<String, Long> kinds = loop.errors();
    long lastError = loop.lastErrorNanos();
    int left = loop.stop(DRAIN_LIMIT);
    report.info("failover: load %,.0f ops/s before the kill, %,.0f ops/s in the %d s after recovery; %d failed "
            + "writes under load %s, the last %.0f ms after the kill; slowest acknowledged write while recovering %.0f ms",
        opsBefore, opsAfter, STEADY.toSeconds(), errors, kinds,
        lastError > killedAt ? (lastError - killedAt) / 1e6 : 0.0, during.getMaxValue() / 1000.0);
    report.result("failover_ms", all ? Math.round(worst) : -1);
    report.result("failover_errors", errors);
    report.result("failover_ops_before", Math.round(opsBefore));
    report.result("failover_ops_after", Math.round(opsAfter));
    report.result("failover_slowest_write_ms", Math.round(during.getMaxValue() / 1000.0));
    if (left > 0) {
      throw new IllegalStateException("failover: " + left + " requests still unanswered " + DRAIN_LIMIT.toSeconds()
          + " s after the load stopped");
    }
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  /** Threads named {@code name} that do not keep the JVM alive. */
  static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
