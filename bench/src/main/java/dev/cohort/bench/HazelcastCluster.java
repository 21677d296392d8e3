package dev.cohort.bench;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three Hazelcast members on loopback: member-1 in this JVM (the driver's, started first, so it is
 * the master, as node-a holds Cohort's coordinator), member-2 and member-3 as JVMs of their own
 * with the same JVM options as Cohort's nodes. Partition count {@code bench.hazelcast.partitions},
 * Hazelcast's default 271 unless set.
 */
final class HazelcastCluster implements SystemUnderTest {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Report report;
  private final HazelcastInstance instance;
  private final IMap<String, byte[]> map;
  private final Map<Integer, Process> processesByPort;
  private final Map<Integer, String> namesByPort;
  private final List<String> probeKeys;

  private HazelcastCluster(Report report, HazelcastInstance instance, Map<Integer, Process> processesByPort,
      Map<Integer, String> namesByPort) {
    this.report = report;
    this.instance = instance;
    this.map = instance.getMap(HazelcastConfigs.MAP);
    this.processesByPort = processesByPort;
    this.namesByPort = namesByPort;
    this.probeKeys = probeKeys(instance.getPartitionService());
  }

  static HazelcastCluster start(BenchSettings settings, Report report) throws Exception {
    Path dir = settings.directory().resolve("hazelcast");
    Files.createDirectories(dir);
    int partitions = Integer.parseInt(System.getProperty("bench.hazelcast.partitions", "271"));
    List<Integer> ports = Ports.free(3);
    String portList = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    report.info("starting member-1 in this JVM, then member-2 and member-3 as JVMs of their own (%d partitions; "
        + "logs in %s)", partitions, dir);
    long started = System.nanoTime();
    HazelcastInstance instance = Hazelcast.newHazelcastInstance(
        HazelcastConfigs.member(ports.get(0), ports, partitions));
    var processes = new LinkedHashMap<Integer, Process>();
    var names = new HashMap<Integer, String>();
    names.put(ports.get(0), "member-1");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(processes.values()).forEach(p -> {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    })));
    try {
      for (int i = 1; i < ports.size(); i++) {
        String name = "member-" + (i + 1);
        Path log = dir.resolve(name + ".log");
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.nodeJvmOptions());
        command.addAll(HazelcastConfigs.MODULE_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HazelcastMember.class.getName(),
            Integer.toString(ports.get(i)), portList, Integer.toString(partitions)));
        Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        processes.put(ports.get(i), process);
        names.put(ports.get(i), name);
        report.info("%s: pid %d, log %s", name, process.pid(), log);
      }
      awaitSafe(instance, processes);
      var cluster = new HazelcastCluster(report, instance, processes, names);
      cluster.awaitWritable();
      report.info("cluster ready in %.1f s: 3 members, %d partitions, every partition accepts writes",
          (System.nanoTime() - started) / 1e9, partitions);
      return cluster;
    } catch (Exception | Error e) {
      processes.values().forEach(HazelcastCluster::stop);
      instance.shutdown();
      throw e;
    }
  }

  private static void awaitSafe(HazelcastInstance instance, Map<Integer, Process> processes)
      throws InterruptedException {
    long deadline = System.nanoTime() + BenchSettings.START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (processes.values().stream().anyMatch(p -> !p.isAlive())) {
        throw new IllegalStateException("a Hazelcast member JVM exited while the cluster formed");
      }
      if (instance.getCluster().getMembers().size() == 3 && instance.getPartitionService().isClusterSafe()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the Hazelcast cluster did not form within "
        + BenchSettings.START_TIMEOUT.toSeconds() + " s: " + instance.getCluster().getMembers());
  }

  private static List<String> probeKeys(PartitionService partitions) {
    return SystemUnderTest.oneKeyPerPartition(partitions.getPartitions().size(),
        key -> partitions.getPartition(key).getPartitionId());
  }

  @Override
  public String name() {
    return "hazelcast";
  }

  @Override
  public CompletionStage<?> put(String key, byte[] value) {
    return map.setAsync(key, value);
  }

  @Override
  public CompletionStage<?> get(String key) {
    return map.getAsync(key);
  }

  @Override
  public List<String> probeKeys() {
    return probeKeys;
  }

  /** Kills the member JVM that owns the most partitions. */
  @Override
  public String killMember() throws InterruptedException {
    Map<Integer, Long> owned = new HashMap<>();
    for (Partition partition : instance.getPartitionService().getPartitions()) {
      Member owner = partition.getOwner();
      if (owner != null) {
        owned.merge(owner.getAddress().getPort(), 1L, Long::sum);
      }
    }
    int port = processesByPort.keySet().stream()
        .max(Comparator.comparingLong(p -> owned.getOrDefault(p, 0L)))
        .orElseThrow();
    Process victim = processesByPort.get(port);
    victim.destroyForcibly(); // SIGKILL
    if (!victim.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(namesByPort.get(port) + " survived SIGKILL for 10 s");
    }
    return String.format("%s (pid %d, exit %d): owner of %d of %d partitions, backup of about as many",
        namesByPort.get(port), victim.pid(), victim.exitValue(), owned.getOrDefault(port, 0L),
        instance.getPartitionService().getPartitions().size());
  }

  @Override
  public String failureDetection() {
    return "Hazelcast 5.5 defaults: hazelcast.heartbeat.interval.seconds 5, hazelcast.max.no.heartbeat.seconds 60, "
        + "failure-detector deadline; a killed member's closed TCP connections are noticed at once and its "
        + "reconnection refused (connection monitor), which removes it";
  }

  @Override
  public void close() {
    processesByPort.values().forEach(HazelcastCluster::stop);
    instance.shutdown();
    report.info("members stopped");
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy(); // SIGTERM: Hazelcast's shutdown hook stops the member
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
