package dev.cohort.node;

import dev.cohort.node.internal.NodeStorage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Cohort node running in a JVM of its own ({@code cohort node --config FILE}) on this JVM's class
 * path, its output in a log file: for the {@code demo} command, multi-process tests and
 * benchmarks. Every signal goes to this process's own PID, never to processes found by name.
 *
 * <pre>{@code
 * NodeProcess node = NodeProcess.start("node-a", Path.of("node-a.conf"), logDir, List.of());
 * ...
 * node.stop(Duration.ofSeconds(10)); // SIGTERM: the node leaves the cluster gracefully
 * }</pre>
 *
 * <p>Signals are Unix signals: {@link #pause()} and {@link #resume()} need the {@code kill}
 * command.
 */
public final class NodeProcess {
  /** The heap of a node JVM unless the JVM options passed to {@link #start} say otherwise. */
  public static final String DEFAULT_HEAP = "-Xmx256m";
  /** Settings of this JVM that a node JVM started from it keeps. */
  private static final List<String> FORWARDED_PROPERTIES = List.of("cohort.home", "logback.configurationFile");
  /** How long {@link #kill()} and the {@code kill} command may take; the kernel acts at once. */
  private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Path log;
  private volatile boolean paused;

  private NodeProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code cohort node --config configFile} in a new JVM with this JVM's class path, {@value
   * #DEFAULT_HEAP} and the options a node on disk needs ({@link NodeStorage#JVM_OPTIONS}), its standard
   * output and error appended to {@code logDir/name.log} (so the incarnations of a restarted node share
   * one file). Returns at once; the node joins its cluster on its own.
   *
   * @param name the node's name, for the log file and messages
   * @param configFile the node's configuration file
   * @param logDir an existing directory for the log file
   * @param jvmOptions more JVM options, after the defaults (so {@code -Xmx512m} here wins)
   * @throws IOException if the JVM cannot be started
   */
  public static NodeProcess start(String name, Path configFile, Path logDir, List<String> jvmOptions)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = logDir.resolve(name + ".log");
    var command = new ArrayList<>(List.of(java, DEFAULT_HEAP));
    command.addAll(NodeStorage.JVM_OPTIONS);
    for (String property : FORWARDED_PROPERTIES) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "node", "--config", configFile.toString()));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    return new NodeProcess(name, process, log);
  }

  /** The node's name, as given to {@link #start}. */
  public String name() {
    return name;
  }

  /** The operating system's id of the node's JVM. */
  public long pid() {
    return process.pid();
  }

  /** Whether the JVM has not exited yet (a paused JVM is alive). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Whether {@link #pause()} stopped the JVM and {@link #resume()} has not continued it since. */
  public boolean isPaused() {
    return paused && process.isAlive();
  }

  /** The file the node's standard output and error go to. */
  public Path log() {
    return log;
  }

  /**
   * Asks the node to stop (SIGTERM: it leaves the cluster gracefully) and waits up to {@code
   * grace}; if it is still running then, kills it (SIGKILL). A paused node is continued first,
   * since a stopped JVM cannot act on SIGTERM.
   *
   * @return the JVM's exit code (143 or 137 when the signal, not the node, ended it)
   */
  public int stop(Duration grace) throws InterruptedException {
    if (isPaused()) {
      signal("CONT");
      paused = false;
    }
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return kill();
    }
    return process.exitValue();
  }

  /**
   * Kills the JVM at once (SIGKILL, as {@code kill -9}): no shutdown hook runs and the node does
   * not leave its cluster, as in a crash. Waits until it is gone; a paused JVM dies as well.
   *
   * @return the JVM's exit code (137 when SIGKILL ended it)
   * @throws IllegalStateException if the JVM still runs 10 s later
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("node " + name + " (pid " + pid() + ") survived SIGKILL for " + SIGNAL_TIMEOUT);
    }
    paused = false;
    return process.exitValue();
  }

  /**
   * Stops the JVM where it is (SIGSTOP): it answers nothing, sends no heartbeats and keeps its
   * sockets open, as in a long GC pause, until {@link #resume()}.
   *
   * @throws IllegalStateException if the JVM has exited or the signal could not be sent
   */
  public void pause() throws InterruptedException {
    signal("STOP");
    paused = true;
  }

  /**
   * Continues a JVM stopped by {@link #pause()} (SIGCONT).
   *
   * @throws IllegalStateException if the JVM has exited or the signal could not be sent
   */
  public void resume() throws InterruptedException {
    signal("CONT");
    paused = false;
  }

  /** The last {@code lines} lines of the node's log (one line saying why, if it cannot be read). */
  public List<String> tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
    }
  }

  @Override
  public String toString() {
    return "NodeProcess(" + name + ", pid " + pid() + (isAlive() ? (paused ? ", paused" : "") : ", exited") + ")";
  }

  /** Sends SIG{@code signal} to this JVM's PID with the {@code kill} command. */
  private void signal(String signal) throws InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("node " + name + " (pid " + pid() + ") has exited; cannot send SIG" + signal);
    }
    Process kill;
    try {
      kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run 'kill -" + signal + " " + pid() + "': " + e.getMessage(), e);
    }
    if (!kill.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      kill.destroyForcibly();
      throw new IllegalStateException("'kill -" + signal + " " + pid() + "' did not finish within " + SIGNAL_TIMEOUT);
    }
    if (kill.exitValue() != 0) {
      String output;
      try {
        output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        output = "(no output: " + e.getMessage() + ")";
      }
      throw new IllegalStateException("'kill -" + signal + " " + pid() + "' failed with exit code " + kill.exitValue()
          + ": " + output + " (node " + name + (process.isAlive() ? "" : ", which has exited") + ")");
    }
  }
}
