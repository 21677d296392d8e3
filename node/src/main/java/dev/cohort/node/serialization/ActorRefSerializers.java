package dev.cohort.node.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;

/**
 * Actor references inside payloads (a {@code replyTo}, typed or classic) as Pekko's serialization
 * format, the full path with the node's address, resolved again on the reading node. Kryo's own
 * field serializer cannot carry them: a reference is a handle to this node's actor system.
 */
final class ActorRefSerializers {
  private final ActorRefResolver typedResolver;
  private final ExtendedActorSystem system;

  ActorRefSerializers(ExtendedActorSystem system) {
    this.system = system;
    this.typedResolver = ActorRefResolver.get(Adapter.toTyped(system));
  }

  Serializer<?> typed() {
    return new Serializer<ActorRef<?>>(false, true) {
      @Override
      public void write(Kryo kryo, Output output, ActorRef<?> ref) {
        output.writeString(typedResolver.toSerializationFormat(ref));
      }

      @Override
      public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
        return typedResolver.resolveActorRef(input.readString());
      }
    };
  }

  Serializer<?> classic() {
    return new Serializer<org.apache.pekko.actor.ActorRef>(false, true) {
      @Override
      public void write(Kryo kryo, Output output, org.apache.pekko.actor.ActorRef ref) {
        output.writeString(Serialization.serializedActorPath(ref));
      }

      @Override
      public org.apache.pekko.actor.ActorRef read(Kryo kryo, Input input,
          Class<? extends org.apache.pekko.actor.ActorRef> type) {
        return system.provider().resolveActorRef(input.readString());
      }
    };
  }

  /**
   * Finds the registration of an actor reference's implementation class (Pekko's internal, and
   * several) under the registration of the interface it implements, so that one fixed id covers them
   * all and the application never registers Pekko's classes.
   */
  static final class ClassResolver extends DefaultClassResolver {
    @Override
    @SuppressWarnings("rawtypes") // Kryo's signature
    public Registration getRegistration(Class type) {
      Registration registration = super.getRegistration(type);
      if (registration != null || type == null) {
        return registration;
      } else if (ActorRef.class.isAssignableFrom(type)) {
        return super.getRegistration(ActorRef.class);
      } else if (org.apache.pekko.actor.ActorRef.class.isAssignableFrom(type)) {
        return super.getRegistration(org.apache.pekko.actor.ActorRef.class);
      }
      return null;
    }
  }
}
