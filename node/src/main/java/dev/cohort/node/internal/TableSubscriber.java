package dev.cohort.node.internal;

import dev.cohort.node.internal.partition.PartitionHost;
import dev.cohort.partitioning.PartitionTable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/** Keeps this node's {@link NodeView} up to date with the committed partition table in Distributed Data. */
public final class TableSubscriber extends AbstractBehavior<TableSubscriber.Command> {

  /** The subscriber's protocol: only Distributed Data's change notifications. */
  public sealed interface Command {}

  private record TableChanged(Replicator.SubscribeResponse<LWWRegister<PublishedTable>> response)
      implements Command {}

  private final NodeView view;
  private final ActorRef<PartitionHost.Command> host;

  /** A subscriber that writes every new table into {@code view} and hands it to this node's partition host. */
  public static Behavior<Command> create(NodeView view, ActorRef<PartitionHost.Command> host) {
    return Behaviors.setup(
        context ->
            DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWRegister<PublishedTable>> replicator) -> {
                  replicator.subscribe(TableRegister.KEY, TableChanged::new);
                  return new TableSubscriber(context, view, host);
                }));
  }

  private TableSubscriber(ActorContext<Command> context, NodeView view, ActorRef<PartitionHost.Command> host) {
    super(context);
    this.view = view;
    this.host = host;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(TableChanged.class, this::onTableChanged).build();
  }

  private Behavior<Command> onTableChanged(TableChanged message) {
    if (message.response() instanceof Replicator.Changed<LWWRegister<PublishedTable>> changed) {
      PublishedTable published = changed.get(TableRegister.KEY).getValue();
      if (!published.committed()) {
        return this; // a proposal: acted on only once the coordinator commits it
      }
      PartitionTable table = published.table();
      if (table.version() > view.table().version()) {
        getContext().getLog().info("Partition table version {} received", table.version());
      }
      view.offerTable(table);
      host.tell(new PartitionHost.TableUpdated(table));
    }
    return this;
  }
}
