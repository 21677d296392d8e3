package dev.cohort.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * A running three-member cluster that the driver, itself one of the members, puts load on. Every
 * method but {@link #close()} and {@link #killMember()} must not block.
 */
interface SystemUnderTest extends AutoCloseable {

  /** The system's name in result lines: {@code cohort} or {@code hazelcast}. */
  String name();

  /** One replicated write of {@code value} to {@code key}; completes when it is acknowledged. */
  CompletionStage<?> put(String key, byte[] value);

  /** One read of {@code key} at the key's owner. */
  CompletionStage<?> get(String key);

  /** One key on each partition, to find out when every partition accepts writes again. */
  List<String> probeKeys();

  /**
   * Kills one member JVM that is not the driver's and owns some partitions, with SIGKILL, and
   * returns once it is gone.
   *
   * @return which member, for the log
   */
  String killMember() throws Exception;

  /** The failure-detection settings the failover figure depends on, for the log. */
  String failureDetection();

  /** Stops every member this system started. */
  @Override
  void close();

  /**
   * The first key found on each of {@code partitions} partitions, by index.
   *
   * @param partitionOf the system's own placement of a key
   */
  static List<String> oneKeyPerPartition(int partitions, ToIntFunction<String> partitionOf) {
    String[] found = new String[partitions];
    int missing = partitions;
    for (int i = 0; missing > 0; i++) {
      String key = "probe-" + i;
      int partition = partitionOf.applyAsInt(key);
      if (found[partition] == null) {
        found[partition] = key;
        missing--;
      }
    }
    return List.of(found);
  }

  /** Writes each probe key until all succeed: every partition serves writes. */
  default void awaitWritable() throws Exception {
    long deadline = System.nanoTime() + BenchSettings.START_TIMEOUT.toNanos();
    byte[] value = new byte[1];
    List<String> pending = new ArrayList<>(probeKeys());
    while (!pending.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("partitions of probe keys " + pending + " accept no writes");
      }
      var attempts = new LinkedHashMap<String, CompletableFuture<?>>();
      pending.forEach(key -> attempts.put(key, put(key, value).toCompletableFuture()));
      pending.clear();
      for (var attempt : attempts.entrySet()) {
        try {
          attempt.getValue().get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
          pending.add(attempt.getKey());
        }
      }
      if (!pending.isEmpty()) {
        Thread.sleep(PROBE_PAUSE_MILLIS);
      }
    }
  }

  /** How long one probe write may take while the cluster forms. */
  long PROBE_TIMEOUT_SECONDS = 10;

  /** Wait between rounds of probe writes. */
  long PROBE_PAUSE_MILLIS = 200;
}
