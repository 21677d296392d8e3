package dev.cohort.node.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code cohort demo}, the README's main job, run as a user runs it (three node JVMs). */
class DemoCommandTest {
  /** A progress line: elapsed seconds, live nodes, ops/s, p50, p99, errors. */
  private static final Pattern PROGRESS =
      Pattern.compile("^\\s+(\\d+)s\\s+([0-9])\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+).*$");
  private static final Pattern KILL = Pattern.compile("KILL -9 (node-[abc]) \\(pid \\d+\\)");
  /** About 20 s of workload, one line a second; the failover may make it longer, never shorter. */
  private static final int MIN_PROGRESS_LINES = 18;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void theDemoRunsAWorkload_killsANode_failsOver_restartsIt_andReadsBackEveryAcknowledgedWrite() {
    String previous = System.setProperty("cohort.home", "..");
    try {
      CommandOutput output = CommandOutput.run("demo");
      String out = output.out();
      System.out.println(out); // into the test's report, to look at a run that passed as well

      assertEquals(0, output.exitCode(), out + output.err());
      assertTrue(out.contains("3 members Up"), out);
      assertTrue(out.contains("accounts#11"), out);
      assertTrue(out.contains("audit#2"), out);

      List<String> lines = out.lines().toList();
      List<String> progress = lines.stream().filter(line -> PROGRESS.matcher(line).matches()).toList();
      assertTrue(progress.size() >= MIN_PROGRESS_LINES, "progress lines: " + out);
      assertTrue(progress.stream().anyMatch(line -> nodes(line) == 3), "lines before the kill: " + out);
      assertTrue(progress.stream().anyMatch(line -> nodes(line) == 2), "lines after the kill: " + out);

      Matcher kill = KILL.matcher(out);
      assertTrue(kill.find(), "the kill line: " + out);
      int failover = indexOf(lines, "FAILOVER DONE");
      assertTrue(failover > indexOf(lines, "KILL -9"), "failover after the kill: " + out);
      assertTrue(lines.get(failover).contains("no partition names " + kill.group(1) + " as active"), out);
      assertTrue(lines.subList(failover, lines.size()).stream()
              .filter(line -> PROGRESS.matcher(line).matches())
              .anyMatch(line -> opsPerSecond(line) > 0),
          "requests succeed again after the failover: " + out);

      int restart = indexOf(lines, "RESTART " + kill.group(1));
      int back = indexOf(lines, kill.group(1) + " is back in sync");
      assertTrue(restart > failover && back > restart, "the killed node restarts after the failover and is back: " + out);
      assertTrue(lines.subList(back, lines.size()).stream()
              .filter(line -> PROGRESS.matcher(line).matches())
              .anyMatch(line -> nodes(line) == 3 && opsPerSecond(line) > 0),
          "requests go to all three nodes again: " + out);
      assertTrue(lines.stream().anyMatch(line -> line.matches("\\s+restarted\\s+" + kill.group(1) + " .*back in sync.*")),
          out);

      assertTrue(out.contains("acknowledged keys, all readable"), out);
      assertTrue(lines.stream().anyMatch(line -> line.matches("\\s+result\\s+PASSED")), out);
      for (String node : new String[] {"node-a", "node-b", "node-c"}) {
        assertTrue(out.contains(node + " (pid"), "killed or stopped " + node + ": " + out);
      }
      assertTrue(out.contains("Demo done."), out);
    } finally {
      if (previous == null) {
        System.clearProperty("cohort.home");
      } else {
        System.setProperty("cohort.home", previous);
      }
    }
  }

  private static int nodes(String progressLine) {
    Matcher m = PROGRESS.matcher(progressLine);
    assertTrue(m.matches(), progressLine);
    return Integer.parseInt(m.group(2));
  }

  private static long opsPerSecond(String progressLine) {
    Matcher m = PROGRESS.matcher(progressLine);
    assertTrue(m.matches(), progressLine);
    return Long.parseLong(m.group(3));
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }
}
