package dev.cohort.node.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code cohort demo}, the README's main job, run as a user runs it (three node JVMs). */
class DemoCommandTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theDemoFormsAThreeNodeCluster_printsTheTable_andStopsTheNodes() {
    String previous = System.setProperty("cohort.home", "..");
    try {
      CommandOutput output = CommandOutput.run("demo");

      assertEquals(0, output.exitCode(), output.out() + output.err());
      assertTrue(output.out().contains("3 members Up"), output.out());
      assertTrue(output.out().contains("accounts#11"), output.out());
      assertTrue(output.out().contains("audit#2"), output.out());
      for (String node : new String[] {"node-a", "node-b", "node-c"}) {
        assertTrue(output.out().contains(node + " (pid"), "stopped " + node + ": " + output.out());
      }
      assertTrue(output.out().contains("Demo done."), output.out());
    } finally {
      if (previous == null) {
        System.clearProperty("cohort.home");
      } else {
        System.setProperty("cohort.home", previous);
      }
    }
  }
}
