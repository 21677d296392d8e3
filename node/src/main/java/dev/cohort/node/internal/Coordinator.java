package dev.cohort.node.internal;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import dev.cohort.node.NodeSettings;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.partitioning.PlacementPlan;
import dev.cohort.partitioning.PlacementPlanner;
import java.util.Set;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
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

  /** The coordinator's protocol; all of it is internal. */
  public sealed interface Command {}

  private record TableRead(Replicator.GetResponse<LWWRegister<PartitionTable>> response) implements Command {}

  private record TableWritten(Replicator.UpdateResponse<LWWRegister<PartitionTable>> response, PartitionTable table, String change)
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

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ReplicatorMessageAdapter<Command, LWWRegister<PartitionTable>> replicator;
  private final SelfUniqueAddress selfAddress;
  private final CohortSettings cohortSettings;
  private final NodeSettings settings;

  /** The newest table this coordinator read, wrote or attempted to write. */
  private PartitionTable current = PartitionTable.EMPTY;

  /** Membership as the events this coordinator received tell it. */
  private final MembershipState membership = new MembershipState();

  /** A membership change arrived while a write was in flight. */
  private boolean replanPending;

  /** A coordinator for the cluster described by {@code cohortSettings}. */
  public static Behavior<Command> create(CohortSettings cohortSettings, NodeSettings settings) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    DistributedData.withReplicatorMessageAdapter(
                        (ReplicatorMessageAdapter<Command, LWWRegister<PartitionTable>> replicator) ->
                            new Coordinator(context, timers, replicator, cohortSettings, settings).reading())));
  }

  private Coordinator(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ReplicatorMessageAdapter<Command, LWWRegister<PartitionTable>> replicator,
      CohortSettings cohortSettings,
      NodeSettings settings) {
    this.context = context;
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
    if (message.response() instanceof Replicator.GetSuccess<LWWRegister<PartitionTable>> success) {
      current = success.get(TableRegister.KEY).getValue();
      context.getLog().info("Coordinator starts from partition table version {}", current.version());
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
        .onMessageEquals(Replan.INSTANCE, this::planAndWrite)
        .build();
  }

  private Behavior<Command> onMembershipChanged(MembershipChanged message) {
    membership.apply(message.event());
    timers.startSingleTimer(REPLAN_TIMER, Replan.INSTANCE, settings.replanDelay());
    return Behaviors.same();
  }

  private Behavior<Command> planAndWrite() {
    PlacementPlan plan = plan();
    if (plan.table().version() == current.version()) {
      return idle();
    }
    if (!plan.restartedEmpty().isEmpty()) {
      // Until partitions carry data (the replicated log) there is nothing to lose; then this becomes a refusal.
      context.getLog().warn("Partitions {} lost every copy and are placed afresh", plan.restartedEmpty());
    }
    write(plan.table(), describe(plan));
    return writing();
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

  private PlacementPlan plan() {
    Set<NodeName> live = Members.upNames(membership.members());
    return PlacementPlanner.plan(cohortSettings, live, current);
  }

  // --- writing: one table at a time, confirmed by a majority ---------------------------------

  private Behavior<Command> writing() {
    return Behaviors.receive(Command.class)
        .onMessage(TableWritten.class, this::onTableWritten)
        .onMessage(MembershipChanged.class, message -> {
          membership.apply(message.event());
          replanPending = true;
          return Behaviors.same();
        })
        .onMessageEquals(Replan.INSTANCE, () -> {
          replanPending = true;
          return Behaviors.same();
        })
        .onMessageEquals(Retry.WRITE, this::retryWrite)
        .build();
  }

  private void write(PartitionTable table, String change) {
    replicator.askUpdate(
        replyTo ->
            new Replicator.Update<>(
                TableRegister.KEY,
                LWWRegister.create(selfAddress, table, TableRegister.VERSION_CLOCK),
                new Replicator.WriteMajority(settings.writeTimeout()),
                replyTo,
                register -> register.withValue(selfAddress, table, TableRegister.VERSION_CLOCK)),
        response -> new TableWritten(response, table, change));
  }

  private Behavior<Command> onTableWritten(TableWritten message) {
    current = message.table();
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
