package dev.cohort.node.internal;

import dev.cohort.node.internal.partition.PartitionHost;
import dev.cohort.node.internal.partition.PeerHosts;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The node's root: starts its long-lived actors and the coordinator singleton. */
public final class NodeGuardian {
  private NodeGuardian() {}

  /** The root behavior of a Cohort node. */
  public static Behavior<Void> create(NodeRuntime runtime, NodeView view, NodeStorage storage) {
    return Behaviors.setup(context -> {
      context.spawn(NodeNameGuard.create(), "node-name-guard");
      context.spawn(QuorumMonitor.create(runtime.quorum(), view), "quorum");
      ActorRef<Coordinator.Command> coordinator = Coordinator.singleton(context.getSystem(), runtime);
      var host = context.spawn(PartitionHost.create(runtime.self(), runtime.cohort().nodes().get(runtime.self()).groups(),
          storage.logs(), storage.states(), runtime.tables(), runtime.replication(), view, coordinator), PeerHosts.HOST_NAME);
      context.spawn(TableSubscriber.create(view, host), "partition-table");
      return Behaviors.empty();
    });
  }
}
