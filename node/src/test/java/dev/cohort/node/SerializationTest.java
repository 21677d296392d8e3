package dev.cohort.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.cohort.api.PartitionId;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunk;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunkWanted;
import java.io.Serializable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What a node's messages are serialized with: Cohort's bindings, and never Java serialization. */
class SerializationTest {
  private static final ActorSystem<Void> SYSTEM = ActorSystem.create(Behaviors.empty(), "serialization",
      CohortNode.loadConfig(ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0")));
  private static final Serialization SERIALIZATION = SerializationExtension.get(SYSTEM);

  @AfterAll
  static void stop() {
    SYSTEM.terminate();
  }

  /** A message type someone forgot to bind, that Java serialization would have carried. */
  record Unbound(String text) implements Serializable {}

  @Test
  void aMessageTypeWithoutABindingIsRefused_notSentWithJavaSerialization() {
    var attempt = SERIALIZATION.serialize(new Unbound("x"));

    assertTrue(attempt.isFailure(), "serialized with " + SERIALIZATION.findSerializerFor(new Unbound("x")));
    assertTrue(attempt.failed().get().getMessage().contains("allow-java-serialization"),
        attempt.failed().get().getMessage());
  }

  @Test
  void theKryoSerializerIsDeclaredUnderItsFixedIdentifier_forApplicationsToBindTheirTypes() {
    // Stored events and other nodes name their serializer by this identifier: it never changes.
    var kryo = SERIALIZATION.serializerByIdentity().get(620002).get();

    assertEquals("dev.cohort.node.serialization.KryoSerializer", kryo.getClass().getName());
  }

  @Test
  void replicationMessagesRoundTripThroughTheirBinding() throws Exception {
    var partition = new PartitionId("accounts", 3);
    var chunk = new SnapshotChunk(partition, 4, "node-a", 120, 3, 1, true, new byte[] {1, 2, 3}, 9);
    var wanted = new SnapshotChunkWanted(partition, "node-b", 4, 120, 2, 9);

    var chunkBack = (SnapshotChunk) roundTrip(chunk);
    assertEquals(wanted, roundTrip(wanted));
    assertEquals(chunk.snapshotSeq(), chunkBack.snapshotSeq());
    assertEquals(chunk.partition(), chunkBack.partition());
    assertArrayEquals(chunk.bytes(), chunkBack.bytes());
    assertEquals("WireSerializer", SERIALIZATION.serializerFor(SnapshotChunk.class).getClass().getSimpleName());
  }

  private static Object roundTrip(Object message) throws Exception {
    var serializer = SERIALIZATION.findSerializerFor(message);
    byte[] bytes = serializer.toBinary(message);
    return SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }
}
