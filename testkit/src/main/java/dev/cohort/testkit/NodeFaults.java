package dev.cohort.testkit;

import java.time.Duration;
import java.util.Set;

/**
 * Faults that strike one node: a crash, a pause, and their remedies. {@link TestCluster} (nodes in
 * one JVM) and {@code ProcessCluster} (a JVM per node) both offer them, so a nemesis schedule can
 * run against either.
 */
public interface NodeFaults {
  /** The names of every node the cluster declares, running or not. */
  Set<String> declaredNodes();

  /** The names of the nodes that run now (crashed nodes excluded; paused ones included). */
  Set<String> runningNodes();

  /** The node vanishes without a goodbye, as a killed process would: no graceful leave. */
  void crash(String node);

  /** Starts a crashed node again with the same name and joins it to the running nodes. */
  void restart(String node);

  /** The node stops processing anything for a while, as under a long GC pause or SIGSTOP. */
  void pause(String node);

  /** A paused node carries on where it stopped. */
  void resume(String node);

  /**
   * Waits until the running nodes see each other Up and reachable and hold one settled partition
   * table.
   *
   * @throws AssertionError if that does not happen within {@code timeout}
   */
  void awaitAgreement(Duration timeout);
}
