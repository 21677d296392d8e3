package dev.cohort.bench;

import dev.cohort.api.KvValue;
import dev.cohort.api.NodeName;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.NodeProcess;
import dev.cohort.node.http.HealthJson;
import dev.cohort.node.http.NodeHttpClient;
import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * How long one node takes to be back in sync after a {@code kill -9} and a restart on its data, with
 * many keys: three Cohort nodes on loopback ({@link CohortCluster}: node-a in this JVM, node-b and
 * node-c as JVMs of their own; one partition group of {@value CohortCluster#PARTITIONS} partitions with
 * one replica each), partitions on disk (RocksDB, {@code fsync = never}). It loads {@code
 * bench.restart.keys} keys through the put API ({@link KeyLoader}, values of {@link KeyValueScheme}),
 * waits until every copy is in sync, then, under a light load of puts, kills the node JVM holding the
 * most partition copies, starts it again on its data directory after a pause, and measures the time
 * from the restart until the node is up and a member, and until it is back in the in-sync set of every
 * partition it holds. It reports what the node's copies received meanwhile (log entries, snapshot
 * bytes: {@code received} of {@code GET /partitions}), then reads random loaded keys back, through the
 * active and from the restarted node's own copies, each checked against its value. Settings: {@link
 * RestartSettings}; run it with bench/restart.sh.
 *
 * <p>Exit code 0 if the node was back in sync within {@code bench.restart.limit} and every key read
 * back had its value; 1 otherwise, or if the run stopped early. A missed target is reported, not an
 * exit code.
 */
