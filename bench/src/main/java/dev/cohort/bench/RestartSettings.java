package dev.cohort.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one run of {@link RestartBench} does, from system properties.
 *
 * @param keys {@code bench.restart.keys}: how many keys are loaded before the restart
 * @param loadWindow {@code bench.restart.load.window}: puts kept in flight while loading
 * @param writeWindow {@code bench.restart.write.window}: puts kept in flight (rewriting loaded keys with
 *     their own values) from just before the kill until the node is back in sync; 0 for none
 * @param pause {@code bench.restart.pause}: from the kill to the restart
 * @param limit {@code bench.restart.limit}: how long the restarted node may take to be back in sync
 *     before the run fails
 * @param node {@code bench.restart.node}: the node JVM to kill and restart; empty (the default) for
 *     the one holding the most partition copies
 * @param verifyKeys {@code bench.restart.verify.keys}: random loaded keys read back once the node is
 *     back, each checked against its value
 * @param data {@code bench.value.bytes} and {@code bench.seed}: the keys and values loaded
 * @param nodeJvmOptions {@code bench.jvm.options}: the options of the node JVMs, the restarted one's too
 * @param directory {@code bench.dir}: configuration, node logs and data (its {@code data} emptied at the start)
 * @param keepData {@code bench.restart.keep-data}: leave the nodes' data on disk at the end (by
 *     default it is deleted: with 10M keys it takes several GB)
 */
record RestartSettings(
    int keys,
    int loadWindow,
    int writeWindow,
    Duration pause,
    Duration limit,
    Optional<String> node,
    int verifyKeys,
    KeyValueScheme data,
    List<String> nodeJvmOptions,
    Path directory,
    boolean keepData) {

  RestartSettings {
    nodeJvmOptions = List.copyOf(nodeJvmOptions);
    if (keys < 1 || loadWindow < 1 || writeWindow < 0 || verifyKeys < 0) {
      throw new IllegalArgumentException("bench.restart.keys and bench.restart.load.window must be at least 1, "
          + "bench.restart.write.window and bench.restart.verify.keys at least 0");
    }
    if (node.isPresent() && !CohortCluster.PROCESS_NODES.contains(node.get())) {
      throw new IllegalArgumentException("bench.restart.node must name a node JVM, one of "
          + CohortCluster.PROCESS_NODES + "; got " + node.get());
    }
    if (pause.isNegative() || limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException(
          "bench.restart.pause must be at least 0 s and bench.restart.limit more than 0 s");
    }
  }

  static RestartSettings fromSystemProperties() {
    return new RestartSettings(
        Integer.parseInt(System.getProperty("bench.restart.keys", "10000000")),
        Integer.parseInt(System.getProperty("bench.restart.load.window", "1024")),
        Integer.parseInt(System.getProperty("bench.restart.write.window", "16")),
        BenchSettings.seconds("bench.restart.pause", 5),
        BenchSettings.seconds("bench.restart.limit", 300),
        Optional.of(System.getProperty("bench.restart.node", "").trim()).filter(name -> !name.isEmpty()),
        Integer.parseInt(System.getProperty("bench.restart.verify.keys", "10000")),
        KeyValueScheme.fromSystemProperties(),
        BenchSettings.memberJvmOptions(),
        BenchSettings.runDirectory("restart"),
        Boolean.parseBoolean(System.getProperty("bench.restart.keep-data", "false")));
  }

  /** The settings in one line, for the output. */
  String describe() {
    return String.format(Locale.ROOT, "%,d keys of %d-byte values (seed %d), loaded %d puts in flight; %s; "
            + "kill -9 of %s, restart %.1f s later, back in sync within %.0f s or the run fails; %,d keys read "
            + "back; node JVM options %s; directory %s (data %s at the end)",
        keys, data.valueBytes(), data.seed(), loadWindow,
        writeWindow == 0 ? "no writes during the restart"
            : writeWindow + " puts in flight from the kill until back in sync",
        node.orElse("the node JVM holding the most partition copies"), pause.toMillis() / 1000.0,
        limit.toMillis() / 1000.0, verifyKeys, String.join(" ", nodeJvmOptions), directory,
        keepData ? "kept" : "deleted");
  }
}
