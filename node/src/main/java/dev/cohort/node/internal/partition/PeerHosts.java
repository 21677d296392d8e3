package dev.cohort.node.internal.partition;

import dev.cohort.api.NodeName;
import dev.cohort.node.internal.Members;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The {@link PartitionHost} of every node, by node name: found from the member that holds the name
 * and the host's well-known path, and remembered until that member's address changes (a restart).
 */
public final class PeerHosts {
  /** The name under the user guardian that every node's partition host runs at. */
  public static final String HOST_NAME = "partition-host";

  /** How long a name-to-member lookup is reused: membership changes far less often than messages flow. */
  private static final long REFRESH_NANOS = 250_000_000L;

  private final ActorSystem<?> system;
  private final Map<NodeName, Resolved> resolved = new HashMap<>();
  private Map<NodeName, Member> members = Map.of();
  private long refreshedAt;

  private record Resolved(Address address, ActorRef<PartitionHost.Command> host) {}

  public PeerHosts(ActorSystem<?> system) {
    this.system = system;
  }

  /**
   * The host on node {@code name}, if a member holds that name. Membership is read again at most
   * every {@value #REFRESH_NANOS} ns, or when the name is not known: a message sent meanwhile to a
   * node that just left is lost, as any message to it would be, and the replication protocol sends
   * again.
   */
  public synchronized Optional<ActorRef<PartitionHost.Command>> hostOf(NodeName name) {
    long now = System.nanoTime();
    if (now - refreshedAt > REFRESH_NANOS || !members.containsKey(name)) {
      members = Members.byName(Cluster.get(system).state().getMembers());
      refreshedAt = now;
    }
    Member member = members.get(name);
    if (member == null) {
      return Optional.empty();
    }
    Resolved known = resolved.get(name);
    if (known == null || !known.address().equals(member.address())) {
      String path = member.address() + "/user/" + HOST_NAME;
      known = new Resolved(member.address(), ActorRefResolver.get(system).resolveActorRef(path));
      resolved.put(name, known);
    }
    return Optional.of(known.host());
  }
}