public final class RestartBench {
  /** The target of the issue: the restarted node back in the in-sync set of every partition it holds within 30 s. */
  private static final Duration TARGET = Duration.ofSeconds(30);
  /**
   * The nodes' storage. A node's fsync policy is fixed when it starts, and loading many keys wants
   * {@code never}; a {@code kill -9} loses nothing the operating system already has, so {@code never}
   * stays for the whole run, the restart included.
   */
  private static final CohortCluster.Storage STORAGE =
      new CohortCluster.Storage("engine = rocksdb, fsync = never", "on disk (RocksDB, fsync never)");
  /** How often the partition table is looked at while waiting: fine enough for a figure in tenths of seconds. */
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  /** How often a line tells how far the restarted node has come. */
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);
  /** How long the writes run before the kill, so that the kill strikes a node under load. */
  private static final Duration WRITES_BEFORE_KILL = Duration.ofSeconds(2);
  /** How long the writes in flight may take to finish once they are stopped. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
  /** One status request to a node; a node that is slow to answer (starting) is asked again at the next poll. */
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
  /** One read of the restarted node's copy: past the node's own request timeout (cohort.client, 5 s). */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  /** Lines of a node's log shown when it exits unexpectedly. */
  private static final int LOG_TAIL_LINES = 20;
  private static final double MIB = 1024.0 * 1024.0;

  /**
   * What the restarted node's copies received from the actives since it started.
   *
   * @param copies how many copies
   * @param entries log entries they received
   * @param snapshotBytes snapshot bytes they installed
   */
  private record Received(int copies, long entries, long snapshotBytes) {
    static Received of(List<PartitionJson> copies) {
      return new Received(copies.size(), copies.stream().mapToLong(p -> p.received().entries()).sum(),
          copies.stream().mapToLong(p -> p.received().snapshotBytes()).sum());
    }

    String describe() {
      return String.format(Locale.ROOT, "%,d log entries and %,d snapshot bytes", entries, snapshotBytes);
    }
  }

  /**
   * The restart as measured.
   *
   * @param up from the restart until the node was up and a member, if it got there
   * @param inSync from the restart until it was back in sync, if it got there within the limit
   * @param own the restarted node's own {@code GET /partitions} then (or the last one read), null if none
   */
  private record Restart(Optional<Duration> up, Optional<Duration> inSync, TableJson own) {}

  private final RestartSettings settings;
  private final Report report;
  private final PrintStream out;
  private final CohortCluster cluster;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      Workload.daemon("restart-retry"));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(STATUS_TIMEOUT).build();

  private RestartBench(RestartSettings settings, Report report, PrintStream out, CohortCluster cluster) {
    this.settings = settings;
    this.report = report;
    this.out = out;
    this.cluster = cluster;
  }

  /**
   * Runs the benchmark as the system properties say ({@link RestartSettings}) and exits with its
   * exit code.
   *
   * @param args not used
   */
  public static void main(String[] args) {
    System.exit(run(System.out));
  }

  private static int run(PrintStream out) {
    var report = new Report("restart", out);
    try {
      RestartSettings settings = RestartSettings.fromSystemProperties();
      report.info("settings: %s", settings.describe());
      report.info("storage: every node keeps its partitions %s for the whole run, the restart included: a node's "
          + "fsync policy is fixed when it starts, and loading wants never", STORAGE.description());
      try {
        try (CohortCluster cluster = CohortCluster.start(settings.directory(), STORAGE, settings.nodeJvmOptions(),
            report)) {
          report.info("failure detection: %s", cluster.failureDetection());
          var bench = new RestartBench(settings, report, out, cluster);
          try {
            return bench.phases();
          } finally {
            bench.scheduler.shutdownNow();
          }
        }
      } finally {
        cleanUp(settings, report);
      }
    } catch (Exception | Error e) {
      report.info("FAILED: %s", e);
      e.printStackTrace(out);
      return 1;
    }
  }

  /** Deletes the nodes' data once they have stopped, unless {@link RestartSettings#keepData()}. */
  private static void cleanUp(RestartSettings settings, Report report) throws IOException {
    Path data = settings.directory().resolve("data");
    if (settings.keepData()) {
      report.info("the nodes' data stays in %s", data);
    } else {
      CohortCluster.deleteRecursively(data);
      report.info("deleted the nodes' data in %s (-Dbench.restart.keep-data=true keeps it)", data);
    }
  }

  /** Load, kill, restart, check; returns the exit code. */
  private int phases() throws Exception {
    load();
    awaitAllInSync();
    diskUsage();
    String victim = victim();
    ClosedLoop writes = settings.writeWindow() > 0
        ? new ClosedLoop(key -> cluster.put(key, settings.data().valueOf(key)), KeyValueScheme::key, settings.keys(),
            settings.writeWindow(), scheduler)
        : null;
    if (writes != null) {
      report.info("writes: %d puts in flight, rewriting random loaded keys with their own values", writes.window());
      writes.start();
      Thread.sleep(WRITES_BEFORE_KILL.toMillis());
      writes.interval(); // the figures of the writes are those from the kill on
    }
    long writesFrom = System.nanoTime();
    Restart restart;
    try {
      restart = killAndRestart(victim);
    } finally {
      if (writes != null) {
        stopWrites(writes, writesFrom);
      }
    }
    Optional<Received> received = received(victim, restart.own());
    boolean verified = restart.inSync().isPresent() && verify(victim, restart.own());
    summarize(victim, restart, received);
    if (restart.inSync().isEmpty()) {
      report.info("FAILED: %s was not back in sync within %.0f s", victim, seconds(settings.limit()));
      return 1;
    }
    if (!verified) {
      report.info("FAILED: keys read back were missing, wrong or failed (above)");
      return 1;
    }
    return 0;
  }

  private void load() throws InterruptedException {
    report.info("load: %,d keys, %d puts in flight, through %s", settings.keys(), settings.loadWindow(),
        CohortCluster.DRIVER);
    var loader = new KeyLoader(cluster::put, KeyValueScheme::key, settings.data()::value, settings.loadWindow(),
        scheduler);
    KeyLoader.Loaded load = loader.load(0, settings.keys(), report);
    report.info("load: %,d keys in %.1f s, %,.0f keys/s; %d failed puts (sent again) %s", load.keys(), load.seconds(),
        load.keysPerSecond(), load.errors().values().stream().mapToLong(Long::longValue).sum(), load.errors());
    report.result("load_keys_per_s", Math.round(load.keysPerSecond()));
  }

  /**
   * Waits until every partition copy is in sync, so that the kill loses no partition's last in-sync
   * copy (such a partition would stay unavailable, by design); a replica that fell behind under the
   * load catches up first.
   */
  private void awaitAllInSync() throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settings.limit().toNanos();
    while (!settled(cluster.driver().table().group(CohortCluster.GROUP))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not every partition copy was in sync " + seconds(settings.limit())
            + " s after the load; table " + cluster.driver().table());
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    report.info("every partition copy in sync %.1f s after the load (table version %d)", since(start),
        cluster.driver().table().version());
  }

  /** Prints the bytes each node's data takes on disk. */
  private void diskUsage() throws IOException {
    long total = 0;
    for (String node : CohortCluster.NODES) {
      Path dir = cluster.dataDir(node);
      long bytes = DiskUsage.treeBytes(dir);
      total += bytes;
      report.info("disk: %s takes %.1f MiB in %s (%s)", node, bytes / MIB, dir, DiskUsage.bySubdirectory(dir)
          .entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f MiB", e.getKey(), e.getValue() / MIB))
          .collect(Collectors.joining(", ")));
      report.result("disk_" + node + "_bytes", bytes);
    }
    // Every key has two copies, an active and a replica.
    report.info("disk: %.1f MiB in all, %.0f bytes per copy of a key", total / MIB, total / (2.0 * settings.keys()));
  }

  /** The node JVM to kill: {@code bench.restart.node}, else the one holding the most partition copies. */
  private String victim() {
    if (settings.node().isPresent()) {
      return settings.node().get();
    }
    List<PartitionEntry> entries = cluster.driver().table().group(CohortCluster.GROUP);
    // A tie goes to the first name, so that the same layout gives the same victim.
    return CohortCluster.PROCESS_NODES.stream().sorted()
        .max(Comparator.comparingLong((String name) -> held(entries, NodeName.of(name))))
        .orElseThrow();
  }

  /**
   * Kills {@code victim}, starts it again after the pause and waits until it is back in sync or the
   * limit has passed.
   */
  private Restart killAndRestart(String victim) throws Exception {
    NodeName name = NodeName.of(victim);
    PartitionTable before = cluster.driver().table();
    List<PartitionEntry> entries = before.group(CohortCluster.GROUP);
    long active = entries.stream().filter(e -> e.active().equals(Optional.of(name))).count();
    NodeProcess killed = cluster.process(victim);
    report.info("KILL -9 %s (pid %d): active for %d and replica for %d of %d partitions", victim, killed.pid(), active,
        held(entries, name) - active, entries.size());
    long killedAt = System.nanoTime();
    int exit = cluster.kill(victim);
    report.info("%s is gone (exit code %d); restarting it in %.1f s", victim, exit, seconds(settings.pause()));
    Thread.sleep(settings.pause().toMillis());
    PartitionTable atRestart = cluster.driver().table();
    report.info("at the restart, %.1f s after the kill: %s is %s; table version %d places it on %d partitions",
        since(killedAt), victim, cluster.driver().memberNames().contains(name) ? "still a member (unreachable)"
            : "no longer a member", atRestart.version(), held(atRestart.group(CohortCluster.GROUP), name));
    NodeProcess process = cluster.restart(victim);
    long restartedAt = System.nanoTime();
    report.info("RESTART %s (pid %d) on its data directory %s", victim, process.pid(), cluster.dataDir(victim));
    return watch(victim, process, restartedAt, before.incarnations().get(name));
  }

  /**
   * Polls the driver's partition table and the restarted node's HTTP API until the node is back in
   * sync ({@link #backInSync}), saying when it is up and a member, and every {@link
   * #PROGRESS_INTERVAL} how far it has come.
   *
   * @param killedIncarnation the incarnation the table knew the node as before the kill, null if none
   */
  private Restart watch(String victim, NodeProcess process, long restartedAt, Long killedIncarnation)
      throws InterruptedException {
    NodeName name = NodeName.of(victim);
    var status = new NodeHttpClient(cluster.httpAddress(victim), STATUS_TIMEOUT);
    long deadline = restartedAt + settings.limit().toNanos();
    long nextProgress = restartedAt + PROGRESS_INTERVAL.toNanos();
    Duration up = null;
    TableJson own = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        report.info("%s (pid %d) exited after its restart; last lines of %s:%n  %s", victim, process.pid(),
            process.log(), String.join("\n  ", process.tail(LOG_TAIL_LINES)));
        return new Restart(Optional.ofNullable(up), Optional.empty(), own);
      }
      if (up == null && upAndMember(status, name)) {
        up = Duration.ofNanos(System.nanoTime() - restartedAt);
        report.info("%s is up and a member %.1f s after its restart", victim, seconds(up));
      }
      if (up != null) {
        PartitionTable table = cluster.driver().table();
        TableJson read = partitions(status);
        own = read == null ? own : read;
        if (read != null && read.version() == table.version() && backInSync(table, name, killedIncarnation, read)) {
          Duration took = Duration.ofNanos(System.nanoTime() - restartedAt);
          report.info("%s is back in sync %.1f s after its restart: in the in-sync set of all %d partitions it holds "
              + "(table version %d)", victim, seconds(took), held(table.group(CohortCluster.GROUP), name),
              table.version());
          return new Restart(Optional.of(up), Optional.of(took), read);
        }
      }
      if (System.nanoTime() >= nextProgress) {
        progress(victim, restartedAt, up != null, own);
        nextProgress += PROGRESS_INTERVAL.toNanos();
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    report.info("%s is NOT back in sync %.0f s after its restart; table %s", victim, seconds(settings.limit()),
        cluster.driver().table());
    return new Restart(Optional.ofNullable(up), Optional.empty(), own);
  }

  /** Whether the node answers that it is Up with quorum, and the driver sees it Up and reachable. */
  private boolean upAndMember(NodeHttpClient status, NodeName name) throws InterruptedException {
    try {
      HealthJson health = status.health();
      return health.ok() && cluster.driver().upNodes().contains(name);
    } catch (IOException notYet) {
      return false;
    }
  }

  /** The node's own {@code GET /partitions}, null if it does not answer in time. */
  private static TableJson partitions(NodeHttpClient status) throws InterruptedException {
    try {
      return status.partitions();
    } catch (IOException notNow) {
      return null;
    }
  }

  /**
   * Whether {@code node} is back in the in-sync set of every partition it holds, with the table
   * settled around it ({@link #settled}), the table written for its new incarnation (one written for
   * the killed one credits it with copies it may not have), and its own copies of those partitions
   * running ({@code own}, its answer for the same table version, shows each).
   */
  private static boolean backInSync(PartitionTable table, NodeName node, Long killedIncarnation, TableJson own) {
    Long incarnation = table.incarnations().get(node);
    if (incarnation == null || incarnation.equals(killedIncarnation)) {
      return false;
    }
    List<PartitionEntry> entries = table.group(CohortCluster.GROUP);
    Set<Integer> heldHere = entries.stream().filter(e -> e.heldBy(node)).map(e -> e.id().index())
        .collect(Collectors.toSet());
    return settled(entries) && !heldHere.isEmpty() && ownCopies(own, node).stream()
        .map(PartitionJson::index).collect(Collectors.toSet()).containsAll(heldHere);
  }

  /**
   * Whether every partition is available with every copy it places in sync and no move under way:
   * while a move is, the partitions each node will hold are not final. Just after a node rejoins, the
   * table places nothing on it yet; {@link #backInSync} asks for more.
   */
  private static boolean settled(List<PartitionEntry> entries) {
    return entries.size() == CohortCluster.PARTITIONS && entries.stream().allMatch(e -> e.available()
        && e.target().isEmpty() && e.inSync().containsAll(e.placement().get().nodes()));
  }

  /** The copies {@code node} runs of the partitions the table it answered with places on it. */
  private static List<PartitionJson> ownCopies(TableJson own, NodeName node) {
    return own.partitions().stream()
        .filter(p -> p.group().equals(CohortCluster.GROUP) && p.received() != null
            && (node.value().equals(p.active()) || p.replicas().contains(node.value())))
        .toList();
  }

  /** How many partitions place a copy on {@code node}. */
  private static long held(List<PartitionEntry> entries, NodeName node) {
    return entries.stream().filter(e -> e.heldBy(node)).count();
  }

  /** One line on how far the restarted node has come. */
  private void progress(String victim, long restartedAt, boolean up, TableJson own) {
    NodeName name = NodeName.of(victim);
    List<PartitionEntry> entries = cluster.driver().table().group(CohortCluster.GROUP);
    long inSync = entries.stream().filter(e -> e.heldBy(name) && e.isInSync(name)).count();
    String received = own == null ? "nothing read from it yet" : "its copies received " + Received.of(
        ownCopies(own, name)).describe() + " so far";
    report.info("%.0f s after the restart: %s %s; the table places it on %d partitions, in sync on %d; %s",
        since(restartedAt), victim, up ? "is up" : "is not up yet", held(entries, name), inSync, received);
  }

  private void stopWrites(ClosedLoop writes, long from) throws InterruptedException {
    int left = writes.stop(DRAIN_LIMIT);
    Histogram latencies = writes.interval();
    double took = since(from);
    report.info("writes from the kill to the end of the restart: %,d puts acknowledged in %.1f s (%,.0f/s); latency "
            + "p50 %d µs, p99 %d µs, max %d µs; failed puts (sent again) %s", latencies.getTotalCount(), took,
        latencies.getTotalCount() / took, latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(99),
        latencies.getMaxValue(), writes.errors());
    report.result("writes_ops", Math.round(latencies.getTotalCount() / took));
    report.result("writes_p99_us", latencies.getValueAtPercentile(99));
    if (left > 0) {
      throw new IllegalStateException(left + " puts still unanswered " + DRAIN_LIMIT.toSeconds()
          + " s after the writes stopped");
    }
  }

  /**
   * Reads random loaded keys back through the driver (linearizable: at each partition's active) and
   * those on the restarted node's partitions from its own copies ({@code GET /kv/..?consistency=replica}
   * on it); returns whether every one had its value.
   */
  private boolean verify(String victim, TableJson own) throws InterruptedException {
    int[] sample = SampleCheck.sample(settings.keys(), settings.verifyKeys(), settings.data().seed());
    SampleCheck.Result active = SampleCheck.run("read through " + CohortCluster.DRIVER + " (linearizable)", sample,
        key -> cluster.table().get(key, ReadConsistency.LINEARIZABLE).thenApply(found -> found.map(KvValue::value)),
        settings.data());
    report.info("check: %s", active.describe());
    Set<Integer> heldHere = ownCopies(own, NodeName.of(victim)).stream().map(PartitionJson::index)
        .collect(Collectors.toSet());
    int[] onVictim = Arrays.stream(sample)
        .filter(index -> heldHere.contains(cluster.partitionOf(KeyValueScheme.key(index)))).toArray();
    SampleCheck.Result copies = SampleCheck.run("read from " + victim + "'s own copies", onVictim,
        key -> readOwnCopy(victim, key), settings.data());
    report.info("check: %s", copies.describe());
    report.result("check_failed", active.failures() + copies.failures());
    return active.passed() && copies.passed();
  }

  /** {@code key} as node {@code name}'s own copy holds it: {@code GET /kv/{table}/{key}?consistency=replica}. */
  private CompletionStage<Optional<byte[]>> readOwnCopy(String name, String key) {
    URI uri = URI.create("http://" + cluster.httpAddress(name) + "/kv/" + CohortCluster.TABLE + "/" + key
        + "?consistency=replica");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(READ_TIMEOUT).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response ->
        switch (response.statusCode()) {
          case 200 -> Optional.of(response.body());
          case 404 -> Optional.<byte[]>empty();
          default -> throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
        });
  }

  /**
   * Reports what the restarted node's copies received since it started, from its last {@code GET
   * /partitions} ({@code own}, null if it never answered): the copies it kept on disk, which should
   * get only the tail they missed and the writes since, apart from those placed on it anew.
   */
  private Optional<Received> received(String victim, TableJson own) {
    if (own == null) {
      return Optional.empty();
    }
    List<PartitionJson> copies = ownCopies(own, NodeName.of(victim));
    // A copy found on disk at the start restored a log (restoredSeq > 0); one placed on the node anew did not.
    Received kept = Received.of(copies.stream().filter(p -> p.received().restoredSeq() > 0).toList());
    Received added = Received.of(copies.stream().filter(p -> p.received().restoredSeq() == 0).toList());
    report.info("received (the entries it missed and the writes since): the %d partition copies %s kept on disk "
        + "received %s; %d copies placed on it anew received %s", kept.copies(), victim, kept.describe(),
        added.copies(), added.describe());
    report.result("received_kept_entries", kept.entries());
    report.result("received_kept_snapshot_bytes", kept.snapshotBytes());
    report.result("received_new_entries", added.entries());
    report.result("received_new_snapshot_bytes", added.snapshotBytes());
    return Optional.of(Received.of(copies));
  }

  /** The figures and the target, in one line. */
  private void summarize(String victim, Restart restart, Optional<Received> received) {
    restart.up().ifPresent(up -> report.result("up_ms", up.toMillis()));
    restart.inSync().ifPresent(took -> report.result("in_sync_ms", took.toMillis()));
    String up = restart.up().map(d -> String.format(Locale.ROOT, "process up in %.1f s", seconds(d)))
        .orElse("process NOT up");
    String got = received.map(all -> String.format(Locale.ROOT, "received %d entries, %d snapshot bytes",
        all.entries(), all.snapshotBytes())).orElse("received unknown (the node never answered GET /partitions)");
    boolean met = restart.inSync().map(took -> took.compareTo(TARGET) < 0).orElse(false);
    out.println();
    out.printf(Locale.ROOT, "restart: %d keys, %s %s (%s); %s; target < %d s: %s%n", settings.keys(), victim,
        restart.inSync().map(took -> String.format(Locale.ROOT, "back in sync in %.1f s", seconds(took)))
            .orElse(String.format(Locale.ROOT, "NOT back in sync within %.0f s", seconds(settings.limit()))),
        up, got, TARGET.toSeconds(), met ? "met" : "NOT met");
    out.flush();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
