package dev.cohort.node.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.Append;
import dev.cohort.node.internal.partition.PartitionProtocol.Appended;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.Requests;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunk;
import dev.cohort.node.internal.partition.PartitionProtocol.SnapshotChunkWanted;
import dev.cohort.node.internal.partition.PartitionProtocol.Traffic;
import dev.cohort.node.internal.wire.WireFormats;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.BaseSerializer$;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko's serializer for every {@link WireMessage} and for the {@link PublishedTable}: Protobuf, in
 * the formats of {@code src/main/proto/cohort_wire.proto}. Bound in {@code cohort-pekko.conf}, where
 * its identifier is fixed too.
 *
 * <p>Each message type has a short manifest that travels with it and picks its format on the
 * receiving side; manifests never change meaning, since nodes of different builds meet during a
 * rolling upgrade. An unknown manifest (a message from a newer node) is refused with a {@link
 * NotSerializableException} naming it.
 *
 * <p>It also writes straight into, and reads straight from, Artery's frame buffers ({@link
 * ByteBufferSerializer}), which saves a byte array and a copy per message on both sides.
 */
public final class WireSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {
  // Manifests, one per message type. Short, since one travels in every message's header.
  static final String REQUESTS = "Rq";
  static final String ANSWERS = "An";
  static final String REPLY = "Rp";
  static final String TRAFFIC = "Tf";
  static final String APPEND = "Ap";
  static final String APPENDED = "Ad";
  static final String SNAPSHOT_CHUNK = "Sc";
  static final String SNAPSHOT_CHUNK_WANTED = "Sw";
  static final String REPLICA_CAUGHT_UP = "Cu";
  static final String REPLICAS_LAGGING = "Lg";
  static final String FORCE_EMPTY = "Fe";
  static final String COPY_HELD = "Ch";
  static final String COPIES_KEPT = "Ck";
  static final String PUBLISHED_TABLE = "Pt";

  private final int identifier;
  private final WireCodec codec;

  /**
   * Made by Pekko's serialization extension, once per actor system.
   *
   * @param system the actor system, whose configuration holds this serializer's identifier under
   *     {@code pekko.actor.serialization-identifiers}
   */
  public WireSerializer(ExtendedActorSystem system) {
    this.identifier = BaseSerializer$.MODULE$.identifierFromConfig(WireSerializer.class, system);
    this.codec = new WireCodec(ActorRefResolver.get(Adapter.toTyped(system)));
  }

  @Override
  public int identifier() {
    return identifier;
  }

  @Override
  public String manifest(Object message) {
    // The busiest types first: replication traffic, then requests and their answers.
    if (message instanceof Traffic) {
      return TRAFFIC;
    } else if (message instanceof Requests) {
      return REQUESTS;
    } else if (message instanceof Answers) {
      return ANSWERS;
    } else if (message instanceof Append) {
      return APPEND;
    } else if (message instanceof Appended) {
      return APPENDED;
    } else if (message instanceof Reply) {
      return REPLY;
    } else if (message instanceof SnapshotChunk) {
      return SNAPSHOT_CHUNK;
    } else if (message instanceof SnapshotChunkWanted) {
      return SNAPSHOT_CHUNK_WANTED;
    } else if (message instanceof Coordinator.ReplicaCaughtUp) {
      return REPLICA_CAUGHT_UP;
    } else if (message instanceof Coordinator.ReplicasLagging) {
      return REPLICAS_LAGGING;
    } else if (message instanceof Coordinator.ForceEmpty) {
      return FORCE_EMPTY;
    } else if (message instanceof Coordinator.CopyHeld) {
      return COPY_HELD;
    } else if (message instanceof Coordinator.CopiesKept) {
      return COPIES_KEPT;
    } else if (message instanceof PublishedTable) {
      return PUBLISHED_TABLE;
    }
    throw unknownType(message);
  }

  @Override
  public byte[] toBinary(Object message) {
    return toProto(message).toByteArray();
  }

  /**
   * Writes {@code message} into {@code buffer} from its position.
   *
   * @throws BufferOverflowException if it does not fit: Artery then reports an oversized message
   */
  @Override
  public void toBinary(Object message, ByteBuffer buffer) {
    MessageLite proto = toProto(message);
    if (proto.getSerializedSize() > buffer.remaining()) {
      throw new BufferOverflowException();
    }
    CodedOutputStream out = CodedOutputStream.newInstance(buffer);
    try {
      proto.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + message.getClass().getName() + " into a frame", e);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return fromProto(CodedInputStream.newInstance(bytes), manifest);
  }

