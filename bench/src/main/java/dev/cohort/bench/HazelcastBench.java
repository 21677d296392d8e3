package dev.cohort.bench;

/**
 * The Hazelcast side of the benchmark: starts three Hazelcast 5.5 members on loopback (the first
 * in this JVM, the other two as JVMs of their own), drives the same load as {@link CohortBench}
 * through {@code IMap.setAsync} / {@code getAsync} from this JVM and prints the figures.
 */
public final class HazelcastBench {
  private HazelcastBench() {}

  public static void main(String[] args) {
    HazelcastConfigs.prepareJvm();
    System.exit(Drivers.run("hazelcast", HazelcastCluster::start));
  }
}
