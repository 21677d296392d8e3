package dev.cohort.bench;

import java.util.List;
import java.util.concurrent.CompletionStage;

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
}
