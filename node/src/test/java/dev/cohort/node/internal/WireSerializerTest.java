package dev.cohort.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.Epoch;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import dev.cohort.node.CohortNode;
import dev.cohort.node.internal.partition.PartitionProtocol.Answer;
import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.AppendResult;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Read;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.Requests;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunk;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunkWanted;
import dev.cohort.node.internal.partition.PartitionProtocol.Traffic;
import dev.cohort.node.internal.partition.PartitionProtocol.Write;
import dev.cohort.node.kv.RequestId;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.persistence.LogEntry;
import java.io.NotSerializableException;
import java.lang.reflect.RecordComponent;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cohort's messages between nodes through {@link WireSerializer}: each type round-trips exactly,
 * through Pekko's serialization as bound in {@code cohort-pekko.conf}, as a byte array and through a
 * frame buffer as Artery uses it.
 */
class WireSerializerTest {
  /** Any free port; a second cluster member in this JVM registers its MBean beside the first. */
  private static final Config CONFIG = CohortNode.loadConfig(ConfigFactory.parseString(
      "pekko.remote.artery.canonical.port = 0\npekko.cluster.jmx.multi-mbeans-in-same-jvm = on"));
  private static final ActorTestKit KIT = ActorTestKit.create("wire", CONFIG);
  private static final Serialization SERIALIZATION = SerializationExtension.get(KIT.system());
  /** Artery's default frame size, enough for every message here. */
  private static final int FRAME_BYTES = 256 * 1024;
  /** The identifier in cohort-pekko.conf: nodes only understand each other while it stays the same. */
  private static final int WIRE_SERIALIZER_ID = 620001;

  private static final PartitionId ACCOUNTS_3 = new PartitionId("accounts", 3);
  private static final ActorRef<Answers> CALLER = KIT.<Answers>createTestProbe("caller").ref();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** Every message type with every field set, and its manifest, which must never change. */
  static Stream<Arguments> everyFieldSet() {
    return Stream.of(
        Arguments.of("Rq", new Requests(CALLER,
            List.of(new Write(ACCOUNTS_3, 4, 17, new RequestId(-9, 12), bytes("put k1 v1")),
                new Write(new PartitionId("logs", 0), 2, 18, new RequestId(9, 0), bytes("append x"))),
            List.of(new Read(ACCOUNTS_3, 4, 19, "balances", "k1", true), new Read(ACCOUNTS_3, 4, 20, "balances", "k2", false)))),
        Arguments.of("An", new Answers(Arrays.stream(Outcome.values())
            .map(outcome -> new Answer(outcome.ordinal() + 100, new Reply(outcome, bytes("v"), 3, 44, "code", "why")))
            .toList())),
        Arguments.of("Rp", new Reply(Outcome.FOUND, bytes("value"), 7, 123, "c", "m")),
        Arguments.of("Tf", new Traffic(List.of(append(), append()), Arrays.stream(AppendResult.values())
            .map(kind -> new Appended(ACCOUNTS_3, "node-b", 4, kind, 120, 3, 100, 9)).toList())),
        Arguments.of("Ap", append()),
        Arguments.of("Ad", new Appended(ACCOUNTS_3, "node-b", 4, AppendResult.CONFLICT, 120, 3, 100, 9)),
        Arguments.of("Sc", new SnapshotChunk(ACCOUNTS_3, 4, "node-a", 120, 3, 1, true, bytes("chunk"), 9)),
        Arguments.of("Sw", new SnapshotChunkWanted(ACCOUNTS_3, "node-b", 4, 120, 2, 9)),
        Arguments.of("Cu", new Coordinator.ReplicaCaughtUp(ACCOUNTS_3, 4, "node-c")),
        Arguments.of("Lg", new Coordinator.ReplicasLagging(ACCOUNTS_3, 4, Set.of("node-b", "node-c"))),
        Arguments.of("Fe", new Coordinator.ForceEmpty(ACCOUNTS_3, "node-a")),
        Arguments.of("Ch", new Coordinator.CopyHeld(ACCOUNTS_3, 12, "node-c", 9, 4_000_000_000L)),
        Arguments.of("Ck", new Coordinator.CopiesKept("node-b", -7_123_456_789L, List.of(ACCOUNTS_3,
            new PartitionId("orders", 0)))),
        Arguments.of("Pt", new PublishedTable(table(), true)));
  }

