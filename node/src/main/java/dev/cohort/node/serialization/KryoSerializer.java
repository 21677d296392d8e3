package dev.cohort.node.serialization;

import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.BaseSerializer$;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko serializer {@code cohort-kryo}: an application's own messages and events in Kryo 5, without
 * hand-written serializers. Declared in {@code cohort-pekko.conf} with a fixed identifier; an
 * application binds its types to it, usually through a marker interface of its own:
 *
 * <pre>{@code
 * pekko.actor.serialization-bindings { "com.example.MyMessage" = cohort-kryo }
 * cohort.kryo.classes { "com.example.Deposit" = 100, "com.example.Currency" = 101 }
 * }</pre>
 *
 * <p>Every class carried, and every class of their fields' values, must be listed in {@code
 * cohort.kryo.classes} with an id of its own (unless {@code cohort.kryo.registration-required = off}):
 * the id, not the class's name nor the order of registration, is written into each payload, so
 * payloads stay readable across nodes, restarts, and in a journal for years, as long as an id is
 * never reused for another class. Common JDK types and Pekko's actor references are built in (listed
 * in reference.conf). Records are written component by component (by name), other classes field by
 * field; adding, removing or renaming a component or field makes older payloads of that class
 * unreadable, so a changed event type needs a new class and id.
 *
 * <p>It never uses Java serialization, also not for {@code java.io.Serializable} classes. A class
 * that cannot be serialized fails with an {@link IllegalArgumentException} naming it; bytes that
 * cannot be read fail with a {@link NotSerializableException}.
 *
 * <p>Object graphs with cycles or shared objects are not supported (Kryo's references are off): each
 * object is written wherever it appears.
 */
public final class KryoSerializer extends SerializerWithStringManifest {
  /**
   * The one format written today: Kryo 5, classes by their fixed ids. A future format gets a new
   * manifest, so that events stored with this one stay readable.
   */
  static final String FORMAT_1 = "k1";

  private final int identifier;
  private final KryoPool pool;

  /**
   * Made by Pekko's serialization extension, once per actor system; refuses to start on a
   * configuration that cannot work.
   *
   * @param system the actor system, whose configuration holds {@code cohort.kryo} and this
   *     serializer's identifier under {@code pekko.actor.serialization-identifiers}
   * @throws dev.cohort.api.ConfigurationException naming the key, if {@code cohort.kryo} cannot work
   */
  public KryoSerializer(ExtendedActorSystem system) {
    this(system, KryoSettings.fromConfig(system.settings().config(), system.dynamicAccess().classLoader()));
  }

  /** With settings of the caller's own (tests). */
  KryoSerializer(ExtendedActorSystem system, KryoSettings settings) {
    this.identifier = BaseSerializer$.MODULE$.identifierFromConfig(KryoSerializer.class, system);
    this.pool = new KryoPool(settings, system.dynamicAccess().classLoader(), new ActorRefSerializers(system));
  }

  @Override
  public int identifier() {
    return identifier;
  }

  @Override
  public String manifest(Object message) {
    return FORMAT_1;
  }

  /**
   * @throws IllegalArgumentException naming the class, if it is not registered, larger than {@code
   *     cohort.kryo.max-buffer-size}, or cannot be serialized by Kryo
   */
  @Override
  public byte[] toBinary(Object message) {
    return pool.write(message);
  }

  /** @throws NotSerializableException if the bytes are not a payload this node can read */
  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    if (!FORMAT_1.equals(manifest)) {
      throw new NotSerializableException("unknown cohort-kryo format [" + manifest + "], written by a newer Cohort?"
          + " This node reads [" + FORMAT_1 + "]");
    }
    return pool.read(bytes);
  }
}
