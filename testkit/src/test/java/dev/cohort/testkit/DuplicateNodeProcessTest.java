package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.cohort.node.CohortNode;
import dev.cohort.node.Main;
import dev.cohort.partitioning.PartitionTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node process started with a name a live member holds is refused and exits non-zero, saying why. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DuplicateNodeProcessTest {

  @Test
  void givenARunningCluster_whenANodeProcessStartsWithATakenName_thenItExitsWithRefusedAndSaysWhy(@TempDir Path dir)
      throws Exception {
    try (TestCluster cluster = PartitionTableClusterTest.threeNodes()) {
      PartitionTable before = cluster.awaitTableAgreement();
      CohortNode holder = cluster.node("node-b");
      Path config = dir.resolve("node-b-again.conf");
      String seed = cluster.node("node-a").address().toString();
      Files.writeString(config, ConfigFactory.parseString("pekko.cluster.seed-nodes = [\"" + seed + "\"]")
          .withFallback(cluster.configOf("node-b"))
          .root().render(ConfigRenderOptions.concise().setFormatted(true)));
      Path log = dir.resolve("node-b-again.log");

      Process process = new ProcessBuilder(List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
              "-cp", System.getProperty("java.class.path"), Main.class.getName(), "node", "--config", config.toString()))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      boolean exited = process.waitFor(90, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);

      assertTrue(exited, "the refused node process exits by itself:\n" + output);
      assertEquals(Main.REFUSED, process.exitValue(), output);
      assertTrue(output.contains("cohort: refused to join: node name 'node-b' is already taken by live member "
          + holder.address()), output);
      assertFalse(holder.system().whenTerminated().isCompleted(), "the holder keeps running");
      assertEquals(before, cluster.awaitTableAgreement(), "the partition table is untouched");
    }
  }
}
