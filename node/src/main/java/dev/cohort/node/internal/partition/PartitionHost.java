package dev.cohort.node.internal.partition;

import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.node.ReplicationSettings;
import dev.cohort.node.TableSettings;
import dev.cohort.node.internal.Coordinator;
import dev.cohort.node.internal.NodeView;
import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.internal.partition.PartitionProtocol.JournalQuery;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Read;
import dev.cohort.node.internal.partition.PartitionProtocol.ReadCall;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.ReplyTo;
import dev.cohort.node.internal.partition.PartitionProtocol.Requests;
import dev.cohort.node.internal.partition.PartitionProtocol.ToPartition;
import dev.cohort.node.internal.partition.PartitionProtocol.Traffic;
import dev.cohort.node.internal.partition.PartitionProtocol.Write;
import dev.cohort.node.internal.partition.PartitionProtocol.WriteCall;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.persistence.LogEntry;
import dev.cohort.persistence.LogStorage;
import dev.cohort.persistence.StateStorage;
import dev.cohort.quorum.QuorumState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A node's partitions: keeps one {@link PartitionCopy} for every partition the newest table places
 * on this node (or whose data only this node may still hold), hands each copy the messages for its
 * partition, and drops a copy and its log when the table no longer needs them here.
 */
public final class PartitionHost extends AbstractBehavior<PartitionHost.Command> {

  /** What the host handles: {@link ToPartition} messages, and the below. */
  public interface Command {}

  /** A newer partition table arrived. */
  public record TableUpdated(PartitionTable table) implements Command {}

  /** A copy on this node sends {@code message} to the copy of its partition on node {@code to}. */
  record Relay(NodeName to, ToPartition message) implements Command {}

  private record CopyStopped(PartitionId partition) implements Command {}

  private enum Flush implements Command {
    INSTANCE
  }

  /** What goes to one node at the next flush. */
  private static final class Outgoing {
    final List<Append> appends = new ArrayList<>();
    final List<Appended> appended = new ArrayList<>();
    long bytes;
  }

  /** What an append or answer costs besides its entries' payloads, generously: its fields in Protobuf. */
  private static final int MESSAGE_OVERHEAD_BYTES = 256;

  private final NodeName self;
  private final Set<NodeGroup> groups;
  private final LogStorage storage;
  private final StateStorage states;
  private final TableSettings tables;
  private final ReplicationSettings settings;
  private final NodeView view;
  private final PeerHosts hosts;
  private final ActorRef<Coordinator.Command> coordinator;
  private final Map<PartitionId, ActorRef<PartitionCopy.Command>> copies = new HashMap<>();
  private final Set<PartitionId> stopping = new HashSet<>();
  private final Map<NodeName, Outgoing> outgoing = new LinkedHashMap<>();
  private boolean flushScheduled;
  private final long incarnation;
  private PartitionTable table = PartitionTable.EMPTY;

  /** The host of node {@code self}, in {@code groups}. */
  public static Behavior<Command> create(NodeName self, Set<NodeGroup> groups, LogStorage storage,
      StateStorage states, TableSettings tables, ReplicationSettings settings, NodeView view,
      ActorRef<Coordinator.Command> coordinator) {
    return Behaviors.setup(context -> new PartitionHost(context, self, groups, storage, states, tables, settings,
        view, coordinator));
  }

  private PartitionHost(ActorContext<Command> context, NodeName self, Set<NodeGroup> groups, LogStorage storage,
      StateStorage states, TableSettings tables, ReplicationSettings settings, NodeView view,
      ActorRef<Coordinator.Command> coordinator) {
    super(context);
    this.self = self;
    this.groups = Set.copyOf(groups);
    this.storage = storage;
    this.states = states;
    this.tables = tables;
    this.settings = settings;
    this.view = view;
    this.coordinator = coordinator;
    this.hosts = new PeerHosts(context.getSystem());
    this.incarnation = Cluster.get(context.getSystem()).selfMember().uniqueAddress().longUid();
    reportKept();
  }