  @Override
  public Object fromBinary(ByteBuffer buffer, String manifest) throws NotSerializableException {
    return fromProto(CodedInputStream.newInstance(buffer), manifest);
  }

  private MessageLite toProto(Object message) {
    if (message instanceof Traffic traffic) {
      return codec.traffic(traffic);
    } else if (message instanceof Requests requests) {
      return codec.requests(requests);
    } else if (message instanceof Answers answers) {
      return codec.answers(answers);
    } else if (message instanceof Append append) {
      return codec.append(append);
    } else if (message instanceof Appended appended) {
      return codec.appended(appended);
    } else if (message instanceof Reply reply) {
      return codec.reply(reply);
    } else if (message instanceof SnapshotChunk chunk) {
      return codec.snapshotChunk(chunk);
    } else if (message instanceof SnapshotChunkWanted wanted) {
      return codec.snapshotChunkWanted(wanted);
    } else if (message instanceof Coordinator.ReplicaCaughtUp caughtUp) {
      return codec.replicaCaughtUp(caughtUp);
    } else if (message instanceof Coordinator.ReplicasLagging lagging) {
      return codec.replicasLagging(lagging);
    } else if (message instanceof Coordinator.ForceEmpty force) {
      return codec.forceEmpty(force);
    } else if (message instanceof Coordinator.CopyHeld held) {
      return codec.copyHeld(held);
    } else if (message instanceof Coordinator.CopiesKept kept) {
      return codec.copiesKept(kept);
    } else if (message instanceof PublishedTable table) {
      return codec.publishedTable(table);
    }
    throw unknownType(message);
  }

  private Object fromProto(CodedInputStream in, String manifest) throws NotSerializableException {
    // Byte fields become views of the input instead of copies; safe because every one of them is
    // copied into its record before this returns, and the input is not reused until then.
    in.enableAliasing(true);
    try {
      return switch (manifest) {
        case TRAFFIC -> codec.traffic(WireFormats.Traffic.parseFrom(in));
        case REQUESTS -> codec.requests(WireFormats.Requests.parseFrom(in));
        case ANSWERS -> codec.answers(WireFormats.Answers.parseFrom(in));
        case APPEND -> codec.append(WireFormats.Append.parseFrom(in));
        case APPENDED -> codec.appended(WireFormats.Appended.parseFrom(in));
        case REPLY -> codec.reply(WireFormats.Reply.parseFrom(in));
        case SNAPSHOT_CHUNK -> codec.snapshotChunk(WireFormats.SnapshotChunk.parseFrom(in));
        case SNAPSHOT_CHUNK_WANTED -> codec.snapshotChunkWanted(WireFormats.SnapshotChunkWanted.parseFrom(in));
        case REPLICA_CAUGHT_UP -> codec.replicaCaughtUp(WireFormats.ReplicaCaughtUp.parseFrom(in));
        case REPLICAS_LAGGING -> codec.replicasLagging(WireFormats.ReplicasLagging.parseFrom(in));
        case FORCE_EMPTY -> codec.forceEmpty(WireFormats.ForceEmpty.parseFrom(in));
        case COPY_HELD -> codec.copyHeld(WireFormats.CopyHeld.parseFrom(in));
        case COPIES_KEPT -> codec.copiesKept(WireFormats.CopiesKept.parseFrom(in));
        case PUBLISHED_TABLE -> codec.publishedTable(WireFormats.PublishedTable.parseFrom(in));
        default -> throw new NotSerializableException("WireSerializer: unknown manifest [" + manifest
            + "]; it knows the message types of this Cohort build only (was it sent by a newer node?)");
      };
    } catch (NotSerializableException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalArgumentException("WireSerializer: malformed message with manifest [" + manifest + "]", e);
    }
  }

  private static IllegalArgumentException unknownType(Object message) {
    return new IllegalArgumentException("WireSerializer cannot serialize " + (message == null ? "null" : message.getClass().getName())
        + ": only Cohort's WireMessage types and PublishedTable; bind other types to another serializer");
  }
}
