package dev.cohort.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.NodeName;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.Member$;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** How Cohort reads Pekko membership, on hand-made members. */
class MembersTest {
  private static final NodeName A = NodeName.of("node-a");
  private static final NodeName B = NodeName.of("node-b");

  @Test
  void aMembersNameIsCarriedByItsNameRole() {
    Member member = member(1, A, MemberStatus.up(), 1);

    assertEquals(A, Members.nameOf(member).orElseThrow());
    assertEquals("cohort-node:node-a", Members.nameRole(A));
  }

  @Test
  void upNamesCountOnlyUpMembers_andKeepOnlyTheOldestHolderOfAName() {
    Member a = member(1, A, MemberStatus.up(), 1);
    Member b = member(2, B, MemberStatus.joining(), 0);

    assertEquals(Set.of(A), Members.upNames(List.of(a, b)));
  }

  @Test
  void aNewcomerWithATakenNameSeesTheOlderHolder_andTheHolderSeesNoConflict() {
    Member holder = member(1, A, MemberStatus.up(), 1);
    Member newcomer = member(2, A, MemberStatus.joining(), 0);

    assertEquals(holder, Members.holderOfNameTakenBy(newcomer, List.of(holder, newcomer)).orElseThrow());
    assertTrue(Members.holderOfNameTakenBy(holder, List.of(holder, newcomer)).isEmpty());
    assertEquals(holder, Members.byName(List.of(newcomer, holder)).get(A));
  }

  @Test
  void aDownedHolderNoLongerHoldsItsName() {
    Member downed = member(1, A, MemberStatus.down(), 1);
    Member newcomer = member(2, A, MemberStatus.joining(), 0);

    assertTrue(Members.holderOfNameTakenBy(newcomer, List.of(downed, newcomer)).isEmpty());
  }

  @Test
  void reachableNamesLeaveOutUnreachableMembers() {
    Member a = member(1, A, MemberStatus.up(), 1);
    Member b = member(2, B, MemberStatus.up(), 2);

    assertEquals(Set.of(A), Members.reachableNames(List.of(a, b), Set.of(b)));
  }

  /** A member as Pekko's gossip would carry it: Joining, or Up with its up number, then {@code status}. */
  private static Member member(int port, NodeName name, MemberStatus status, int upNumber) {
    var address = new UniqueAddress(new Address("pekko", "cohort", "127.0.0.1", 25520 + port), (long) port);
    scala.collection.immutable.Set<String> roles = scala.collection.immutable.Set$.MODULE$.from(
        CollectionConverters.asScala(Set.of("dc-default", "ledger", Members.nameRole(name))));
    Member joining = Member$.MODULE$.apply(address, roles, Version.Zero());
    if (status == MemberStatus.joining()) {
      return joining;
    }
    Member up = joining.copyUp(upNumber);
    return status == MemberStatus.up() ? up : up.copy(status);
  }
}
