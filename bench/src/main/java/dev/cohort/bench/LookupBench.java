package dev.cohort.bench;

import dev.cohort.api.KvValue;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Key lookup latency as the data grows: one Cohort node in this JVM ({@link SingleNode}: one
 * partition group, one table, RocksDB, fsync never) is loaded through the put API in steps up to
 * each size of {@code bench.lookup.sizes}; after each step, lookups of keys picked uniformly among
 * all loaded ones are measured at each window of {@code bench.lookup.windows}, each checked against
 * the value its key was given. Prints each step, then the curve of latency by size and whether the
 * target (p99 under 1 ms at window 1) held at every size. Settings: {@link LookupSettings}; run it
 * with bench/lookup.sh.
 *
 * <p>Exit code 0 if every lookup found its key with its value, 1 if one did not (missing, wrong
 * value, or failed) or the run stopped early. A missed target is reported, not an exit code.
 */
public final class LookupBench {
  /** The target of the issue: one lookup at a time answers within 1 ms at the 99th percentile. */
  private static final long TARGET_P99_MICROS = 1000;
  /** The window the target is about: one lookup at a time. */
  private static final int LATENCY_WINDOW = 1;
  /** How long the lookups in flight may take to finish once a measured period ends. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
  private static final double MIB = 1024.0 * 1024.0;

  /** A lookup that found no value for a key that was loaded. */
  private static final class LookupMiss extends RuntimeException {
    LookupMiss(String key) {
      super("no value for loaded key " + key, null, false, false); // counted, not traced
    }
  }

  /** A lookup that found another value than its key was given. */
  private static final class WrongValue extends RuntimeException {
    WrongValue(String key, int length) {
      super("key " + key + " has a " + length + "-byte value that is not the one written", null, false, false);
    }
  }

  /** The lookups of one measured period at one window. */
  private record Measured(int window, Histogram latencies, double seconds, Map<String, Long> errors) {
    double perSecond() {
      return latencies.getTotalCount() / seconds;
    }

    long failed() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** One size: how it loaded, its bytes on disk by subdirectory and its lookups by window. */
  private record Step(int size, KeyLoader.Loaded load, Map<String, Long> disk, Map<Integer, Measured> lookups) {
    long diskTotal() {
      return disk.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final LookupSettings settings;
  private final Report report;
  private final PrintStream out;
  private final SingleNode node;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      Workload.daemon("lookup-retry"));

  private LookupBench(LookupSettings settings, Report report, PrintStream out, SingleNode node) {
    this.settings = settings;
    this.report = report;
    this.out = out;
    this.node = node;
  }

  /**
   * Runs the benchmark as the system properties say ({@link LookupSettings}) and exits with its
   * exit code.
   *
   * @param args not used
   */
  public static void main(String[] args) {
    System.exit(run(System.out));
  }

  private static int run(PrintStream out) {
    var report = new Report("lookup", out);
    try {
      LookupSettings settings = LookupSettings.fromSystemProperties();
      report.info("settings: %s", settings.describe());
      try (SingleNode node = SingleNode.start(settings, report)) {
        var bench = new LookupBench(settings, report, out, node);
        try {
          return bench.steps();
        } finally {
          bench.scheduler.shutdownNow();
          report.info("stopping the node");
        }
      } finally {
        SingleNode.cleanUp(settings, report);
      }
    } catch (Exception | Error e) {
      report.info("FAILED: %s", e);
      e.printStackTrace(out);
      return 1;
    }
  }

  /** Every step, then the curve; returns the exit code. */
  private int steps() throws Exception {
    var steps = new ArrayList<Step>();
    int loaded = 0;
    try {
      for (int size : settings.sizes()) {
        steps.add(step(loaded, size));
        loaded = size;
      }
    } finally {
      // A run that stops at a large size still shows the curve of the sizes it finished.
      if (!steps.isEmpty()) {
        summarize(steps);
      }
    }
    long failed = steps.stream().flatMap(s -> s.lookups().values().stream()).mapToLong(Measured::failed).sum();
    if (failed > 0) {
      report.info("FAILED: %d lookups failed: missing or wrong values, or errors (by kind in the steps above)", failed);
      return 1;
    }
    return 0;
  }

