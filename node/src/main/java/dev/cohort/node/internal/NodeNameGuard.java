package dev.cohort.node.internal;

import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Refuses this node's membership when its name is already held by an older member: the newcomer
 * leaves and shuts down with {@link NodeNameTaken}, and the member that holds the name is not
 * disturbed (the coordinator also only ever sees the oldest member of a name).
 */
public final class NodeNameGuard extends AbstractBehavior<NodeNameGuard.Command> {

  /** The guard's protocol: only membership events. */
  public sealed interface Command {}

  private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {}

  private final UniqueAddress selfAddress;
  private final MembershipState membership = new MembershipState();
  private boolean refused;

  /** A guard for this node's name. */
  public static Behavior<Command> create() {
    return Behaviors.setup(NodeNameGuard::new);
  }

  private NodeNameGuard(ActorContext<Command> context) {
    super(context);
    Cluster cluster = Cluster.get(context.getSystem());
    this.selfAddress = cluster.selfMember().uniqueAddress();
    var adapter = context.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new);
    cluster.subscriptions().tell(Subscribe.create(adapter, ClusterEvent.MemberEvent.class));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(MembershipChanged.class, this::onMembershipChanged).build();
  }

  private Behavior<Command> onMembershipChanged(MembershipChanged message) {
    membership.apply(message.event());
    Optional<Member> self = membership.member(selfAddress);
    if (refused || self.isEmpty()) {
      return this;
    }
    Members.holderOfNameTakenBy(self.get(), membership.members()).ifPresent(holder -> {
      refused = true;
      var name = Members.nameOf(self.get()).orElseThrow();
      getContext().getLog().error(
          "Node name '{}' is already taken by member {} ({}); this node refuses to join and shuts down",
          name, holder.address(), holder.status());
      CoordinatedShutdown.get(getContext().getSystem()).run(new NodeNameTaken(name, holder.address().toString()));
    });
    return this;
  }
}
