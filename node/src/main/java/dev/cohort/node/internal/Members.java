package dev.cohort.node.internal;

import dev.cohort.api.NodeName;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/**
 * How Cohort reads Pekko membership: a member's Cohort node name travels as one of its cluster
 * roles ({@value #NAME_ROLE_PREFIX}name), its node groups as the other roles. Pure functions over
 * member sets; no actor.
 */
public final class Members {
  /** Prefix of the cluster role that carries a member's Cohort node name. */
  public static final String NAME_ROLE_PREFIX = "cohort-node:";

  /** Statuses of a member that takes part in the cluster (counted for quorum, shown as live). */
  private static final Set<MemberStatus> PARTICIPATING =
      Set.of(MemberStatus.up(), MemberStatus.weaklyUp(), MemberStatus.leaving());

  /** Statuses of a member that still holds its name (a newcomer with the same name is refused). */
  private static final Set<MemberStatus> GONE =
      Set.of(MemberStatus.down(), MemberStatus.exiting(), MemberStatus.removed());

  private Members() {}

  /** The role that carries {@code name}. */
  public static String nameRole(NodeName name) {
    return NAME_ROLE_PREFIX + name.value();
  }

  /** The Cohort node name of {@code member}, if it carries one. */
  public static Optional<NodeName> nameOf(Member member) {
    return member.getRoles().stream()
        .filter(role -> role.startsWith(NAME_ROLE_PREFIX))
        .map(role -> NodeName.of(role.substring(NAME_ROLE_PREFIX.length())))
        .findFirst();
  }

  /**
   * Members by name, keeping only the oldest member of each name: a newcomer that took a name
   * already held is ignored until it leaves.
   */
  public static SortedMap<NodeName, Member> byName(Iterable<Member> members) {
    var result = new TreeMap<NodeName, Member>();
    for (Member member : members) {
      if (GONE.contains(member.status())) {
        continue;
      }
      nameOf(member).ifPresent(name -> result.merge(name, member, Members::older));
    }
    return result;
  }

  /**
   * The names of members that are Up: the nodes the coordinator places partitions on. A member
   * that is unreachable stays live until the Split Brain Resolver downs it, so that a node that is
   * only cut off is never replaced while it may still act.
   */
  public static Set<NodeName> upNames(Iterable<Member> members) {
    return names(members, m -> m.status() == MemberStatus.up());
  }

  /**
   * The incarnation (member unique id) of each Up member, by name: a node that restarts comes back
   * with the same name and another incarnation.
   */
  public static SortedMap<NodeName, Long> upIncarnations(Iterable<Member> members) {
    var result = new TreeMap<NodeName, Long>();
    byName(members).forEach((name, member) -> {
      if (member.status() == MemberStatus.up()) {
        result.put(name, member.uniqueAddress().longUid());
      }
    });
    return result;
  }

  /** The names of members that take part in the cluster and are reachable from here. */
  public static Set<NodeName> reachableNames(Iterable<Member> members, Set<Member> unreachable) {
    return names(members, m -> PARTICIPATING.contains(m.status()) && !unreachable.contains(m));
  }

  /** Whether {@code self} has taken a name that an older member holds. */
  public static Optional<Member> holderOfNameTakenBy(Member self, Iterable<Member> members) {
    Optional<NodeName> name = nameOf(self);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return StreamSupport.stream(members.spliterator(), false)
        .filter(m -> !m.uniqueAddress().equals(self.uniqueAddress()))
        .filter(m -> !GONE.contains(m.status()))
        .filter(m -> name.equals(nameOf(m)))
        .filter(m -> m.isOlderThan(self))
        .findFirst();
  }

  private static Set<NodeName> names(Iterable<Member> members, java.util.function.Predicate<Member> test) {
    return byName(members).entrySet().stream()
        .filter(e -> test.test(e.getValue()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private static Member older(Member a, Member b) {
    return a.isOlderThan(b) ? a : b;
  }
}
