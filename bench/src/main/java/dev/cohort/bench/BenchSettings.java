package dev.cohort.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * What one benchmark run does, from system properties (so a smoke run can be short). Both sides
 * read the same properties, so Cohort and Hazelcast see the same load.
 *
 * @param jvmWarmup {@code bench.jvm-warmup}: put load at the largest put window before the first
 *     phase, not recorded, so that the phases measure compiled code rather than the JIT compiler at
 *     work (0 s: none)
 * @param warmup {@code bench.warmup}: load before each measured phase, not recorded
 * @param duration {@code bench.duration}: how long each phase is measured
 * @param putWindows {@code bench.windows}: requests kept in flight by the put phases
 * @param getWindows {@code bench.get.windows}: requests kept in flight by the get phases
 * @param failoverWindow {@code bench.failover.window}: the put load running while a member is killed
 * @param failoverLimit {@code bench.failover.limit}: how long to wait for every partition to accept writes
 * @param keys {@code bench.keys}: the key space, each request picks a key at random
 * @param valueBytes {@code bench.value.bytes}: the size of every written value
 * @param nodeJvmOptions {@code bench.jvm.options}: the options of the member JVMs the driver starts
 *     (bench/run.sh passes the driver's own, so that every JVM runs with the same heap and GC)
 * @param directory {@code bench.dir}: configuration files and member logs
 */
record BenchSettings(
    Duration jvmWarmup,
    Duration warmup,
    Duration duration,
    List<Integer> putWindows,
    List<Integer> getWindows,
    int failoverWindow,
    Duration failoverLimit,
    int keys,
    int valueBytes,
    List<String> nodeJvmOptions,
    Path directory) {

  /** How long the member JVMs may take to form a cluster. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  BenchSettings {
    if (jvmWarmup.isNegative() || keys < 1 || valueBytes < 0 || failoverWindow < 0
        || putWindows.stream().anyMatch(w -> w < 1) || getWindows.stream().anyMatch(w -> w < 1)) {
      throw new IllegalArgumentException("bench.jvm-warmup must not be negative, bench.keys at least 1, "
          + "bench.value.bytes at least 0, every window at least 1 and bench.failover.window at least 0 (0: no "
          + "failover phase)");
    }
  }

  static BenchSettings fromSystemProperties() {
    return new BenchSettings(
        seconds("bench.jvm-warmup", 30),
        seconds("bench.warmup", 5),
        seconds("bench.duration", 10),
        ints("bench.windows", "1,16,128,1024"),
        ints("bench.get.windows", "1,128"),
        Integer.parseInt(System.getProperty("bench.failover.window", "128")),
        seconds("bench.failover.limit", 60),
        Integer.parseInt(System.getProperty("bench.keys", "100000")),
        Integer.parseInt(System.getProperty("bench.value.bytes", "200")),
        memberJvmOptions(),
        Path.of(System.getProperty("bench.dir", "bench/target/run")).toAbsolutePath());
  }

  /**
   * The options of the member JVMs a driver starts, from {@code bench.jvm.options} (default {@code
   * -Xms1g -Xmx1g}); the scripts pass the driver's own, so that every JVM runs with the same heap and GC.
   */
  static List<String> memberJvmOptions() {
    return Arrays.stream(System.getProperty("bench.jvm.options", "-Xms1g -Xmx1g").trim().split("\\s+"))
        .filter(s -> !s.isEmpty()).toList();
  }

  /**
   * The directory of one run of a benchmark from {@code bench.dir}, by default a new one under
   * bench/target named after the benchmark and the time ({@code bench/target/lookup-20261123-011500}).
   */
  static Path runDirectory(String benchmark) {
    String fallback = "bench/target/" + benchmark + "-" + LocalDateTime.now().format(RUN_TIME);
    return Path.of(System.getProperty("bench.dir", fallback)).toAbsolutePath();
  }

  /** System property {@code property} in seconds (fractions allowed), {@code fallback} if unset. */
  static Duration seconds(String property, double fallback) {
    double value = Double.parseDouble(System.getProperty(property, Double.toString(fallback)));
    return Duration.ofMillis(Math.round(value * 1000));
  }

  /** System property {@code property} as comma-separated integers, {@code fallback} if unset; blank: none. */
  static List<Integer> ints(String property, String fallback) {
    String value = System.getProperty(property, fallback).trim();
    if (value.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  /** The keys of the key space, {@code key-0000000} and on. */
  String[] keySpace() {
    String[] all = new String[keys];
    for (int i = 0; i < keys; i++) {
      all[i] = String.format("key-%07d", i);
    }
    return all;
  }

  /** A value of {@link #valueBytes()} bytes; the same array serves every write. */
  byte[] value() {
    byte[] value = new byte[valueBytes];
    new java.util.Random(42).nextBytes(value);
    return value;
  }

  String describe() {
    return String.format("warm-up %.1f s, measure %.1f s per phase; put windows %s, get windows %s; failover at window "
            + "%d (limit %d s); %d keys, %d-byte values; member JVM options %s",
        warmup.toMillis() / 1000.0, duration.toMillis() / 1000.0, putWindows, getWindows, failoverWindow,
        failoverLimit.toSeconds(), keys, valueBytes, String.join(" ", nodeJvmOptions));
  }
}
