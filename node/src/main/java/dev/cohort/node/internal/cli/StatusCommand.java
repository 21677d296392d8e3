package dev.cohort.node.internal.cli;

import dev.cohort.node.Main;
import dev.cohort.node.http.ClusterJson;
import dev.cohort.node.http.MemberJson;
import dev.cohort.node.http.NodeHttpClient;
import dev.cohort.node.http.QuorumJson;
import dev.cohort.node.http.TableJson;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code cohort status [--http HOST:PORT]}: a running node's cluster, quorum and partitions. */
public final class StatusCommand {
  /** The default node to ask: the HTTP API's default address (cohort.http in reference.conf). */
  static final String DEFAULT_HTTP = "127.0.0.1:8080";

  private StatusCommand() {}

  /** Prints the status; returns the exit code. */
  public static int run(Arguments arguments) {
    var client = new NodeHttpClient(arguments.option("http").orElse(DEFAULT_HTTP));
    arguments.requireAllUsed();
    try {
      ClusterJson cluster = client.cluster();
      TableJson table = client.partitions();
      print(cluster, table, System.out);
      return 0;
    } catch (IOException e) {
      System.err.printf("cohort: cannot read a Cohort node at %s (%s); is a node running there? "
          + "Start one with 'bin/cohort node --config FILE' or pass --http HOST:PORT%n", client.base(), e);
      return Main.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.FAILED;
    }
  }

  /** Prints members, quorum and the partition table. */
  static void print(ClusterJson cluster, TableJson table, PrintStream out) {
    out.printf("Node %s; coordinator %s%n%n", cluster.self(), cluster.coordinator() == null ? "(none)" : cluster.coordinator());
    var members = new ArrayList<List<String>>();
    members.add(List.of("MEMBER", "STATUS", "REACHABLE", "GROUPS", "LOCATION", "ADDRESS"));
    for (MemberJson m : cluster.members()) {
      members.add(List.of(
          m.name() == null ? "-" : m.name(),
          m.status(),
          m.reachable() ? "yes" : "NO",
          String.join(",", m.groups()),
          m.locationCode() == null ? "-" : m.locationCode(),
          m.address()));
    }
    TablePrinter.printRows(members, out);
    out.println();
    var quorum = new ArrayList<List<String>>();
    quorum.add(List.of("NODE GROUP", "QUORUM", "NEEDED", "SEEN"));
    for (QuorumJson q : cluster.quorum()) {
      quorum.add(List.of(q.group(), q.present() ? "yes" : "LOST", Integer.toString(q.needed()), String.join(", ", q.seen())));
    }
    TablePrinter.printRows(quorum, out);
    out.printf("%nPartition table version %d%n", table.version());
    TablePrinter.printPartitions(table, out);
    out.println();
    TablePrinter.printNodeCounts(table, out);
  }
}