  private Step step(int loaded, int size) throws Exception {
    report.info("load: keys %,d to %,d, %d puts in flight", loaded, size, settings.loadWindow());
    var loader = new KeyLoader(node.table()::put, KeyValueScheme::key, settings.data()::value, settings.loadWindow(),
        scheduler);
    KeyLoader.Loaded load = loader.load(loaded, size, report);
    report.info("load: %,d keys in %.1f s, %,.0f keys/s; %d failed puts (sent again) %s", load.keys(), load.seconds(),
        load.keysPerSecond(), load.errors().values().stream().mapToLong(Long::longValue).sum(), load.errors());
    report.result("load_" + size + "_keys_per_s", Math.round(load.keysPerSecond()));
    var lookups = new LinkedHashMap<Integer, Measured>();
    for (int window : settings.windows()) {
      lookups.put(window, measure(size, window));
    }
    // Measured after the lookups, so that RocksDB had their time to flush and compact what was loaded.
    Map<String, Long> disk = node.diskBytes();
    var step = new Step(size, load, disk, lookups);
    report.info("disk: %,d keys take %.1f MiB in %s (%.0f bytes per key; %s)", size, step.diskTotal() / MIB,
        node.dataDir(), (double) step.diskTotal() / size, disk.entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.1f MiB", e.getKey(), e.getValue() / MIB))
            .collect(Collectors.joining(", ")));
    report.result("disk_" + size + "_bytes", step.diskTotal());
    return step;
  }

  private Measured measure(int size, int window) throws InterruptedException {
    String name = "lookup_" + size + "_w" + window;
    var loop = new ClosedLoop(this::lookup, KeyValueScheme::key, size, window, scheduler);
    report.info("%s: lookups of random keys among %,d, %d in flight; warming up for %.1f s, then measuring for %.1f s",
        name, size, window, settings.warmup().toMillis() / 1000.0, settings.duration().toMillis() / 1000.0);
    ClosedLoop.Period period = loop.warmUpAndMeasure(settings.warmup(), settings.duration());
    Histogram latencies = period.latencies();
    MachineLoad cpuBefore = period.cpuBefore();
    MachineLoad cpuAfter = period.cpuAfter();
    int left = loop.stop(DRAIN_LIMIT);
    // Failures of the warm-up count too: a key missing then is missing all the same.
    var measured = new Measured(window, latencies, period.seconds(), loop.errors());
    report.info("%s: %,.0f lookups/s; latency p50 %d µs, p90 %d µs, p99 %d µs, p99.9 %d µs, max %d µs; "
            + "%d failed lookups (warm-up included) %s; CPU %.2f cores by this JVM, %.2f by other processes (of %d)",
        name, measured.perSecond(), latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(90),
        latencies.getValueAtPercentile(99), latencies.getValueAtPercentile(99.9), latencies.getMaxValue(),
        measured.failed(), measured.errors(), cpuAfter.ownCores(cpuBefore), cpuAfter.otherCores(cpuBefore),
        Runtime.getRuntime().availableProcessors());
    report.result(name + "_ops", Math.round(measured.perSecond()));
    report.result(name + "_p50_us", latencies.getValueAtPercentile(50));
    report.result(name + "_p90_us", latencies.getValueAtPercentile(90));
    report.result(name + "_p99_us", latencies.getValueAtPercentile(99));
    report.result(name + "_p999_us", latencies.getValueAtPercentile(99.9));
    report.result(name + "_max_us", latencies.getMaxValue());
    report.result(name + "_failed", measured.failed());
    if (left > 0) {
      throw new IllegalStateException(name + ": " + left + " lookups still unanswered " + DRAIN_LIMIT.toSeconds()
          + " s after the load stopped");
    }
    return measured;
  }

