package dev.cohort.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.cohort.node.CohortNode;
import dev.cohort.node.http.NodeHttpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One declared node of a {@link ProcessCluster}: its configuration (all but the seed nodes), the
 * file it starts from, and the two loopback ports it keeps for life, so that every incarnation
 * runs at the same address.
 *
 * @param name the node's name
 * @param config its configuration without {@code pekko.cluster.seed-nodes}
 * @param configFile the file {@link #writeConfig} writes
 * @param address its Pekko address, {@code pekko://<system>@127.0.0.1:<port>}
 * @param http a client of its HTTP API
 */
record ProcessNode(String name, Config config, Path configFile, String address, NodeHttpClient http) {
  private static final String LOOPBACK = "127.0.0.1";

  /**
   * The nodes of a cluster laid out in {@code dir}, in declaration order. Each node's configuration
   * is, from the top: what the cluster owns (name, ports, loopback), the node's own HOCON, the
   * shared HOCON, {@code cohort-process-test.conf}, the roster, {@code cohort-test.conf}.
   *
   * @param roster each node's roster entry, as HOCON ({@code { groups = [..], zone = ".." }})
   * @param shared HOCON every node runs with, earlier entries below later ones
   * @param overrides each node's own HOCON, likewise
   */
  static Map<String, ProcessNode> layOut(ClusterBuilder<?> declared, Path dir, Duration httpTimeout) throws IOException {
    Config base = declared.base(
        ConfigFactory.parseResources(ProcessNode.class.getClassLoader(), "cohort-process-test.conf"));
    String systemName = CohortNode.loadConfig(base).getString("cohort.system-name");
    List<String> names = declared.names();
    List<Integer> ports = freePorts(2 * names.size());

    var nodes = new LinkedHashMap<String, ProcessNode>();
    int next = 0;
    for (String name : names) {
      int clusterPort = ports.get(next++);
      int httpPort = ports.get(next++);
      // On top, so that the node runs at the address the cluster chose whatever the test says.
      Config owned = ConfigFactory.parseMap(Map.of(
          "cohort.node.name", name,
          "cohort.http.bind-address", LOOPBACK,
          "cohort.http.port", httpPort,
          "cohort.storage.dir", dir.resolve("data").toString(),
          "pekko.remote.artery.canonical.hostname", LOOPBACK,
          "pekko.remote.artery.canonical.port", clusterPort));
      Config config = owned.withFallback(declared.overrides(name)).withFallback(base);
      nodes.put(name, new ProcessNode(name, config, dir.resolve(name + ".conf"),
          "pekko://" + systemName + "@" + LOOPBACK + ":" + clusterPort,
          new NodeHttpClient(LOOPBACK + ":" + httpPort, httpTimeout)));
    }
    return nodes;
  }

  /** Writes {@link #configFile()}: the node's configuration with {@code seeds} as its seed nodes. */
  void writeConfig(List<String> seeds) throws IOException {
    Config full = ConfigFactory.parseMap(Map.of("pekko.cluster.seed-nodes", seeds)).withFallback(config);
    Files.writeString(configFile, "# Written by ProcessCluster for node " + name + "\n"
        + full.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
  }

  /**
   * Distinct free loopback ports: each socket stays bound until all are chosen, so none is handed
   * out twice. Another program may still take one before its node binds it.
   */
  private static List<Integer> freePorts(int count) throws IOException {
    var sockets = new ArrayList<ServerSocket>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
