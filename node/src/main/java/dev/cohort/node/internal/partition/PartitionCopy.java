package dev.cohort.node.internal.partition;

import dev.cohort.api.NodeName;
import dev.cohort.node.ReplicationSettings;
import dev.cohort.node.internal.Coordinator;
import dev.cohort.node.internal.CopyProgress;
import dev.cohort.node.internal.NodeView;
import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Read;
import dev.cohort.node.internal.partition.PartitionProtocol.JournalQuery;
import dev.cohort.node.internal.partition.PartitionProtocol.ReadCall;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunk;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunkWanted;
import dev.cohort.node.internal.partition.PartitionProtocol.ToPartition;
import dev.cohort.node.internal.partition.PartitionProtocol.WriteCall;
import dev.cohort.partitioning.PartitionEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * This node's copy of one partition: the sequencer while the table names this node active for it
 * ({@link ActiveRole}), a follower of the active's log otherwise ({@link ReplicaRole}). The roles
 * hold the protocol; this actor only routes messages to them and carries out what they ask.
 */
public final class PartitionCopy extends AbstractBehavior<PartitionCopy.Command> implements Outbox {

  /** What the copy handles: {@link PartitionProtocol.ToPartition} from outside, and the below. */
  public interface Command {}

  /** The partition's entry in the newest table this node holds. */
  public record Assign(PartitionEntry entry) implements Command {}

  private enum Internal implements Command {
    FLUSH,
    ROUND,
    TICK
  }

  private static final String TICK_TIMER = "tick";

  private final String self;
  private final PartitionState state;
  private final ReplicationSettings settings;
  private final ActorRef<PartitionHost.Command> relay;
  private final ActorRef<Coordinator.Command> coordinator;
  private final Supplier<Optional<Reply>> fence;
  private final NodeView view;
  private final ReplicaRole replica;
  /** Where the log this copy found in storage ended: 0 for a new copy. */
  private final long restoredSeq;
  private final Map<String, NodeName> names = new HashMap<>();
  private PartitionEntry entry;
  private ActiveRole active;
  /** When this copy next tells the coordinator that it holds data of its unavailable partition. */
  private long heldReportDueNanos;

