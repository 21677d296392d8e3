package dev.cohort.node.internal.client;

import static dev.cohort.node.internal.client.Fixtures.A;
import static dev.cohort.node.internal.client.Fixtures.LEDGER;
import static dev.cohort.node.internal.client.Fixtures.MAX_VALUE;
import static dev.cohort.node.internal.client.Fixtures.TABLE;
import static dev.cohort.node.internal.client.Fixtures.found;
import static dev.cohort.node.internal.client.Fixtures.partition;
import static dev.cohort.node.internal.client.Fixtures.refused;
import static dev.cohort.node.internal.client.Fixtures.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.CohortException;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.RequestId;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each answer means for each kind of request. */
class RepliesTest {
  private static final RequestId ID = new RequestId(7, 1);
  private static final Request PUT = Request.Write.of(partition(0), new KvCommand.Put(ID, TABLE, "k", new byte[10]));
  private static final Request CAS =
      Request.Write.of(partition(0), new KvCommand.CompareAndSet(ID, TABLE, "k", 4, new byte[3]));
  private static final Request DELETE = Request.Write.of(partition(0), new KvCommand.Delete(ID, TABLE, "k"));
  private static final Request READ = new Request.Read(partition(0), TABLE, "k", ReadConsistency.LINEARIZABLE);

  private final Replies replies = new Replies(Set.of(TABLE), MAX_VALUE, node -> Optional.of(LEDGER));

  private Verdict judge(Reply reply, Request request) {
    return replies.judge(reply, request, A, Duration.ofMillis(1234));
  }

  private RuntimeException failure(Reply reply, Request request) {
    return assertInstanceOf(Verdict.Fail.class, judge(reply, request)).error();
  }

  @Test
  void successesAreDone() {
    Reply written = reply(Outcome.WRITTEN, 5, 5);
    Reply deleted = reply(Outcome.DELETED, -1, 6);
    Reply found = found(new byte[] {1}, 5, 9);
    Reply absent = reply(Outcome.ABSENT, -1, 9);

    assertEquals(new Verdict.Done(written), judge(written, PUT));
    assertEquals(new Verdict.Done(written), judge(written, CAS));
    assertEquals(new Verdict.Done(deleted), judge(deleted, DELETE));
    assertEquals(new Verdict.Done(found), judge(found, READ));
    assertEquals(new Verdict.Done(absent), judge(absent, READ));
  }

  @Test
  void notActiveIsRetriedForEveryKindOfRequest() {
    Reply notActive = refused(Outcome.NOT_ACTIVE, "not-active", "node-a is not the active");
    for (Request request : new Request[] {PUT, CAS, DELETE, READ}) {
      var retry = assertInstanceOf(Verdict.Retry.class, judge(notActive, request));
      assertEquals("node-a is not the active of kvg#0: node-a is not the active", retry.reason());
    }
  }

  @Test
  void aConflictNamesTheExpectedAndTheCurrentVersion() {
    var conflict = assertInstanceOf(CohortException.VersionConflict.class,
        failure(new Reply(Outcome.CONFLICT, null, 8, 0, "version-conflict", "x"), CAS));

    assertEquals(4, conflict.expected());
    assertEquals(Optional.of(8L), conflict.current());
  }

  @Test
  void aConflictOnAnAbsentKeyNamesNoCurrentVersion() {
    var conflict = assertInstanceOf(CohortException.VersionConflict.class,
        failure(new Reply(Outcome.CONFLICT, null, -1, 0, "version-conflict", "x"), CAS));

    assertEquals(Optional.empty(), conflict.current());
  }

  @Test
  void aQuorumLossKeepsTheGroupAndCountsTheFencedNodeSent() {
    String message = new CohortException.QuorumLost(NodeGroup.of("ledger"), 1, 2).getMessage();

    var lost = assertInstanceOf(CohortException.QuorumLost.class,
        failure(refused(Outcome.QUORUM_LOST, "quorum-lost", message), PUT));

    assertEquals(NodeGroup.of("ledger"), lost.group());
    assertEquals(1, lost.seen());
    assertEquals(2, lost.needed());
    assertEquals(message, lost.getMessage());
  }

  @Test
  void aQuorumLossInAnotherWordingStillFailsAsQuorumLostNamingTheNodesGroup() {
    var lost = assertInstanceOf(CohortException.QuorumLost.class,
        failure(refused(Outcome.QUORUM_LOST, "quorum-lost", "fenced"), READ));

    assertEquals(LEDGER, lost.group());
  }

  @Test
  void refusalsBecomeTheirErrors() {
    var tooLarge = assertInstanceOf(CohortException.TooLarge.class,
        failure(refused(Outcome.REJECTED, "too-large", "x"), PUT));
    assertEquals(10, tooLarge.size());
    assertEquals(MAX_VALUE, tooLarge.max());

    var unknown = assertInstanceOf(CohortException.UnknownTable.class,
        failure(refused(Outcome.REJECTED, "unknown-table", "x"), READ));
    assertEquals(TABLE, unknown.table());

    var expired = assertInstanceOf(CohortException.Timeout.class,
        failure(refused(Outcome.REJECTED, "request-expired", "x"), PUT));
    assertEquals(Duration.ofMillis(1234), expired.after(), "the outcome is open, as after a timeout");
  }

  @Test
  void aMalformedRefusalOrAnAnswerThatDoesNotFitIsABug() {
    var malformed = failure(refused(Outcome.REJECTED, "malformed", "bad bytes"), PUT);
    assertInstanceOf(IllegalStateException.class, malformed);
    assertTrue(malformed.getMessage().contains("malformed"), malformed.getMessage());

    assertInstanceOf(IllegalStateException.class, failure(reply(Outcome.WRITTEN, 1, 1), READ));
    assertInstanceOf(IllegalStateException.class, failure(reply(Outcome.DELETED, -1, 1), PUT));
    assertInstanceOf(IllegalStateException.class, failure(reply(Outcome.WRITTEN, 1, 1), DELETE));
  }
}
