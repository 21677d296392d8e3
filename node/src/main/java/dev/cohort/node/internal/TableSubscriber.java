package dev.cohort.node.internal;

import dev.cohort.partitioning.PartitionTable;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/** Keeps this node's {@link NodeView} up to date with the partition table in Distributed Data. */
public final class TableSubscriber extends AbstractBehavior<TableSubscriber.Command> {

  /** The subscriber's protocol: only Distributed Data's change notifications. */
  public sealed interface Command {}

  private record TableChanged(Replicator.SubscribeResponse<LWWRegister<PartitionTable>> response)
      implements Command {}

  private final NodeView view;

  /** A subscriber that writes every new table into {@code view}. */
  public static Behavior<Command> create(NodeView view) {
    return Behaviors.setup(
        context ->
            DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWRegister<PartitionTable>> replicator) -> {
                  replicator.subscribe(TableRegister.KEY, TableChanged::new);
                  return new TableSubscriber(context, view);
                }));
  }

  private TableSubscriber(ActorContext<Command> context, NodeView view) {
    super(context);
    this.view = view;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(TableChanged.class, this::onTableChanged).build();
  }

  private Behavior<Command> onTableChanged(TableChanged message) {
    if (message.response() instanceof Replicator.Changed<LWWRegister<PartitionTable>> changed) {
      PartitionTable table = changed.get(TableRegister.KEY).getValue();
      if (table.version() > view.table().version()) {
        getContext().getLog().info("Partition table version {} received", table.version());
      }
      view.offerTable(table);
    }
    return this;
  }
}