  /**
   * A copy of a partition.
   *
   * @param relay this node's host, which carries the copy's messages to other nodes' copies
   * @param fence says whether this node must refuse to act (its node group lost quorum), and how
   * @param view where the copy publishes its progress
   */
  public static Behavior<Command> create(String self, PartitionState state, ReplicationSettings settings,
      ActorRef<PartitionHost.Command> relay, ActorRef<Coordinator.Command> coordinator, Supplier<Optional<Reply>> fence,
      NodeView view) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(TICK_TIMER, Internal.TICK, settings.heartbeatInterval());
      return new PartitionCopy(context, self, state, settings, relay, coordinator, fence, view);
    }));
  }

  private PartitionCopy(ActorContext<Command> context, String self, PartitionState state, ReplicationSettings settings,
      ActorRef<PartitionHost.Command> relay, ActorRef<Coordinator.Command> coordinator, Supplier<Optional<Reply>> fence,
      NodeView view) {
    super(context);
    this.self = self;
    this.state = state;
    this.settings = settings;
    this.relay = relay;
    this.coordinator = coordinator;
    this.fence = fence;
    this.view = view;
    this.replica = new ReplicaRole(self, state, context.getLog());
    this.restoredSeq = state.lastSeq();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Assign.class, this::onAssign)
        .onMessage(WriteCall.class, this::onWrite)
        .onMessage(ReadCall.class, this::onRead)
        .onMessage(JournalQuery.class, this::onJournalQuery)
        .onMessage(Append.class, this::onAppend)
        .onMessage(Appended.class, this::onAppended)
        .onMessage(SnapshotChunk.class, this::onSnapshotChunk)
        .onMessage(SnapshotChunkWanted.class, this::onSnapshotChunkWanted)
        .onMessageEquals(Internal.FLUSH, () -> whenActive(ActiveRole::flush))
        .onMessageEquals(Internal.ROUND, () -> whenActive(ActiveRole::round))
        .onMessageEquals(Internal.TICK, this::onTick)
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private Behavior<Command> onAssign(Assign assign) {
    PartitionEntry next = assign.entry();
    if (entry != null && next.epoch().compareTo(entry.epoch()) < 0) {
      return this; // an older table than one already seen
    }
    if (entry == null || !next.epoch().equals(entry.epoch())) {
      heldReportDueNanos = System.nanoTime(); // each new table of an unavailable partition is answered at once
    }
    entry = next;
    reportHeld();
    boolean activeHere = next.active().map(a -> a.value().equals(self)).orElse(false);
    if (!activeHere) {
      stepDown("the table of epoch " + next.epoch() + " names " + next.active().map(NodeName::value).orElse("no node")
          + " active for " + next.id());
    } else if (active != null && next.epoch().value() >= active.epoch()) {
      active.reassign(next);
    } else if (active == null && next.epoch().value() >= state.promisedEpoch()) {
      active = new ActiveRole(self, next, state, settings, this, System::nanoTime);
      getContext().getLog().info("{} is active for {} in epoch {} from seq {}", self, next.id(), next.epoch(),
          state.lastSeq() + 1);
    }
    return this;
  }

  private Behavior<Command> onWrite(WriteCall call) {
    Optional<Reply> refusal = refusal(call.write().epoch());
    if (refusal.isPresent()) {
      call.replyTo().caller().tell(Answering.one(call.replyTo(), refusal.get()));
    } else {
      active.onWrite(call);
    }
    return this;
  }

  private Behavior<Command> onRead(ReadCall call) {
    Read read = call.read();
    if (!read.linearizable()) {
      call.replyTo().caller().tell(Answering.one(call.replyTo(), state.read(read.table(), read.key())));
      return this;
    }
    Optional<Reply> refusal = refusal(read.epoch());
    if (refusal.isPresent()) {
      call.replyTo().caller().tell(Answering.one(call.replyTo(), refusal.get()));
    } else {
      active.onRead(call);
    }
    return this;
  }

  private Behavior<Command> onJournalQuery(JournalQuery query) {
    // Any epoch will do: the plugin on this node asks whichever copy is here, and only an active answers.
    Optional<Reply> refusal = refusal(0);
    if (refusal.isPresent()) {
      query.refuse(refusal.get().message());
    } else {
      active.onRead(query);
    }
    return this;
  }

  /** Why this copy cannot serve a request the caller sent in {@code epoch}, if it cannot. */
  private Optional<Reply> refusal(long epoch) {
    if (active == null || epoch > active.epoch()) {
      String known = entry == null ? "no table yet"
          : "the newest table here names " + entry.active().map(NodeName::value).orElse("no node") + " active in epoch "
              + entry.epoch();
      return Optional.of(Reply.refused(Outcome.NOT_ACTIVE, "not-active", self + " is not the active: " + known));
    }
    return fence.get();
  }

  private Behavior<Command> onAppend(Append append) {
    return fromActive(append.epoch(), append.from(), () -> replica.onAppend(append));
  }

  private Behavior<Command> onSnapshotChunk(SnapshotChunk chunk) {
    return fromActive(chunk.epoch(), chunk.from(), () -> replica.onSnapshotChunk(chunk));
  }

  /**
   * A message from the active of {@code epoch} on node {@code from}: the replica role handles it and
   * its answer goes back. If this node is active in an older epoch, it steps down first; in the same
   * or a newer one, the replica role refuses the message as stale.
   */
  private Behavior<Command> fromActive(long epoch, String from, Supplier<ToPartition> handle) {
    if (active != null && epoch > active.epoch()) {
      stepDown("an active of epoch " + epoch + " (" + from + ") took over");
    }
    tell(from, handle.get());
    return this;
  }

  private Behavior<Command> onSnapshotChunkWanted(SnapshotChunkWanted answer) {
    if (active != null && !active.onSnapshotChunkWanted(answer)) {
      stepDown(answer.replica() + " follows epoch " + answer.epoch() + ", newer than this active's");
    }
    return this;
  }

  private Behavior<Command> onAppended(Appended answer) {
    if (active != null && !active.onAppended(answer)) {
      stepDown(answer.replica() + " follows epoch " + answer.epoch() + ", newer than this active's");
    }
    return this;
  }

  private Behavior<Command> onTick() {
    if (active != null) {
      active.round();
    }
    state.writeBehind();
    reportHeld();
    view.publishCopy(state.log().partition(), new CopyProgress(active != null, state.committedSeq(),
        new TreeMap<>(active == null ? Map.of() : active.ackedSeqs()),
        new TreeMap<>(active == null ? Map.of() : active.snapshotsSending()), restoredSeq, replica.receivedEntries(),
        replica.receivedSnapshotBytes()));
    return this;
  }

  /**
   * While the table lists the partition as unavailable with this node among the in-sync holders it
   * lost, and this copy holds data (its node restarted on its storage), tells the coordinator what
   * it holds, now and then, until the coordinator revives the partition.
   */
  private void reportHeld() {
    long now = System.nanoTime();
    if (entry == null || entry.available() || !entry.isInSync(nameOf(self)) || state.lastSeq() == 0
        || now - heldReportDueNanos < 0) {
      return;
    }
    heldReportDueNanos = now + settings.heldReportInterval().toNanos();
    coordinator.tell(new Coordinator.CopyHeld(state.log().partition(), entry.epoch().value(), self,
        state.log().lastEpoch(), state.lastSeq()));
  }

  private Behavior<Command> whenActive(Consumer<ActiveRole> action) {
    if (active != null) {
      action.accept(active);
    }
    return this;
  }

  private void stepDown(String reason) {
    if (active != null) {
      getContext().getLog().info("{} stops being active for {}: {}", self, state.log().partition(), reason);
      active.abandon(reason);
      active = null;
    }
  }

  private Behavior<Command> onStop() {
    stepDown("the copy stopped");
    view.removeCopy(state.log().partition());
    state.writeAll();
    state.log().close();
    return this;
  }

  private void tell(String node, ToPartition answer) {
    relay.tell(new PartitionHost.Relay(nameOf(node), answer));
  }

  /** Node names by their text, parsed once: every message to a peer names it. */
  private NodeName nameOf(String node) {
    return names.computeIfAbsent(node, NodeName::of);
  }

  // --- Outbox ----------------------------------------------------------------------------------

  @Override
  public void toReplica(String node, ToPartition message) {
    relay.tell(new PartitionHost.Relay(nameOf(node), message));
  }

  @Override
  public void answer(ActorRef<Answers> caller, Answers answers) {
    caller.tell(answers);
  }

  @Override
  public void caughtUp(long epoch, String node) {
    coordinator.tell(new Coordinator.ReplicaCaughtUp(state.log().partition(), epoch, node));
  }

  @Override
  public void lagging(long epoch, Set<String> replicas, String why) {
    getContext().getLog().warn("{}: replicas {} of {} are not keeping up ({}); asking the coordinator to drop them "
        + "from the in-sync set", self, replicas, state.log().partition(), why);
    coordinator.tell(new Coordinator.ReplicasLagging(state.log().partition(), epoch, replicas));
  }

  @Override
  public void scheduleFlush() {
    getContext().getSelf().tell(Internal.FLUSH);
  }

  @Override
  public void scheduleRound() {
    getContext().getSelf().tell(Internal.ROUND);
  }
}
