package dev.cohort.node.internal;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.node.NodeSettings;
import dev.cohort.partitioning.InSyncChanges;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.partitioning.PlacementPlan;
import dev.cohort.partitioning.PlacementPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The coordinator: the one writer of the partition table, run as a Cluster Singleton on the
 * oldest member.
 *
 * <p>When it starts it reads the table with ReadMajority, so that it continues from the newest
 * table a majority has confirmed rather than from its own possibly stale copy. Then, whenever
 * membership changes, it plans the next table from the previous one and the Up members
 * ({@link PlacementPlanner}) and writes it with WriteMajority. Writes are one at a time; changes
 * that arrive meanwhile are planned once the write is answered.
 *
 * <p>A table version is never reused: after a write that got no majority, the next plan starts
 * from the attempted table, so two different tables never carry the same version from one
 * coordinator.
 */
public final class Coordinator {

  /** The coordinator's protocol: reports from actives, and internal messages. */
  public interface Command {}

  /**
   * An active reports that {@code replica} holds every committed entry of {@code partition}: it may
   * join the in-sync set.
   *
   * @param partition the partition
   * @param epoch the active's epoch when it saw the replica caught up
   * @param replica the replica's node name
   */
  public record ReplicaCaughtUp(PartitionId partition, long epoch, String replica) implements Command, WireMessage {}

  /**
   * An active reports that {@code replicas} stopped keeping up: they leave the in-sync set so that
   * commits stop waiting for them (DESIGN step 5: only through a table change).
   *
   * @param partition the partition
   * @param epoch the active's epoch when it saw them lag
   * @param replicas the lagging replicas' node names
   */
  public record ReplicasLagging(PartitionId partition, long epoch, Set<String> replicas)
      implements Command, WireMessage {}

  /**
   * An operator gives up the lost data of an unavailable partition, so that it is placed afresh,
   * empty ({@code cohort force}).
   *
   * @param partition the partition
   * @param requestedAt the node the request came through, for the log
   */
  public record ForceEmpty(PartitionId partition, String requestedAt) implements Command, WireMessage {}

  /**
   * A copy of an unavailable partition reports that it holds data: its node is back after a restart
   * on its storage. If the node is one of the in-sync holders the partition lost, the coordinator
   * revives the partition with the best such copy as its active (the highest last epoch, then seq).
   *
   * @param partition the partition
   * @param epoch the partition's epoch in the table the copy holds (unavailable there)
   * @param node the copy's node name
   * @param lastEpoch the epoch of the copy's last log entry
   * @param lastSeq the seq of the copy's last log entry
   */
  public record CopyHeld(PartitionId partition, long epoch, String node, long lastEpoch, long lastSeq)
      implements Command, WireMessage {}

  /**
   * A starting node reports the partitions it keeps copies of on its storage, until a table written
   * for it arrives. A node new to the table (removed from the cluster while it was away, then
   * restarted on its data directory) is placed only once it reported, or after {@code
   * kept-report-wait}, so that the plan can give it back the partitions it only needs the tail of.
   *
   * @param node the node's name
   * @param incarnation the reporting process's incarnation (its cluster member uid)
   * @param partitions the partitions it keeps data of
   */
  public record CopiesKept(String node, long incarnation, List<PartitionId> partitions)
      implements Command, WireMessage {
    public CopiesKept {
      partitions = List.copyOf(partitions);
    }
  }

  /** The coordinator singleton's proxy on {@code system}: the same one wherever it is asked for. */
  public static ActorRef<Command> singleton(ActorSystem<?> system, NodeRuntime runtime) {
    boolean anyInSyncHolderRevives = runtime.replication().commitPolicy().anyInSyncCopyHoldsEveryCommittedEntry();
    return ClusterSingleton.get(system).init(SingletonActor.of(
        create(runtime.cohort(), runtime.node(), anyInSyncHolderRevives), "coordinator"));
  }

  private record TableRead(Replicator.GetResponse<LWWRegister<PublishedTable>> response) implements Command {}

  private record TableWritten(Replicator.UpdateResponse<LWWRegister<PublishedTable>> response, PublishedTable written, String change)
      implements Command {}

  private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {}

  private enum Retry implements Command {
    READ,
    WRITE
  }

  private enum Replan implements Command {
    INSTANCE
  }

