package dev.cohort.bench;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a driver prints: progress lines for people and, for bench/run.sh, one machine-readable line
 * per figure: {@code RESULT <system> <measure> <value>}.
 */
final class Report {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final String system;
  private final PrintStream out;

  Report(String system, PrintStream out) {
    this.system = system;
    this.out = out;
  }

  /** A progress line, stamped with the time of day. */
  void info(String format, Object... args) {
    out.printf(Locale.ROOT, "%s [%s] %s%n", LocalTime.now().format(TIME), system, String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** One figure. */
  void result(String measure, double value) {
    String text = value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    out.printf(Locale.ROOT, "RESULT %s %s %s%n", system, measure, text);
    out.flush();
  }

  /** The figures of one measured phase: throughput, latency percentiles (µs) and errors. */
  void phase(String name, Histogram latencies, double seconds, long errors) {
    double ops = latencies.getTotalCount() / seconds;
    info("%s: %,.0f ops/s; latency p50 %d µs, p99 %d µs, p99.9 %d µs, max %d µs; %d errors", name, ops,
        latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(99),
        latencies.getValueAtPercentile(99.9), latencies.getMaxValue(), errors);
    result(name + "_ops", Math.round(ops));
    result(name + "_p50_us", latencies.getValueAtPercentile(50));
    result(name + "_p99_us", latencies.getValueAtPercentile(99));
    result(name + "_p999_us", latencies.getValueAtPercentile(99.9));
    result(name + "_errors", errors);
  }
}