  /** One lookup, failed unless it found exactly the value its key was given. */
  private CompletionStage<?> lookup(String key) {
    return node.table().get(key, settings.consistency()).thenApply(found -> check(key, found));
  }

  private byte[] check(String key, Optional<KvValue> found) {
    byte[] value = found.orElseThrow(() -> new LookupMiss(key)).value();
    if (!Arrays.equals(value, settings.data().valueOf(key))) {
      throw new WrongValue(key, value.length);
    }
    return value;
  }

  /** The curve, one line per size and window, the load and disk figures, and the target. */
  private void summarize(List<Step> steps) {
    String consistency = settings.consistencyName();
    for (int window : settings.windows()) {
      out.printf(Locale.ROOT, "%n== lookup latency by data size, window %d (%s), µs%n", window,
          window == LATENCY_WINDOW ? "one lookup at a time, " + consistency : window + " lookups in flight, " + consistency);
      for (Step step : steps) {
        Histogram h = step.lookups().get(window).latencies();
        out.printf(Locale.ROOT, "lookup %d keys p50=%d p99=%d p999=%d us%n", step.size(), h.getValueAtPercentile(50),
            h.getValueAtPercentile(99), h.getValueAtPercentile(99.9));
      }
      Step first = steps.get(0);
      Step last = steps.get(steps.size() - 1);
      if (steps.size() > 1) {
        out.printf(Locale.ROOT, "growth from %d to %d keys (%.0fx the keys): p50 %.2fx, p99 %.2fx, p99.9 %.2fx%n",
            first.size(), last.size(), (double) last.size() / first.size(), growth(first, last, window, 50),
            growth(first, last, window, 99), growth(first, last, window, 99.9));
      }
    }
    out.printf(Locale.ROOT, "%n== load and data on disk by size%n");
    out.printf(Locale.ROOT, "  %12s %14s %14s %14s  %s%n", "keys", "load keys/s", "on disk MiB", "bytes/key",
        "lookups/s by window");
    for (Step step : steps) {
      out.printf(Locale.ROOT, "  %12d %14.0f %14.1f %14.0f  %s%n", step.size(), step.load().keysPerSecond(),
          step.diskTotal() / MIB, (double) step.diskTotal() / step.size(), step.lookups().values().stream()
              .map(m -> String.format(Locale.ROOT, "w%d %.0f", m.window(), m.perSecond()))
              .collect(Collectors.joining(", ")));
    }
    out.println();
    if (!settings.windows().contains(LATENCY_WINDOW)) {
      out.printf(Locale.ROOT, "target p99 < %d us at window %d: not measured (bench.lookup.windows has no window %d)%n",
          TARGET_P99_MICROS, LATENCY_WINDOW, LATENCY_WINDOW);
    } else {
      boolean met = steps.stream().allMatch(s -> p99(s) < TARGET_P99_MICROS);
      out.printf(Locale.ROOT, "target p99 < %d us at window %d at every size: %s (%s)%n", TARGET_P99_MICROS,
          LATENCY_WINDOW, met ? "met" : "NOT met", steps.stream()
              .map(s -> String.format(Locale.ROOT, "%d keys: p99 %d us %s", s.size(), p99(s),
                  p99(s) < TARGET_P99_MICROS ? "met" : "NOT met"))
              .collect(Collectors.joining(", ")));
    }
    out.flush();
  }

  private static long p99(Step step) {
    return step.lookups().get(LATENCY_WINDOW).latencies().getValueAtPercentile(99);
  }

  private static double growth(Step first, Step last, int window, double percentile) {
    return (double) last.lookups().get(window).latencies().getValueAtPercentile(percentile)
        / first.lookups().get(window).latencies().getValueAtPercentile(percentile);
  }
}
