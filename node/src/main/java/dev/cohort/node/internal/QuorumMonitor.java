package dev.cohort.node.internal;

import dev.cohort.api.NodeGroup;
import dev.cohort.quorum.QuorumSettings;
import dev.cohort.quorum.QuorumState;
import java.util.SortedMap;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Evaluates this node's view of every node group's quorum whenever membership or reachability
 * changes, publishes it in the {@link NodeView} and logs when a group loses or regains quorum.
 */
public final class QuorumMonitor extends AbstractBehavior<QuorumMonitor.Command> {

  /** The monitor's protocol: only cluster events. */
  public sealed interface Command {}

  private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {}

  private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {}

  private final QuorumSettings quorum;
  private final NodeView view;
  private final Cluster cluster;
  private final MembershipState membership = new MembershipState();

  /** A monitor evaluating {@code quorum} into {@code view}. */
  public static Behavior<Command> create(QuorumSettings quorum, NodeView view) {
    return Behaviors.setup(context -> new QuorumMonitor(context, quorum, view));
  }

  private QuorumMonitor(ActorContext<Command> context, QuorumSettings quorum, NodeView view) {
    super(context);
    this.quorum = quorum;
    this.view = view;
    this.cluster = Cluster.get(context.getSystem());
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
        ClusterEvent.ReachabilityEvent.class));
    evaluate();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MembershipChanged.class, message -> {
          membership.apply(message.event());
          return evaluate();
        })
        .onMessage(ReachabilityChanged.class, message -> {
          membership.apply(message.event());
          return evaluate();
        })
        .build();
  }

  private Behavior<Command> evaluate() {
    SortedMap<NodeGroup, QuorumState> next =
        quorum.evaluate(Members.reachableNames(membership.members(), membership.unreachable()));
    SortedMap<NodeGroup, QuorumState> previous = view.quorum();
    // A node that is leaving or not yet Up loses sight of the others as a matter of course.
    boolean logChanges = membership.member(cluster.selfMember().uniqueAddress())
        .map(self -> self.status() == MemberStatus.up())
        .orElse(false);
    next.forEach((group, now) -> {
      if (!logChanges) {
        return;
      }
      QuorumState before = previous.get(group);
      if (before != null && before.present() && !now.present()) {
        getContext().getLog().warn("Node group {} lost quorum: {} of {} needed nodes seen", group, now.seen().size(), now.needed());
      } else if (before != null && !before.present() && now.present()) {
        getContext().getLog().info("Node group {} has quorum again: {} of {} needed nodes seen", group, now.seen().size(), now.needed());
      }
    });
    view.setQuorum(next);
    return this;
  }
}
