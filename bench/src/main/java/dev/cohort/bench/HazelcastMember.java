package dev.cohort.bench;

import com.hazelcast.core.Hazelcast;
import java.util.Arrays;
import java.util.List;

/**
 * One Hazelcast member in a JVM of its own, started by {@link HazelcastBench}: {@code
 * HazelcastMember <port> <all ports, comma-separated> <partition count>}. Runs until the JVM is
 * stopped (SIGTERM shuts the member down through Hazelcast's shutdown hook) or killed.
 */
public final class HazelcastMember {
  private HazelcastMember() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: HazelcastMember <port> <port,port,...> <partitions>");
      System.exit(2);
    }
    HazelcastConfigs.prepareJvm();
    int port = Integer.parseInt(args[0]);
    List<Integer> ports = Arrays.stream(args[1].split(",")).map(Integer::parseInt).toList();
    Hazelcast.newHazelcastInstance(HazelcastConfigs.member(port, ports, Integer.parseInt(args[2])));
    System.out.println("hazelcast member started on 127.0.0.1:" + port);
    Thread.currentThread().join();
  }
}