  /** Every message type whose fields can be absent or empty, with them so. */
  static Stream<Arguments> optionalFieldsAbsent() {
    return Stream.of(
        Arguments.of("Rq", new Requests(CALLER, List.of(), List.of())),
        Arguments.of("An", new Answers(List.of())),
        Arguments.of("Rp", new Reply(Outcome.ABSENT, null, -1, 0, null, null)),
        // Empty is not absent: an empty value and empty strings stay empty, not null.
        Arguments.of("Rp", new Reply(Outcome.REJECTED, new byte[0], 0, 0, "", "")),
        Arguments.of("Tf", new Traffic(List.of(), List.of())),
        // A heartbeat: no entries.
        Arguments.of("Ap", new Append(ACCOUNTS_3, 1, "node-a", 0, 0, List.of(), 0, 0)),
        Arguments.of("Ap", new Append(ACCOUNTS_3, 1, "node-a", 0, 0, List.of(new LogEntry(1, 1, new byte[0])), 0, 0)),
        Arguments.of("Sc", new SnapshotChunk(ACCOUNTS_3, 1, "node-a", 0, 0, 0, true, new byte[0], 0)),
        Arguments.of("Lg", new Coordinator.ReplicasLagging(ACCOUNTS_3, 1, Set.of())),
        Arguments.of("Pt", new PublishedTable(PartitionTable.EMPTY, false)),
        Arguments.of("Pt", new PublishedTable(new PartitionTable(3, List.of(new PartitionEntry(
            new PartitionId("accounts", 0), Optional.empty(), new TreeSet<>(), Epoch.FIRST))), false)));
  }

  @ParameterizedTest(name = "[{index}] manifest {0}")
  @MethodSource("everyFieldSet")
  void everyMessageTypeRoundTripsWithEveryFieldSet(String manifest, Object message) throws Exception {
    assertRoundTrips(manifest, message);
  }

  @ParameterizedTest(name = "[{index}] manifest {0}")
  @MethodSource("optionalFieldsAbsent")
  void absentAndEmptyFieldsRoundTripAsTheyWere(String manifest, Object message) throws Exception {
    assertRoundTrips(manifest, message);
  }

  @Test
  void theBindingPicksWireSerializerForEveryMessageTypeAndThePartitionTable() throws Exception {
    Stream.concat(everyFieldSet(), optionalFieldsAbsent()).map(arguments -> arguments.get()[1]).forEach(message -> {
      var serializer = SERIALIZATION.findSerializerFor(message);
      assertInstanceOf(WireSerializer.class, serializer, message.getClass().getName());
      assertEquals(WIRE_SERIALIZER_ID, serializer.identifier(), "the wire identifier must never change");
    });
    assertInstanceOf(WireSerializer.class, SERIALIZATION.serializerFor(PublishedTable.class));
  }