  private static final String REPLAN_TIMER = "replan";
  private static final String RETRY_TIMER = "retry";
  private static final String KEPT_REPORT_TIMER = "kept-report";

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ReplicatorMessageAdapter<Command, LWWRegister<PublishedTable>> replicator;
  private final SelfUniqueAddress selfAddress;
  private final CohortSettings cohortSettings;
  private final NodeSettings settings;
  private final boolean anyInSyncHolderRevives;

  /** The newest table this coordinator read, wrote or attempted to write. */
  private PartitionTable current = PartitionTable.EMPTY;

  /** Membership as the events this coordinator received tell it. */
  private final MembershipState membership = new MembershipState();

  /** Whether {@link #current} is committed; false for a proposal read at start or not yet confirmed. */
  private boolean currentCommitted = true;

  /** Whether membership events have been folded in and planned on at least once. */
  private boolean membershipKnown;

  /** Nodes that left the cluster gracefully (leave or shutdown), not downed: losing their data is no fault. */
  private final Set<NodeName> leftGracefully = new TreeSet<>();

  /** The nodes the last plan found restarted since the table it planned from. */
  private Set<NodeName> restartedLastPlan = Set.of();

  /** Every node incarnation (member unique id) this coordinator has seen as a member since it started. */
  private final Set<Long> seenIncarnations = new HashSet<>();

  /** In-sync reports to apply at the next plan. */
  private final List<Command> reports = new ArrayList<>();

  /** The latest report of the copies each node keeps, by node. */
  private final Map<NodeName, CopiesKept> keptReports = new HashMap<>();

  /** When this coordinator first saw each node incarnation new to the table, by member uid. */
  private final Map<Long, Long> newcomersSinceNanos = new HashMap<>();

  /** A membership change arrived while a write was in flight. */
  private boolean replanPending;

