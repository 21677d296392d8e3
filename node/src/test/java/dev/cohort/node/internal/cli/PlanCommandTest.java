package dev.cohort.node.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.node.Main;
import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cohort plan} on the five-node example configuration (tests run in the node module's folder). */
class PlanCommandTest {
  private static final String CONFIG = "../conf/examples/five-nodes.conf";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void givenThreeLiveNodes_thePlanPlacesEveryPartitionOnThreeDistinctNodes_balanced() throws IOException {
    CommandOutput output = CommandOutput.run("plan", "--config", CONFIG, "--nodes", "n1,n2,n3", "--json");

    assertEquals(0, output.exitCode(), output.err());
    TableJson plan = JSON.readValue(output.out(), TableJson.class);
    assertEquals(271, plan.partitions().size());
    var actives = new TreeMap<String, Integer>();
    for (PartitionJson p : plan.partitions()) {
      var nodes = new HashSet<String>(p.replicas());
      nodes.add(p.active());
      assertEquals(3, nodes.size(), "active and two replicas on distinct nodes: " + p);
      assertTrue(Set.of("n1", "n2", "n3").containsAll(nodes), p.toString());
      actives.merge(p.active(), 1, Integer::sum);
    }
    assertTrue(actives.values().stream().allMatch(n -> n == 90 || n == 91), "actives per node: " + actives);
    assertEquals(271, plan.activeChanges());
  }

  @Test
  void givenAPreviousPlan_whenANodeJoins_theNextTableMovesDataFirst(@TempDir Path dir) throws IOException {
    Path three = dir.resolve("three.json");
    Files.writeString(three, CommandOutput.run("plan", "--config", CONFIG, "--nodes", "n1,n2,n3", "--json").out());

    CommandOutput output = CommandOutput.run(
        "plan", "--config", CONFIG, "--nodes", "n1,n2,n3,n4", "--previous", three.toString(), "--json");

    assertEquals(0, output.exitCode(), output.err());
    TableJson four = JSON.readValue(output.out(), TableJson.class);
    assertEquals(2, four.version());
    assertEquals(0, four.activeChanges(), "no active moves to n4 before n4 holds the data");
    assertTrue(four.moves() > 0, "the new node receives data");
    assertTrue(four.partitions().stream().anyMatch(p -> p.target() != null && p.target().get(0).equals("n4")),
        "some partitions are on their way to n4 as active");
  }

  @Test
  void theReadableFormPrintsPartitionsAndCountsPerNode() {
    CommandOutput output = CommandOutput.run("plan", "--config", CONFIG, "--nodes", "n1,n2");

    assertEquals(0, output.exitCode(), output.err());
    assertTrue(output.out().contains("accounts#270"), output.out());
    assertTrue(output.out().contains("NODE  ACTIVES  REPLICAS"), output.out());
  }

  @Test
  void anUnknownLiveNodeIsRefusedNamingIt() {
    CommandOutput output = CommandOutput.run("plan", "--config", CONFIG, "--nodes", "n1,n9");

    assertEquals(Main.BAD_INPUT, output.exitCode());
    assertTrue(output.err().contains("--nodes: 'n9' is not in cohort.nodes [n1, n2, n3, n4, n5]"), output.err());
  }

  @Test
  void aMissingConfigFileOrUnknownOptionIsRefused() {
    assertEquals(Main.BAD_INPUT, CommandOutput.run("plan", "--config", "no-such.conf").exitCode());
    CommandOutput unknown = CommandOutput.run("plan", "--config", CONFIG, "--node", "n1");
    assertEquals(Main.BAD_INPUT, unknown.exitCode());
    assertTrue(unknown.err().contains("unknown option --node"), unknown.err());
  }

  @Test
  void anInvalidConfigurationIsRefusedNamingTheKey(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("bad.conf");
    Files.writeString(config, """
        cohort.nodes { n1 { groups = [ledger] }, n2 { groups = [ledger] } }
        cohort.clusters.main.node-groups = [ledger]
        cohort.partition-groups.accounts { cluster = main, replicas = 2 }
        """);

    CommandOutput output = CommandOutput.run("plan", "--config", config.toString());

    assertEquals(Main.BAD_INPUT, output.exitCode());
    assertTrue(output.err().contains("cohort.partition-groups.accounts.replicas"), output.err());
  }
}