  @Test
  void anUnknownManifestIsRefusedNamingIt() throws Exception {
    var serializer = (WireSerializer) SERIALIZATION.serializerFor(PublishedTable.class);

    var refused = assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[0], "Zz"));
    assertTrue(refused.getMessage().contains("[Zz]"), refused.getMessage());
    var throughPekko = SERIALIZATION.deserialize(new byte[0], serializer.identifier(), "Zz");
    assertInstanceOf(NotSerializableException.class, throughPekko.failed().get());
  }

  @Test
  void aReplyWithoutAnOutcomeIsRefused() throws Exception {
    var serializer = (WireSerializer) SERIALIZATION.serializerFor(Reply.class);

    // An empty Reply: the outcome is proto3's default, "unspecified".
    var refused = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(new byte[0], "Rp"));
    assertTrue(refused.getMessage().contains("outcome"), refused.getMessage());
  }

  @Test
  void aMessageLargerThanTheFrameIsReportedAsAnOverflow() throws Exception {
    var serializer = (WireSerializer) SERIALIZATION.serializerFor(SnapshotChunk.class);
    var chunk = new SnapshotChunk(ACCOUNTS_3, 1, "node-a", 0, 0, 0, true, new byte[FRAME_BYTES], 0);

    assertThrows(BufferOverflowException.class, () -> serializer.toBinary(chunk, ByteBuffer.allocate(FRAME_BYTES)));
  }

  @Test
  void requestsAndAnswersCrossBetweenTwoActorSystems() {
    ActorTestKit other = ActorTestKit.create("wire", CONFIG);
    try {
      TestProbe<Requests> active = KIT.createTestProbe();
      TestProbe<Answers> caller = other.createTestProbe();
      // The active as the other system sees it: a remote reference, so every message crosses Artery.
      ActorRef<Requests> remoteActive = ActorRefResolver.get(other.system())
          .resolveActorRef(ActorRefResolver.get(KIT.system()).toSerializationFormat(active.ref()));
      var write = new Write(ACCOUNTS_3, 4, 17, new RequestId(1, 2), bytes("put k v"));

      remoteActive.tell(new Requests(caller.ref(), List.of(write), List.of()));
      Requests received = active.receiveMessage(Duration.ofSeconds(10));
      assertSameValue(List.of(write), received.writes(), "writes");
      var answers = new Answers(List.of(new Answer(17, new Reply(Outcome.WRITTEN, null, 1, 5, null, null))));
      received.caller().tell(answers);

      assertSameValue(answers, caller.receiveMessage(Duration.ofSeconds(10)), "answers");
    } finally {
      other.shutdownTestKit();
    }
  }

  private static void assertRoundTrips(String manifest, Object message) throws Exception {
    var serializer = (WireSerializer) SERIALIZATION.findSerializerFor(message);
    assertEquals(manifest, Serializers.manifestFor(serializer, message));

    byte[] bytes = SERIALIZATION.serialize(message).get();
    assertSameValue(message, SERIALIZATION.deserialize(bytes, serializer.identifier(), manifest).get(), "array");

    // As Artery does it: into a direct frame buffer after a header, and back out of it.
    var frame = ByteBuffer.allocateDirect(FRAME_BYTES);
    frame.put((byte) 1);
    serializer.toBinary(message, frame);
    assertEquals(1 + bytes.length, frame.position(), "the buffer's position is after the message");
    frame.flip().position(1);
    assertSameValue(message, serializer.fromBinary(frame, manifest), "buffer");
  }

  /**
   * Records compared component by component, so that byte arrays compare by content and null stays
   * apart from empty.
   */
  private static void assertSameValue(Object expected, Object actual, String path) {
    if (expected == null || actual == null) {
      assertEquals(expected, actual, path);
    } else if (expected instanceof byte[] bytes) {
      assertArrayEquals(bytes, assertInstanceOf(byte[].class, actual, path), path);
    } else if (expected instanceof List<?> list) {
      var actualList = assertInstanceOf(List.class, actual, path);
      assertEquals(list.size(), actualList.size(), path + ".size");
      for (int i = 0; i < list.size(); i++) {
        assertSameValue(list.get(i), actualList.get(i), path + "[" + i + "]");
      }
    } else if (expected.getClass().isRecord()) {
      assertEquals(expected.getClass(), actual.getClass(), path);
      for (RecordComponent component : expected.getClass().getRecordComponents()) {
        try {
          assertSameValue(component.getAccessor().invoke(expected), component.getAccessor().invoke(actual),
              path + "." + component.getName());
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(path + "." + component.getName(), e);
        }
      }
    } else {
      assertEquals(expected, actual, path);
    }
  }

  private static Append append() {
    return new Append(ACCOUNTS_3, 4, "node-a", 119, 3,
        List.of(new LogEntry(3, 120, bytes("first")), new LogEntry(4, 121, bytes("second"))), 118, 9);
  }

  /** A table with an available partition moving to a target, an unavailable one and another group. */
  private static PartitionTable table() {
    NodeName n1 = NodeName.of("n1");
    NodeName n2 = NodeName.of("n2");
    NodeName n3 = NodeName.of("n3");
    NodeName n4 = NodeName.of("n4");
    var moving = new PartitionEntry(new PartitionId("accounts", 0), Optional.of(new Placement(n1, List.of(n2, n3, n4))),
        new TreeSet<>(Set.of(n1, n2)), Optional.of(new Placement(n3, List.of(n2, n4))), new Epoch(5));
    var unavailable = new PartitionEntry(new PartitionId("accounts", 1), Optional.empty(), new TreeSet<>(Set.of(n2)),
        new Epoch(9));
    var single = PartitionEntry.allInSync(new PartitionId("logs", 0), new Placement(n2, List.of()), Epoch.FIRST);
    var incarnations = new TreeMap<NodeName, Long>();
    incarnations.put(n1, -42L);
    incarnations.put(n2, Long.MAX_VALUE);
    return new PartitionTable(7, List.of(moving, unavailable, single), incarnations);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
