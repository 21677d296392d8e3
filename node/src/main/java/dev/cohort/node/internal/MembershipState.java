package dev.cohort.node.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * Membership as folded from the cluster events an actor subscribed to. An actor must not read
 * {@code Cluster.state()} when an event arrives: that view is updated by another subscriber and
 * may not have seen the event yet, and no later event may come to correct it.
 */
final class MembershipState {
  private final Map<UniqueAddress, Member> members = new HashMap<>();
  private final Map<UniqueAddress, Member> unreachable = new HashMap<>();

  /** Takes in a membership change. */
  void apply(ClusterEvent.MemberEvent event) {
    Member member = event.member();
    if (event instanceof ClusterEvent.MemberRemoved) {
      members.remove(member.uniqueAddress());
      unreachable.remove(member.uniqueAddress());
    } else {
      members.put(member.uniqueAddress(), member);
    }
  }

  /** Takes in a reachability change, as seen from this node. */
  void apply(ClusterEvent.ReachabilityEvent event) {
    Member member = event.member();
    if (event instanceof ClusterEvent.UnreachableMember) {
      unreachable.put(member.uniqueAddress(), member);
    } else {
      unreachable.remove(member.uniqueAddress());
    }
  }

  /** The members known, with their latest status. */
  Collection<Member> members() {
    return List.copyOf(members.values());
  }

  /** The members this node cannot reach. */
  Set<Member> unreachable() {
    return unreachable.keySet().stream()
        .map(address -> members.getOrDefault(address, unreachable.get(address)))
        .collect(Collectors.toSet());
  }

  /** The latest state of the member at {@code address}, if known. */
  Optional<Member> member(UniqueAddress address) {
    return Optional.ofNullable(members.get(address));
  }
}