  /**
   * A coordinator for the cluster described by {@code cohortSettings}.
   *
   * @param anyInSyncHolderRevives whether an unavailable partition may be revived by any one of its
   *     in-sync holders that comes back (true when every in-sync copy holds every committed entry, as
   *     with the all-in-sync commit policy), or only once all of them are back
   */
  public static Behavior<Command> create(CohortSettings cohortSettings, NodeSettings settings,
      boolean anyInSyncHolderRevives) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    DistributedData.withReplicatorMessageAdapter(
                        (ReplicatorMessageAdapter<Command, LWWRegister<PublishedTable>> replicator) ->
                            new Coordinator(context, timers, replicator, cohortSettings, settings,
                                anyInSyncHolderRevives).reading())));
  }

  private Coordinator(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ReplicatorMessageAdapter<Command, LWWRegister<PublishedTable>> replicator,
      CohortSettings cohortSettings,
      NodeSettings settings,
      boolean anyInSyncHolderRevives) {
    this.context = context;
    this.anyInSyncHolderRevives = anyInSyncHolderRevives;
    this.timers = timers;
    this.replicator = replicator;
    this.selfAddress = DistributedData.get(context.getSystem()).selfUniqueAddress();
    this.cohortSettings = cohortSettings;
    this.settings = settings;
  }

  // --- reading: the table a majority holds, before acting -------------------------------------

  private Behavior<Command> reading() {
    readTable();
    return Behaviors.receive(Command.class)
        .onMessage(TableRead.class, this::onTableRead)
        .onMessageEquals(Retry.READ, () -> {
          readTable();
          return Behaviors.same();
        })
        .build();
  }

  private void readTable() {
    replicator.askGet(
        replyTo -> new Replicator.Get<>(TableRegister.KEY, new Replicator.ReadMajority(settings.readTimeout()), replyTo),
        TableRead::new);
  }

  private Behavior<Command> onTableRead(TableRead message) {
    if (message.response() instanceof Replicator.GetSuccess<LWWRegister<PublishedTable>> success) {
      PublishedTable read = success.get(TableRegister.KEY).getValue();
      current = read.table();
      currentCommitted = read.committed();
      context.getLog().info("Coordinator starts from partition table version {}{}", current.version(),
          currentCommitted ? "" : ", proposed but not committed yet: committing it");
    } else if (message.response() instanceof Replicator.NotFound) {
      context.getLog().info("Coordinator found no partition table: planning the first one");
    } else {
      context.getLog().warn("Coordinator could not read the partition table from a majority; retrying");
      timers.startSingleTimer(RETRY_TIMER, Retry.READ, settings.retryInterval());
      return Behaviors.same();
    }
    // The current members arrive as events first; each event (re)starts the replan timer.
    var adapter = context.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new);
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(adapter, ClusterEvent.MemberEvent.class));
    return idle();
  }

  // --- idle: waiting for membership to change ------------------------------------------------

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(MembershipChanged.class, this::onMembershipChanged)
        .onMessageEquals(Replan.INSTANCE, () -> {
          membershipKnown = true;
          return planAndWrite();
        })
        .onMessage(ReplicaCaughtUp.class, this::onReport)
        .onMessage(ReplicasLagging.class, this::onReport)
        .onMessage(ForceEmpty.class, this::onReport)
        .onMessage(CopyHeld.class, this::onCopyHeld)
        .onMessage(CopiesKept.class, this::onCopiesKept)
        .build();
  }

  /**
   * The latest report of each node is applied when the node is planned as new to the table. A node
   * repeats its report until it is placed; only a new one calls for a plan.
   */
  private Behavior<Command> onCopiesKept(CopiesKept kept) {
    if (isNew(kept)) {
      timers.startSingleTimer(REPLAN_TIMER, Replan.INSTANCE, settings.replanDelay());
    }
    return Behaviors.same();
  }

  /** Keeps {@code kept} as its node's latest report; whether it differs from the one before. */
  private boolean isNew(CopiesKept kept) {
    return !kept.equals(keptReports.put(NodeName.of(kept.node()), kept));
  }

  /**
   * Copies of an unavailable partition report together, as their nodes receive the same table:
   * they are gathered until one quiet period has passed since the last new report, so that the best
   * of them is chosen. Each copy repeats its report until the partition is revived; a repeat does not
   * restart the wait, or many copies repeating at staggered times could keep it from ever ending.
   */
  private Behavior<Command> onCopyHeld(CopyHeld report) {
    if (!reports.contains(report)) {
      reports.add(report);
      timers.startSingleTimer(REPLAN_TIMER, Replan.INSTANCE, settings.replanDelay());
    }
    return Behaviors.same();
  }

  /**
   * A report is applied at the next plan. It plans at once only once membership is known: a new
   * coordinator hears reports queued for it before the membership events it subscribed to, and
   * planning without members would take every partition from every node.
   */
  private Behavior<Command> onReport(Command report) {
    reports.add(report);
    return membershipKnown ? planAndWrite() : Behaviors.same();
  }

  private Behavior<Command> onMembershipChanged(MembershipChanged message) {
    fold(message.event());
    timers.startSingleTimer(REPLAN_TIMER, Replan.INSTANCE, settings.replanDelay());
    return Behaviors.same();
  }

  private void fold(ClusterEvent.MemberEvent event) {
    membership.apply(event);
    Members.nameOf(event.member()).ifPresent(node -> {
      seenIncarnations.add(event.member().uniqueAddress().longUid());
      noteDeparture(node, event);
    });
  }

  private void noteDeparture(NodeName node, ClusterEvent.MemberEvent event) {
    boolean leaving = event instanceof ClusterEvent.MemberLeft || event instanceof ClusterEvent.MemberExited
        || (event instanceof ClusterEvent.MemberRemoved removed && removed.previousStatus() == MemberStatus.exiting());
    if (leaving) {
      leftGracefully.add(node);
    } else if (!(event instanceof ClusterEvent.MemberRemoved)) {
      leftGracefully.remove(node); // downed, or a new incarnation joining
    }
  }

  private Behavior<Command> planAndWrite() {
    PlacementPlan plan = plan();
    if (plan.table().version() == current.version()) {
      if (!currentCommitted) {
        write(current, "committing the table proposed before");
        return writing();
      }
      return idle();
    }
    reportLost(plan, restartedLastPlan);
    write(plan.table(), describe(plan));
    return writing();
  }

  /**
   * Partitions whose every in-sync copy is gone: an ERROR when a holder was lost (crashed, downed),
   * a WARN when all of them left gracefully, as when the cluster is shut down node by node, or are
   * back as new incarnations whose copies may still report their data, or are recorded as
   * incarnations this coordinator never saw (a whole cluster restarting node by node: the holders
   * it sees joining are new incarnations, not yet Up).
   */
  private void reportLost(PlacementPlan plan, Set<NodeName> restarted) {
    // Against the table in force: the plan's own changes start from a base the reports already changed.
    List<PartitionId> lost = plan.unavailable().stream()
        .filter(id -> current.entry(id).map(PartitionEntry::available).orElse(false)).toList();
    if (lost.isEmpty()) {
      return;
    }
    Set<NodeName> holders = new TreeSet<>();
    lost.forEach(id -> plan.table().entry(id).ifPresent(e -> holders.addAll(e.inSync())));
    String consequence = "they stay unavailable, refusing requests, until one of those holders is back with its data"
        + " (a node restarted on its storage), or an operator forces them back into service, empty (cohort force)";
    var awaited = new TreeSet<>(restarted);
    // A holder lost while this coordinator watched is one it saw as the incarnation the table records.
    holders.stream().filter(holder -> !seenIncarnations.contains(current.incarnations().get(holder)))
        .forEach(awaited::add);
    if (awaited.containsAll(holders)) {
      context.getLog().warn("Partitions {} wait for their in-sync holders {}, restarted or not back yet, to report the "
          + "data they kept: {}", lost, holders, consequence);
    } else if (leftGracefully.containsAll(holders)) {
      context.getLog().warn("Partitions {} lost their last in-sync copy when {} left the cluster: {}",
          lost, holders, consequence);
    } else {
      context.getLog().error("Partitions {} lost their last live in-sync copy: {}", lost, consequence);
    }
  }

  private static String describe(PlacementPlan plan) {
    return plan.activeChanges() + " partitions changed active, " + plan.moves() + " data moves";
  }

  /** After a write without a majority: write the newer plan, or the same table again. */
  private Behavior<Command> retryWrite() {
    PlacementPlan plan = plan();
    if (plan.table().version() == current.version()) {
      write(current, "written again");
    } else {
      write(plan.table(), describe(plan));
    }
    return Behaviors.same();
  }

  /** The next table: the in-sync reports applied to the current one, then placement planned on it. */
  private PlacementPlan plan() {
    PartitionTable base = current;
    SortedMap<NodeName, Long> incarnations = placeable(Members.upIncarnations(membership.members()));
    for (Command report : reports) {
      base = apply(base, report);
    }
    base = revive(base, incarnations.keySet());
    reports.clear();
    Set<NodeName> live = incarnations.keySet();
    Set<NodeName> restarted = restarted(base, incarnations);
    restartedLastPlan = restarted;
    if (!restarted.isEmpty()) {
      // They may have missed entries while away, but keep their places: a copy that kept its data on disk
      // catches up the tail, and reports it to revive a partition only they held.
      context.getLog().warn("{} restarted since the table was written: they come back as catching-up replicas of "
          + "the partitions they held, and partitions only they held wait for their copies to report the data they "
          + "kept", restarted);
      base = InSyncChanges.restarted(base, restarted, live);
    }
    PlacementPlan plan = PlacementPlanner.plan(cohortSettings, live, base, keptByNewcomers(incarnations));
    PartitionTable recorded = plan.table().withIncarnations(incarnations);
    return recorded == plan.table() ? plan
        : new PlacementPlan(recorded, plan.changes(), plan.hosts(), plan.unavailable());
  }

  /**
   * The Up members to place: all of them but nodes new to a table already in force that have not
   * yet reported the copies they keep, for up to {@code kept-report-wait}; a replan is due when the
   * first of those waits ends.
   */
  private SortedMap<NodeName, Long> placeable(SortedMap<NodeName, Long> up) {
    newcomersSinceNanos.keySet().retainAll(up.values());
    // A report may come before its node is Up here (it sends as soon as it knows the cluster): it is
    // dropped only once another incarnation of that node is up.
    keptReports.values().removeIf(kept -> {
      Long uid = up.get(NodeName.of(kept.node()));
      return uid != null && uid != kept.incarnation();
    });
    if (current.version() == 0) {
      return up; // the first placement: no node holds data yet
    }
    var placeable = new TreeMap<>(up);
    long now = System.nanoTime();
    long firstWaitEndsNanos = Long.MAX_VALUE;
    for (var member : up.entrySet()) {
      NodeName node = member.getKey();
      if (current.incarnations().containsKey(node) || keptReports.containsKey(node)) {
        continue;
      }
      long since = newcomersSinceNanos.computeIfAbsent(member.getValue(), uid -> now);
      long waitEnds = since + settings.keptReportWait().toNanos();
      if (now - waitEnds < 0) {
        placeable.remove(node);
        firstWaitEndsNanos = Math.min(firstWaitEndsNanos, waitEnds);
      } else {
        context.getLog().warn("{} did not report the copies it keeps within {}: it is placed as if it kept none",
            node, settings.keptReportWait());
        keptReports.put(node, new CopiesKept(node.value(), member.getValue(), List.of()));
      }
    }
    if (firstWaitEndsNanos != Long.MAX_VALUE) {
      context.getLog().info("Waiting for {} to report the copies they keep before placing them",
          up.keySet().stream().filter(node -> !placeable.containsKey(node)).toList());
      timers.startSingleTimer(KEPT_REPORT_TIMER, Replan.INSTANCE, Duration.ofNanos(firstWaitEndsNanos - now));
    }
    return placeable;
  }

  /** The copies that nodes new to the table keep, by partition: where placing them moves only a tail. */
  private Map<PartitionId, Set<NodeName>> keptByNewcomers(SortedMap<NodeName, Long> placed) {
    var kept = new HashMap<PartitionId, Set<NodeName>>();
    keptReports.forEach((node, report) -> {
      if (placed.containsKey(node) && !current.incarnations().containsKey(node)) {
        report.partitions().forEach(partition -> kept.computeIfAbsent(partition, p -> new TreeSet<>()).add(node));
      }
    });
    return kept;
  }

  /** The nodes the table records as another incarnation than the one now up. */
  private static Set<NodeName> restarted(PartitionTable table, SortedMap<NodeName, Long> incarnations) {
    var restarted = new TreeSet<NodeName>();
    incarnations.forEach((node, uid) -> {
      if (table.incarnations().containsKey(node) && !table.writtenFor(node, uid)) {
        restarted.add(node);
      }
    });
    return restarted;
  }

  /** A report changes the table only if it was made in the partition's current epoch. */
  private PartitionTable apply(PartitionTable table, Command report) {
    if (report instanceof ReplicaCaughtUp caughtUp && isCurrent(table, caughtUp.partition(), caughtUp.epoch())) {
      context.getLog().info("{} caught up with {}: it joins the in-sync set", caughtUp.replica(), caughtUp.partition());
      return InSyncChanges.caughtUp(table, caughtUp.partition(), NodeName.of(caughtUp.replica()));
    }
    if (report instanceof ReplicasLagging lagging && isCurrent(table, lagging.partition(), lagging.epoch())) {
      context.getLog().warn("{} of {} lag behind: they leave the in-sync set", lagging.replicas(), lagging.partition());
      Set<NodeName> nodes = lagging.replicas().stream().map(NodeName::of).collect(Collectors.toSet());
      return InSyncChanges.lagging(table, lagging.partition(), nodes);
    }
    if (report instanceof ForceEmpty force) {
      context.getLog().warn("An operator (through {}) forces {} back into service, empty: the data only its lost "
          + "holders {} had is given up", force.requestedAt(), force.partition(),
          table.entry(force.partition()).map(PartitionEntry::inSync).orElse(Collections.emptySortedSet()));
      return InSyncChanges.forceEmpty(table, force.partition());
    }
    return table;
  }

  /**
   * Revives each unavailable partition that in-sync holders back with their data reported, with the
   * best of them (the highest last epoch, then last seq) as its active: it holds every committed
   * entry, and all the others have it too, or did not come back. When any holder's committed entries
   * may be missing from another ({@link #anyInSyncHolderRevives} false), only once all of them reported.
   */
  private PartitionTable revive(PartitionTable table, Set<NodeName> live) {
    var best = new TreeMap<PartitionId, CopyHeld>();
    var reported = new HashMap<PartitionId, Set<NodeName>>();
    for (Command report : reports) {
      if (report instanceof CopyHeld held && live.contains(NodeName.of(held.node()))
          && table.entry(held.partition()).filter(e -> !e.available() && e.isInSync(NodeName.of(held.node()))
              && e.epoch().value() == held.epoch()).isPresent()) {
        reported.computeIfAbsent(held.partition(), p -> new TreeSet<>()).add(NodeName.of(held.node()));
        best.merge(held.partition(), held, (a, b) -> better(a, b) ? a : b);
      }
    }
    PartitionTable next = table;
    for (CopyHeld held : best.values()) {
      PartitionEntry entry = table.entry(held.partition()).orElseThrow();
      if (!anyInSyncHolderRevives && !reported.get(held.partition()).containsAll(entry.inSync())) {
        context.getLog().info("{} waits for all its in-sync holders {} to come back; back so far: {}", held.partition(),
            entry.inSync(), reported.get(held.partition()));
        continue;
      }
      context.getLog().warn("{} is available again: its in-sync holder {} came back with its data (log up to seq {} "
          + "of epoch {}); holders back: {}", held.partition(), held.node(), held.lastSeq(), held.lastEpoch(),
          reported.get(held.partition()));
      next = InSyncChanges.revived(next, held.partition(), NodeName.of(held.node()));
    }
    return next;
  }

  private static boolean better(CopyHeld a, CopyHeld b) {
    return a.lastEpoch() != b.lastEpoch() ? a.lastEpoch() > b.lastEpoch() : a.lastSeq() >= b.lastSeq();
  }

  private static boolean isCurrent(PartitionTable table, PartitionId partition, long epoch) {
    return table.entry(partition).map(e -> e.epoch().value() == epoch).orElse(false);
  }

  // --- writing: one table at a time, confirmed by a majority ---------------------------------

  private Behavior<Command> writing() {
    return Behaviors.receive(Command.class)
        .onMessage(TableWritten.class, this::onTableWritten)
        .onMessage(MembershipChanged.class, message -> {
          fold(message.event());
          replanPending = true;
          return Behaviors.same();
        })
        .onMessageEquals(Replan.INSTANCE, () -> {
          replanPending = true;
          return Behaviors.same();
        })
        .onMessageEquals(Retry.WRITE, this::retryWrite)
        .onMessage(ReplicaCaughtUp.class, this::onReportWhileWriting)
        .onMessage(ReplicasLagging.class, this::onReportWhileWriting)
        .onMessage(ForceEmpty.class, this::onReportWhileWriting)
        .onMessage(CopyHeld.class, this::onReportWhileWriting)
        .onMessage(CopiesKept.class, kept -> {
          replanPending |= isNew(kept);
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onReportWhileWriting(Command report) {
    reports.add(report);
    replanPending = true;
    return Behaviors.same();
  }

  /** Writes {@code table}, proposed first; {@link #onTableWritten} commits it. */
  private void write(PartitionTable table, String change) {
    write(new PublishedTable(table, false), change);
  }

  private void write(PublishedTable published, String change) {
    replicator.askUpdate(
        replyTo ->
            new Replicator.Update<>(
                TableRegister.KEY,
                LWWRegister.create(selfAddress, published, TableRegister.VERSION_CLOCK),
                new Replicator.WriteMajority(settings.writeTimeout()),
                replyTo,
                register -> register.withValue(selfAddress, published, TableRegister.VERSION_CLOCK)),
        response -> new TableWritten(response, published, change));
  }

  private Behavior<Command> onTableWritten(TableWritten message) {
    current = message.written().table();
    currentCommitted = message.written().committed() && message.response() instanceof Replicator.UpdateSuccess;
    if (message.response() instanceof Replicator.UpdateSuccess && !message.written().committed()) {
      // A majority holds the proposal: any later coordinator will see it, so nodes may act on it.
      write(new PublishedTable(current, true), message.change());
      return Behaviors.same();
    }
    if (message.response() instanceof Replicator.UpdateSuccess) {
      context.getLog().info("Published partition table version {}: {}", current.version(), message.change());
      if (replanPending) {
        replanPending = false;
        return planAndWrite();
      }
      return idle();
    }
    context.getLog().warn(
        "Partition table version {} was not confirmed by a majority ({}); planning again",
        current.version(), message.response().getClass().getSimpleName());
    replanPending = false;
    timers.startSingleTimer(RETRY_TIMER, Retry.WRITE, settings.retryInterval());
    return Behaviors.same();
  }
}
