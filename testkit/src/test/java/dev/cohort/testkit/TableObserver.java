package dev.cohort.testkit;

import dev.cohort.api.PartitionId;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the partition table every node of a test cluster holds while faults strike, and checks
 * what must hold of it whatever happens:
 * <ul>
 *   <li>a node never goes back to an older table version;
 *   <li>one version is one table: no two nodes ever hold different tables under the same version;
 *   <li>a partition's epoch never decreases from one version to a later one, and grows whenever
 *       its active or its in-sync set differs (only those make a new epoch: a replica catching up
 *       or a target changing keeps it).
 * </ul>
 *
 * <p>These hold within one formation of the cluster. When every node was down and the cluster was
 * formed anew ({@link TestCluster#formationOf}), its tables start again from version 1 and share
 * nothing with the earlier ones, so each formation is checked on its own.
 */
final class TableObserver implements AutoCloseable {
  private static final Duration INTERVAL = Duration.ofMillis(50);

  private final TestCluster cluster;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Long> lastVersionByNode = new HashMap<>();
  /** The tables seen, by formation of the cluster, then by version. */
  private final Map<Integer, TreeMap<Long, PartitionTable>> tablesByFormation = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  /** Kinds of violation already reported, so one fault is reported once, not at every sample. */
  private final Set<String> reported = new HashSet<>();
  private long observations;

  TableObserver(TestCluster cluster) {
    this.cluster = cluster;
    sampler.scheduleAtFixedRate(this::sample, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void sample() {
    for (CohortNode node : cluster.nodes()) {
      // A restarted node is a new incarnation that starts from whatever table reaches it first.
      observe(node.name().value() + "#" + System.identityHashCode(node), cluster.formationOf(node), node.table());
    }
  }

  /** Takes in that {@code node}, started in formation {@code formation} of the cluster, holds {@code table}. */
  private void observe(String node, int formation, PartitionTable table) {
    if (table.version() == 0) {
      return;
    }
    observations++;
    Long last = lastVersionByNode.put(node, table.version());
    if (last != null && last > table.version() && reported.add(node + " went back")) {
      violations.add(node + " went back from table version " + last + " to " + table.version());
    }
    TreeMap<Long, PartitionTable> tableByVersion = tablesByFormation.computeIfAbsent(formation, f -> new TreeMap<>());
    PartitionTable known = tableByVersion.putIfAbsent(table.version(), table);
    if (known == null) {
      checkEpochs(tableByVersion, table);
    } else if (!known.equals(table) && reported.add("version " + formation + "/" + table.version())) {
      violations.add("two different tables carry version " + table.version() + "; " + node + " holds one that differs in "
          + differences(known, table));
    }
  }

  private void checkEpochs(TreeMap<Long, PartitionTable> tableByVersion, PartitionTable table) {
    var earlier = tableByVersion.lowerEntry(table.version());
    var later = tableByVersion.higherEntry(table.version());
    if (earlier != null) {
      compare(earlier.getValue(), table);
    }
    if (later != null) {
      compare(table, later.getValue());
    }
  }

  /** How two tables differ, briefly: how many partitions, and the first one. */
  private static String differences(PartitionTable one, PartitionTable other) {
    List<String> differing = new ArrayList<>();
    for (PartitionEntry entry : one.partitions()) {
      PartitionEntry theirs = other.entry(entry.id()).orElse(null);
      if (!entry.equals(theirs)) {
        differing.add(entry + " vs " + theirs);
      }
    }
    return differing.size() + " of " + one.partitions().size() + " partitions, e.g. "
        + (differing.isEmpty() ? "(none)" : differing.get(0));
  }

  private void compare(PartitionTable older, PartitionTable newer) {
    for (PartitionEntry before : older.partitions()) {
      PartitionId id = before.id();
      newer.entry(id).ifPresent(after -> {
        boolean moved = !before.active().equals(after.active()) || !before.inSync().equals(after.inSync());
        boolean wrong = after.epoch().compareTo(before.epoch()) < 0 || (moved && after.epoch().equals(before.epoch()));
        if (wrong && reported.add("epoch " + id)) {
          violations.add(id + " has epoch " + before.epoch() + " in version " + older.version() + " and epoch "
              + after.epoch() + " in version " + newer.version() + (moved ? " although its active or in-sync set changed" : ""));
        }
      });
    }
  }

  /** How many (node, table) samples were taken. */
  synchronized long observations() {
    return observations;
  }

  /** The distinct table versions seen, over every formation of the cluster. */
  synchronized int versionsSeen() {
    return tablesByFormation.values().stream().mapToInt(TreeMap::size).sum();
  }

  /** What was found wrong, in the order found. */
  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    try {
      sampler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
