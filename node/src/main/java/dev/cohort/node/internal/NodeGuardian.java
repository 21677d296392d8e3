package dev.cohort.node.internal;

import dev.cohort.api.CohortSettings;
import dev.cohort.node.NodeSettings;
import dev.cohort.quorum.QuorumSettings;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/** The node's root: starts its long-lived actors and the coordinator singleton. */
public final class NodeGuardian {
  private NodeGuardian() {}

  /** The root behavior of a Cohort node. */
  public static Behavior<Void> create(
      CohortSettings cohortSettings, QuorumSettings quorum, NodeSettings settings, NodeView view) {
    return Behaviors.setup(context -> {
      context.spawn(NodeNameGuard.create(), "node-name-guard");
      context.spawn(TableSubscriber.create(view), "partition-table");
      context.spawn(QuorumMonitor.create(quorum, view), "quorum");
      ClusterSingleton.get(context.getSystem())
          .init(SingletonActor.of(Coordinator.create(cohortSettings, settings), "coordinator"));
      return Behaviors.empty();
    });
  }
}
