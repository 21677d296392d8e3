package dev.cohort.node.internal.client;

import static dev.cohort.node.internal.client.Fixtures.A;
import static dev.cohort.node.internal.client.Fixtures.B;
import static dev.cohort.node.internal.client.Fixtures.C;
import static dev.cohort.node.internal.client.Fixtures.TABLE;
import static dev.cohort.node.internal.client.Fixtures.entry;
import static dev.cohort.node.internal.client.Fixtures.partition;
import static dev.cohort.node.internal.client.Fixtures.unavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.Placement;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.RequestId;
import dev.cohort.partitioning.PartitionEntry;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Where an attempt goes, as a table of cases. */
class TargetTest {
  private static final Request WRITE =
      Request.Write.of(partition(1), new KvCommand.Delete(new RequestId(1, 0), TABLE, "k"));
  private static final Request LINEARIZABLE = new Request.Read(partition(1), TABLE, "k", ReadConsistency.LINEARIZABLE);
  private static final Request REPLICA = new Request.Read(partition(1), TABLE, "k", ReadConsistency.ANY_REPLICA);

  /** A: active, B: replica in sync, C: holds nothing; epoch 3. */
  private static final PartitionEntry ENTRY = entry(1, 3, A, B);

  private record Case(String name, Optional<PartitionEntry> entry, NodeName self, Request request, boolean localRefused,
      Target expected) {}

  @Test
  void everyCase() {
    // A replica still catching up: in the placement, not in sync.
    var catchingUp = new PartitionEntry(partition(1), Optional.of(new Placement(A, List.of(C))), new TreeSet<>(List.of(A)),
        new Epoch(3));
    List<Case> cases = List.of(
        new Case("a write goes to the active with its epoch", Optional.of(ENTRY), C, WRITE, false,
            new Target.Send(A, 3, true, false)),
        new Case("a write from the active goes to itself, through its host", Optional.of(ENTRY), A, WRITE, false,
            new Target.Send(A, 3, true, false)),
        new Case("a linearizable read goes to the active even from a replica", Optional.of(ENTRY), B, LINEARIZABLE,
            false, new Target.Send(A, 3, true, false)),
        new Case("a replica read on a replica stays on this node", Optional.of(ENTRY), B, REPLICA, false,
            new Target.Send(B, 3, false, true)),
        new Case("a replica read on a catching-up replica stays on this node", Optional.of(catchingUp), C, REPLICA,
            false, new Target.Send(C, 3, false, true)),
        new Case("a replica read on a node without a copy goes to the active, unconfirmed", Optional.of(ENTRY), C,
            REPLICA, false, new Target.Send(A, 3, false, false)),
        new Case("a replica read whose local copy refused goes to the active", Optional.of(ENTRY), B, REPLICA, true,
            new Target.Send(A, 3, false, false)),
        new Case("a replica read of an unavailable partition is served by a node that holds its data",
            Optional.of(unavailable(1, 4, B)), B, REPLICA, false, new Target.Send(B, 4, false, true)));
    for (Case c : cases) {
      assertEquals(c.expected, Target.of(c.entry, c.self, c.request, c.localRefused), c.name);
    }
  }

  @Test
  void anUnavailablePartitionSaysWhereItsDataWasLastInSync() {
    Target target = Target.of(Optional.of(unavailable(1, 4, A, B)), C, WRITE, false);

    var unavailable = assertInstanceOf(Target.Unavailable.class, target);
    assertEquals("no node holding its data is live; it was last in sync on [node-a, node-b] (epoch 4)",
        unavailable.reason());
  }

  @Test
  void aPartitionThatNeverHadACopySaysNoNodeCanHostIt() {
    var unavailable = assertInstanceOf(Target.Unavailable.class,
        Target.of(Optional.of(unavailable(1, 2)), C, LINEARIZABLE, false));

    assertTrue(unavailable.reason().startsWith("no live node can host it"), unavailable.reason());
  }

  @Test
  void withoutATableEntryTheNodeWaits() {
    var notYet = assertInstanceOf(Target.NotYet.class, Target.of(Optional.empty(), C, WRITE, false));

    assertEquals("no partition table naming kvg#1 has reached node-c yet", notYet.reason());
  }
}
