package dev.cohort.bench;

import dev.cohort.api.ReadConsistency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one run of {@link LookupBench} does, from system properties, and the data it loads ({@link
 * #data()}), so that a lookup can check what it read without the benchmark holding the data set.
 *
 * @param sizes {@code bench.lookup.sizes}: the key counts to load up to, one step each, increasing
 * @param warmup {@code bench.warmup}: lookups before each measured period, not recorded
 * @param duration {@code bench.duration}: how long lookups are measured, per size and window
 * @param windows {@code bench.lookup.windows}: lookups kept in flight, one measured period each; 1 is
 *     the latency of one lookup at a time, the figure the target is about
 * @param loadWindow {@code bench.lookup.load.window}: puts kept in flight while loading
 * @param data {@code bench.value.bytes} and {@code bench.seed}: the keys and values loaded
 * @param partitions {@code bench.lookup.partitions}: partitions of the one partition group
 * @param consistency {@code bench.lookup.consistency}: {@code linearizable} (at the active, after it
 *     confirmed it still is) or {@code any-replica} (this node's own copy, without confirming)
 * @param directory {@code bench.dir}: the node's configuration and data (emptied at the start)
 * @param keepData {@code bench.lookup.keep-data}: leave the node's data on disk at the end (by
 *     default it is deleted: at the largest sizes it takes tens of GB)
 */
record LookupSettings(
    List<Integer> sizes,
    Duration warmup,
    Duration duration,
    List<Integer> windows,
    int loadWindow,
    KeyValueScheme data,
    int partitions,
    ReadConsistency consistency,
    Path directory,
    boolean keepData) {

  LookupSettings {
    sizes = List.copyOf(sizes);
    windows = List.copyOf(windows);
    if (sizes.isEmpty() || sizes.get(0) < 1) {
      throw new IllegalArgumentException("bench.lookup.sizes must list at least one key count, each at least 1");
    }
    for (int i = 1; i < sizes.size(); i++) {
      if (sizes.get(i) <= sizes.get(i - 1)) {
        throw new IllegalArgumentException("bench.lookup.sizes must grow from one step to the next, got " + sizes);
      }
    }
    if (windows.isEmpty() || windows.stream().anyMatch(w -> w < 1)) {
      throw new IllegalArgumentException("bench.lookup.windows must list at least one window, each at least 1");
    }
    if (loadWindow < 1 || partitions < 1) {
      throw new IllegalArgumentException("bench.lookup.load.window and bench.lookup.partitions must be at least 1");
    }
  }

  static LookupSettings fromSystemProperties() {
    String consistency = System.getProperty("bench.lookup.consistency", "linearizable");
    return new LookupSettings(
        BenchSettings.ints("bench.lookup.sizes", "1000000,10000000"),
        BenchSettings.seconds("bench.warmup", 5),
        BenchSettings.seconds("bench.duration", 20),
        BenchSettings.ints("bench.lookup.windows", "1,16"),
        Integer.parseInt(System.getProperty("bench.lookup.load.window", "1024")),
        KeyValueScheme.fromSystemProperties(),
        Integer.parseInt(System.getProperty("bench.lookup.partitions", Integer.toString(CohortCluster.PARTITIONS))),
        switch (consistency) {
          case "linearizable" -> ReadConsistency.LINEARIZABLE;
          case "any-replica" -> ReadConsistency.ANY_REPLICA;
          default -> throw new IllegalArgumentException(
              "bench.lookup.consistency must be linearizable or any-replica, got '" + consistency + "'");
        },
        BenchSettings.runDirectory("lookup"),
        Boolean.parseBoolean(System.getProperty("bench.lookup.keep-data", "false")));
  }

  /** The consistency as {@code bench.lookup.consistency} names it. */
  String consistencyName() {
    return consistency.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  String describe() {
    return String.format(Locale.ROOT, "sizes %s keys; %d-byte values (seed %d); load window %d; lookups %s at "
            + "windows %s, warm-up %.1f s, measure %.1f s per size and window; %d partitions; directory %s "
            + "(data %s at the end)",
        sizes, data.valueBytes(), data.seed(), loadWindow, consistencyName(), windows,
        warmup.toMillis() / 1000.0, duration.toMillis() / 1000.0, partitions, directory, keepData ? "kept" : "deleted");
  }
}
