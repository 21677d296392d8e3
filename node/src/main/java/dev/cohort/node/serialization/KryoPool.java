package dev.cohort.node.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import dev.cohort.api.ConfigurationException;
import java.io.NotSerializableException;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Kryo instances configured from {@link KryoSettings}, each with its own buffers, pooled: Kryo and
 * its buffers are not thread-safe, and making a Kryo (registering every class) costs far more than
 * one serialization. A thread that finds the pool empty makes a new instance; the pool keeps at most
 * {@code cohort.kryo.pool-size} of them.
 */
final class KryoPool {
  private static final byte[] NO_BYTES = new byte[0];

  private final KryoSettings settings;
  private final ClassLoader classLoader;
  private final ActorRefSerializers refs;
  private final Pool<Worker> pool;

  /** One Kryo with the buffers it writes to and reads from; used by one thread at a time. */
  private record Worker(Kryo kryo, Output output, Input input) {}

  /**
   * Makes the first instance at once, so that a class Kryo cannot serialize fails at start, as a
   * {@link ConfigurationException} naming its key, not at the first message.
   */
  KryoPool(KryoSettings settings, ClassLoader classLoader, ActorRefSerializers refs) {
    this.settings = settings;
    this.classLoader = classLoader;
    this.refs = refs;
    this.pool = new Pool<>(true, false, settings.poolSize()) {
      @Override
      protected Worker create() {
        return newWorker();
      }
    };
    pool.free(pool.obtain());
  }

  /**
   * The bytes of {@code object}, with its class.
   *
   * @throws IllegalArgumentException naming the class, if it cannot be serialized (not registered, too
   *     large, or refused by Kryo)
   */
  byte[] write(Object object) {
    Worker worker = pool.obtain();
    try {
      Output output = worker.output();
      output.reset();
      worker.kryo().writeClassAndObject(output, object);
      byte[] bytes = output.toBytes();
      release(worker);
      return bytes;
    } catch (KryoBufferOverflowException e) {
      throw new IllegalArgumentException("cannot serialize a " + className(object)
          + " with cohort-kryo: larger than " + KryoSettings.MAX_BUFFER_SIZE + " = " + settings.maxBufferBytes()
          + " bytes", e);
    } catch (RuntimeException e) {
      // A failed Kryo is dropped, not pooled: whatever state the failure left it in goes with it.
      throw new IllegalArgumentException("cannot serialize a " + className(object) + " with cohort-kryo: "
          + e.getMessage(), e);
    }
  }

  /**
   * The object in {@code bytes}, which must hold exactly one.
   *
   * @throws NotSerializableException if they do not hold one this node can read: garbage, or a class
   *     id or name it does not know
   */
  Object read(byte[] bytes) throws NotSerializableException {
    Worker worker = pool.obtain();
    Object object;
    try {
      Input input = worker.input();
      input.setBuffer(bytes);
      object = worker.kryo().readClassAndObject(input);
      if (input.position() != bytes.length) {
        throw new IllegalStateException((bytes.length - input.position()) + " bytes left over after a "
            + className(object));
      }
      input.setBuffer(NO_BYTES);
    } catch (RuntimeException e) {
      var refused = new NotSerializableException("cannot read a cohort-kryo payload of " + bytes.length + " bytes: "
          + e.getMessage() + " (an unknown class id means the writer has a class in " + KryoSettings.CLASSES
          + " that this node lacks, or under another id)");
      refused.initCause(e);
      throw refused;
    }
    pool.free(worker);
    return object;
  }

  private static String className(Object object) {
    return object == null ? "null" : object.getClass().getName();
  }

  /** Returns a worker to the pool, with its output buffer back to its initial size if it grew. */
  private void release(Worker worker) {
    if (worker.output().getBuffer().length > settings.bufferBytes()) {
      worker.output().setBuffer(new byte[settings.bufferBytes()], settings.maxBufferBytes());
    }
    pool.free(worker);
  }

  private Worker newWorker() {
    Kryo kryo = new CohortKryo();
    kryo.setRegistrationRequired(settings.registrationRequired());
    // Part of the format: every writer and reader of a payload must agree on it, so it is not a setting.
    kryo.setOptimizedGenerics(false);
    kryo.setClassLoader(classLoader);
    // A no-argument constructor when the class has one, else none (as Java serialization does).
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    BuiltInTypes.register(kryo, refs);
    settings.classes().forEach((type, id) -> {
      try {
        kryo.register(type, id);
      } catch (RuntimeException e) {
        throw new ConfigurationException(KryoSettings.classKey(type), "Kryo cannot serialize " + type.getName()
            + ": " + e.getMessage());
      }
    });
    return new Worker(kryo, new Output(settings.bufferBytes(), settings.maxBufferBytes()), new Input());
  }
}
