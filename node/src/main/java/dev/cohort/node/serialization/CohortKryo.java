package dev.cohort.node.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.ExternalizableSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;

/**
 * Kryo as cohort-kryo configures it: never Java serialization, and an unregistered class refused
 * with the setting that registers it.
 */
final class CohortKryo extends Kryo {
  CohortKryo() {
    // No reference resolver: references off (a payload is a tree of values, not a graph).
    super(new ActorRefSerializers.ClassResolver(), null);
  }

  /**
   * Kryo never picks Java serialization by itself (a {@code Serializable} class gets its field
   * serializer), but a class can ask for it with {@code @DefaultSerializer(JavaSerializer.class)};
   * that would read Java serialization streams from the network, so it is refused.
   */
  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  public Serializer getDefaultSerializer(Class type) {
    Serializer serializer = super.getDefaultSerializer(type);
    if (serializer instanceof JavaSerializer || serializer instanceof ExternalizableSerializer) {
      throw new KryoException(type.getName() + " asks for Java serialization (" + serializer.getClass().getSimpleName()
          + "), which cohort-kryo never uses; remove its @DefaultSerializer annotation");
    }
    return serializer;
  }

  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  protected String unregisteredClassMessage(Class type) {
    return type.getName() + " is not registered with cohort-kryo: give it an id of its own in "
        + KryoSettings.CLASSES + ", e.g. " + KryoSettings.CLASSES + " { \"" + type.getName() + "\" = "
        + BuiltInTypes.FIRST_APPLICATION_ID + " } (ids from " + BuiltInTypes.FIRST_APPLICATION_ID
        + ", fixed forever), or set " + KryoSettings.REGISTRATION_REQUIRED + " = off";
  }
}
