package dev.cohort.node.internal.cli;

import dev.cohort.node.http.ClusterJson;
import dev.cohort.node.http.MemberJson;
import dev.cohort.node.http.NodeHttpClient;
import dev.cohort.node.http.TableJson;
import dev.cohort.node.http.TableJson.PartitionJson;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The failover of {@code cohort demo}: which node to kill, and what the survivors show from the
 * kill until every partition has a live active again (the failure detector marking the node
 * unreachable, the split brain resolver downing it, the coordinator moving its partitions).
 */
final class DemoFailover {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  /** The status shown for a member the survivor no longer lists. */
  private static final String REMOVED = "removed from the cluster";

  private DemoFailover() {}

  /**
   * What the survivors showed.
   *
   * @param recovered whether every partition got a live active within the time allowed
   * @param took from the kill to the first table in which every partition has a live active, or to
   *     giving up
   * @param takenOver for each node, how many of the killed node's partitions (of the group watched)
   *     it became active for
   * @param table the last table read, null if no survivor answered
   */
  record Outcome(boolean recovered, Duration took, SortedMap<String, Integer> takenOver, TableJson table) {}

  /** For each node, how many partitions of {@code group} it is active for. */
  static SortedMap<String, Integer> activeCounts(TableJson table, String group) {
    var counts = new TreeMap<String, Integer>();
    for (PartitionJson p : table.partitions()) {
      if (p.group().equals(group) && p.active() != null) {
        counts.merge(p.active(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The node active for the most partitions of {@code group}; a tie goes to the first name. */
  static String victim(TableJson table, String group) {
    SortedMap<String, Integer> counts = activeCounts(table, group);
    if (counts.isEmpty()) {
      throw new IllegalStateException("no partition of group '" + group + "' has an active node");
    }
    String most = counts.firstKey();
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (entry.getValue() > counts.get(most)) {
        most = entry.getKey();
      }
    }
    return most;
  }

  /** Whether every partition has an active and every node placed on it holds all its committed entries. */
  static boolean fullyInSync(TableJson table) {
    for (PartitionJson p : table.partitions()) {
      if (p.active() == null || !p.inSync().contains(p.active()) || !p.inSync().containsAll(p.replicas())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Polls the survivors' {@code /cluster} and {@code /partitions} after {@code victim} was killed
   * (at {@code killedNanos} of {@link System#nanoTime()}) and tells {@code say} each step, until no
   * partition is without a live active, or {@code timeout} has passed.
   *
   * @param before the table at the kill, to tell which partitions the victim was active for
   * @param group the partition group whose takeovers are counted
   */
  static Outcome watch(String victim, long killedNanos, TableJson before, String group, List<NodeHttpClient> survivors,
      Duration timeout, Consumer<String> say) throws InterruptedException {
    long deadline = killedNanos + timeout.toNanos();
    boolean sawUnreachable = false;
    boolean sawSilence = false;
    String status = MemberJson.UP;
    String coordinator = null;
    long version = before.version();
    TableJson table = null;
    while (System.nanoTime() < deadline) {
      ClusterJson cluster = null;
      TableJson read = null;
      for (NodeHttpClient survivor : survivors) {
        try {
          cluster = survivor.cluster();
          read = survivor.partitions();
          break;
        } catch (IOException notNow) {
          cluster = null;
        }
      }
      if (cluster == null || read == null) {
        if (!sawSilence) {
          say.accept("no survivor answers /cluster and /partitions" + since(killedNanos));
          sawSilence = true;
        }
        Thread.sleep(POLL_INTERVAL.toMillis());
        continue;
      }
      table = read;
      MemberJson member = cluster.member(victim).orElse(null);
      if (member != null && !member.reachable() && !sawUnreachable) {
        say.accept(cluster.self() + "'s failure detector marks " + victim + " unreachable" + since(killedNanos));
        sawUnreachable = true;
      }
      String nowStatus = member == null ? REMOVED : member.status();
      if (!nowStatus.equals(status)) {
        say.accept(victim + " is " + (member == null ? nowStatus : "now " + nowStatus) + since(killedNanos));
        status = nowStatus;
      }
      if (coordinator != null && !Objects.equals(coordinator, cluster.coordinator())) {
        say.accept("coordinator is now " + cluster.coordinator() + " (was " + coordinator + ")" + since(killedNanos));
      }
      coordinator = cluster.coordinator();
      if (table.version() != version) {
        version = table.version();
        say.accept(String.format("partition table version %d: %d partitions with %s as active, %d unavailable%s",
            version, activeOn(table, victim), victim, unavailable(table), since(killedNanos)));
      }
      if (activeOn(table, victim) == 0 && unavailable(table) == 0) {
        return new Outcome(true, Duration.ofNanos(System.nanoTime() - killedNanos), takenOver(before, table, victim, group),
            table);
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
    return new Outcome(false, Duration.ofNanos(System.nanoTime() - killedNanos),
        table == null ? new TreeMap<>() : takenOver(before, table, victim, group), table);
  }

  private static long activeOn(TableJson table, String node) {
    return table.partitions().stream().filter(p -> node.equals(p.active())).count();
  }

  private static long unavailable(TableJson table) {
    return table.partitions().stream().filter(p -> p.active() == null).count();
  }

  /** For each node, how many of {@code group}'s partitions that {@code victim} was active for it now leads. */
  private static SortedMap<String, Integer> takenOver(TableJson before, TableJson after, String victim, String group) {
    var counts = new TreeMap<String, Integer>();
    for (PartitionJson was : before.partitions()) {
      if (!was.group().equals(group) || !victim.equals(was.active())) {
        continue;
      }
      after.partitions().stream()
          .filter(p -> p.group().equals(was.group()) && p.index() == was.index() && p.active() != null)
          .findFirst()
          .ifPresent(p -> counts.merge(p.active(), 1, Integer::sum));
    }
    return counts;
  }

  private static String since(long killedNanos) {
    return String.format(" (%.1f s after the kill)", (System.nanoTime() - killedNanos) / 1e9);
  }
}
