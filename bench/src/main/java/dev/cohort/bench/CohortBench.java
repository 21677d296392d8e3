package dev.cohort.bench;

/**
 * The Cohort side of the benchmark: starts three Cohort nodes on loopback (the first in this JVM,
 * the other two as JVMs of their own), drives the load from this JVM through the Java API and prints
 * the figures. Settings are system properties ({@link BenchSettings}); {@code
 * bench.cohort.storage=rocksdb} keeps the partitions on disk (the {@code cohort-durable} side).
 */
public final class CohortBench {
  private CohortBench() {}

  public static void main(String[] args) {
    System.exit(Drivers.run(CohortCluster.sideName(), CohortCluster::start));
  }
}
