package dev.cohort.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.List;

/** The Hazelcast member configuration of the benchmark, the same in every member JVM. */
final class HazelcastConfigs {
  static final String MAP = "bench";
  /**
   * JVM options Hazelcast 5.5 asks for on Java 17 (module access for its internals); not heap or
   * GC options, which stay the same as Cohort's.
   */
  static final List<String> MODULE_OPTIONS = List.of(
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private HazelcastConfigs() {}

  /**
   * Before any Hazelcast class logs: through SLF4J (logback, like Cohort), and no phone-home call
   * (this machine reaches no such host; nothing may try).
   */
  static void prepareJvm() {
    System.setProperty("hazelcast.logging.type", "slf4j");
    System.setProperty("hazelcast.phone.home.enabled", "false");
  }

  /**
   * A member on 127.0.0.1:{@code port} that joins the others by TCP/IP on loopback (no multicast,
   * no auto-detection), with map {@value #MAP}: one synchronous backup, no async backup, binary
   * values (Hazelcast's defaults besides the backup count, which is 1 by default too).
   *
   * @param port this member's port
   * @param ports every member's port
   * @param partitions Hazelcast's partition count
   */
  static Config member(int port, List<Integer> ports, int partitions) {
    var config = new Config();
    config.setClusterName("cohort-bench");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.partition.count", Integer.toString(partitions));
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getJetConfig().setEnabled(false);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int member : ports) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + member);
    }
    config.getMapConfig(MAP).setBackupCount(1).setAsyncBackupCount(0);
    return config;
  }
}