  /**
   * Tells the coordinator which partitions this node keeps data of from an earlier run, until the
   * first table written for this incarnation arrives (which deletes the data it does not place here):
   * a node new to the table is placed on them first, catching up only the tail.
   */
  private void reportKept() {
    var kept = new TreeSet<PartitionId>(storage.partitions());
    kept.addAll(states.partitions());
    coordinator.tell(new Coordinator.CopiesKept(self.value(), incarnation, List.copyOf(kept)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(TableUpdated.class, this::onTable)
        .onMessage(CopyStopped.class, this::onCopyStopped)
        .onMessage(Requests.class, this::onRequests)
        .onMessage(Relay.class, this::onRelay)
        .onMessage(JournalQuery.class, this::onJournalQuery)
        .onMessageEquals(Flush.INSTANCE, this::flush)
        .onMessage(Traffic.class, this::onTraffic)
        .onMessage(ToPartition.class, this::onToPartition)
        .build();
  }

  /**
   * Gathers what this node's copies send to another node until the flush behind the messages queued
   * now, so that many partitions' appends and answers share one message; a lone one waits for nothing.
   */
  private Behavior<Command> onRelay(Relay relay) {
    Outgoing out = outgoing.computeIfAbsent(relay.to(), node -> new Outgoing());
    if (!(relay.message() instanceof Append) && !(relay.message() instanceof Appended)) {
      // A snapshot chunk or its answer: rare and large, so it travels alone, after what went before.
      sendTo(relay.to(), out);
      hosts.hostOf(relay.to()).ifPresent(host -> host.tell(relay.message()));
      return this;
    }
    long size = MESSAGE_OVERHEAD_BYTES;
    if (relay.message() instanceof Append append) {
      for (LogEntry entry : append.entries()) {
        size += entry.sizeInBytes() + MESSAGE_OVERHEAD_BYTES;
      }
    }
    if (out.bytes > 0 && out.bytes + size > settings.maxBatchBytes()) {
      sendTo(relay.to(), out);
    }
    if (relay.message() instanceof Append append) {
      out.appends.add(append);
    } else {
      out.appended.add((Appended) relay.message());
    }
    out.bytes += size;
    if (!flushScheduled) {
      flushScheduled = true;
      getContext().getSelf().tell(Flush.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> flush() {
    flushScheduled = false;
    outgoing.forEach(this::sendTo);
    outgoing.clear();
    return this;
  }

  /** Sends what is gathered for {@code node}; lost, like any message to it, if it is not a member now. */
  private void sendTo(NodeName node, Outgoing out) {
    if (out.appends.isEmpty() && out.appended.isEmpty()) {
      return;
    }
    var traffic = new Traffic(List.copyOf(out.appends), List.copyOf(out.appended));
    hosts.hostOf(node).ifPresent(host -> host.tell(traffic));
    out.appends.clear();
    out.appended.clear();
    out.bytes = 0;
  }

  private Behavior<Command> onTraffic(Traffic traffic) {
    traffic.appends().forEach(this::onToPartition);
    traffic.appended().forEach(this::onToPartition);
    return this;
  }

  /** Hands each request to the copy of its partition; one this node holds no copy of is answered at once. */
  private Behavior<Command> onRequests(Requests requests) {
    Answering refusals = new Answering(settings.maxBatchBytes(), ActorRef::tell);
    for (Write write : requests.writes()) {
      var replyTo = new ReplyTo(requests.caller(), write.number());
      deliver(write.partition(), new WriteCall(write, replyTo), replyTo, refusals);
    }
    for (Read read : requests.reads()) {
      var replyTo = new ReplyTo(requests.caller(), read.number());
      deliver(read.partition(), new ReadCall(read, replyTo), replyTo, refusals);
    }
    refusals.send();
    return this;
  }

  private void deliver(PartitionId partition, PartitionCopy.Command call, ReplyTo replyTo, Answering refusals) {
    ActorRef<PartitionCopy.Command> copy = copies.get(partition);
    if (copy != null) {
      copy.tell(call);
    } else {
      refusals.add(replyTo, notHere(partition));
    }
  }

  private Behavior<Command> onJournalQuery(JournalQuery query) {
    ActorRef<PartitionCopy.Command> copy = copies.get(query.partition());
    if (copy != null) {
      copy.tell(query);
    } else {
      query.refuse(notHere(query.partition()).message());
    }
    return this;
  }

  private Behavior<Command> onToPartition(ToPartition message) {
    ActorRef<PartitionCopy.Command> copy = copies.get(message.partition());
    if (copy != null) {
      copy.tell(message);
    }
    // Appends and their answers for a copy this node does not hold are dropped: the active resends.
    return this;
  }

  private Reply notHere(PartitionId partition) {
    return Reply.refused(Outcome.NOT_ACTIVE, "not-active", self + " holds no copy of " + partition);
  }

  private Behavior<Command> onTable(TableUpdated updated) {
    if (updated.table().version() <= table.version() || !updated.table().writtenFor(self, incarnation)) {
      // A table written for an earlier incarnation of this node credits it with data it lost in the
      // restart: acting on it could start a second log at a taken epoch. The coordinator writes one
      // for this incarnation, maybe once it heard what this one keeps.
      if (table.version() == 0) {
        reportKept();
      }
      return this;
    }
    boolean first = table.version() == 0;
    table = updated.table();
    if (first) {
      dropUnwantedData();
    }
    for (PartitionEntry entry : table.partitions()) {
      boolean wanted = wanted(entry);
      ActorRef<PartitionCopy.Command> copy = copies.get(entry.id());
      if (wanted && copy == null && !stopping.contains(entry.id())) {
        copy = start(entry.id());
      }
      if (wanted && copy != null) {
        copy.tell(new PartitionCopy.Assign(entry));
      } else if (!wanted && copy != null) {
        copies.remove(entry.id());
        stopping.add(entry.id());
        getContext().stop(copy);
      }
    }
    return this;
  }

  /**
   * Deletes what the storage holds from an earlier run of this node for partitions the first table
   * of this run does not want here: other nodes hold them now, and a copy placed here later starts
   * over from the active's.
   */
  private void dropUnwantedData() {
    var held = new TreeSet<PartitionId>(storage.partitions());
    held.addAll(states.partitions());
    for (PartitionId partition : held) {
      boolean wanted = table.entry(partition).map(this::wanted).orElse(false);
      if (!wanted) {
        getContext().getLog().info("{} deletes its data of {}, kept from before a restart: it is not placed here",
            self, partition);
        storage.delete(partition);
        states.delete(partition);
      }
    }
  }

  /** A copy is kept where the table places the partition, or where its only up-to-date data may be. */
  private boolean wanted(PartitionEntry entry) {
    return entry.heldBy(self) || (!entry.available() && entry.inSync().contains(self));
  }

  private ActorRef<PartitionCopy.Command> start(PartitionId partition) {
    var state = new PartitionState(storage.open(partition), states, tables.kvSettings(partition.group()), settings);
    state.commitTo(state.committedSeq()); // the state machine applies the committed log after its state
    ActorRef<PartitionCopy.Command> copy = getContext().spawn(
        PartitionCopy.create(self.value(), state, settings, getContext().getSelf(), coordinator, this::fence, view),
        partition.group() + "-" + partition.index());
    getContext().watchWith(copy, new CopyStopped(partition));
    copies.put(partition, copy);
    return copy;
  }

  private Behavior<Command> onCopyStopped(CopyStopped stopped) {
    stopping.remove(stopped.partition());
    if (!copies.containsKey(stopped.partition())) {
      storage.delete(stopped.partition());
      states.delete(stopped.partition());
      table.entry(stopped.partition()).filter(this::wanted).ifPresent(entry ->
          start(entry.id()).tell(new PartitionCopy.Assign(entry)));
    }
    return this;
  }

  /** A refusal when this node cannot see the quorum of one of its node groups. */
  private Optional<Reply> fence() {
    for (NodeGroup group : groups) {
      QuorumState quorum = view.quorum().get(group);
      if (quorum != null && !quorum.present()) {
        return Optional.of(Reply.refused(Outcome.QUORUM_LOST, "quorum-lost",
            new dev.cohort.api.CohortException.QuorumLost(group, quorum.seen().size(), quorum.needed()).getMessage()));
      }
    }
    return Optional.empty();
  }
}
