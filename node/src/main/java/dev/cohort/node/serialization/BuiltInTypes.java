package dev.cohort.node.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.URISerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.UUIDSerializer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * The types every cohort-kryo instance registers by itself, each under an id fixed forever: the ids
 * are written into messages and stored events, so one may be added (in the free ids below {@link
 * #FIRST_APPLICATION_ID}) but never changed or reused. The list is documented in reference.conf under
 * {@code cohort.kryo}; {@code KryoSerializerTest} pins the bytes.
 */
final class BuiltInTypes {
  /** Ids below this one are Kryo's and Cohort's; applications' classes take ids from here on. */
  static final int FIRST_APPLICATION_ID = 100;

  /** The largest id Kryo can write: it writes an id plus 2 as a positive int. */
  static final int LAST_ID = Integer.MAX_VALUE - 2;

  /** One built-in type: its id, and its serializer, or null for the one Kryo picks by default. */
  private record BuiltIn(int id, Class<?> type, Function<ActorRefSerializers, Serializer<?>> serializer) {}

  /**
   * Kryo registers these itself, in its constructor (wrappers share their primitive's registration).
   * They are checked, not registered, so that a Kryo release that moved them fails at start.
   */
  private static final List<BuiltIn> KRYOS_OWN = List.of(
      kryos(0, int.class), kryos(1, String.class), kryos(2, float.class), kryos(3, boolean.class),
      kryos(4, byte.class), kryos(5, char.class), kryos(6, short.class), kryos(7, long.class),
      kryos(8, double.class));

  private static final List<BuiltIn> COHORTS = List.of(
      // Arrays.
      of(10, byte[].class), of(11, char[].class), of(12, short[].class), of(13, int[].class), of(14, long[].class),
      of(15, float[].class), of(16, double[].class), of(17, boolean[].class), of(18, String[].class),
      of(19, Object[].class),
      // Mutable collections.
      of(20, ArrayList.class), of(21, LinkedList.class), of(22, HashMap.class), of(23, LinkedHashMap.class),
      of(24, TreeMap.class), of(25, HashSet.class), of(26, LinkedHashSet.class), of(27, TreeSet.class),
      of(28, ArrayDeque.class),
      // Any EnumSet (Kryo maps its implementations to this one); its enum must be registered too.
      of(29, EnumSet.class),
      // List.of, Set.of, Map.of and their copies (also Stream.toList), as immutable ones again.
      of(30, List.of().getClass()), of(31, List.of(1).getClass()), of(32, List.of(1, 2, 3).subList(0, 1).getClass()),
      of(33, Set.of().getClass()), of(34, Set.of(1).getClass()), of(35, Map.of().getClass()),
      of(36, Map.of(1, 1).getClass()),
      // Collections' and Arrays' own.
      of(37, Collections.emptyList().getClass()), of(38, Collections.emptySet().getClass()),
      of(39, Collections.emptyMap().getClass()), of(40, Collections.singletonList(1).getClass()),
      of(41, Collections.singleton(1).getClass()), of(42, Collections.singletonMap(1, 1).getClass()),
      of(43, Arrays.asList().getClass()),
      // Values.
      of(50, BigInteger.class), of(51, BigDecimal.class), of(52, UUID.class, refs -> new UUIDSerializer()),
      of(53, URI.class, refs -> new URISerializer()), of(54, Optional.class), of(55, OptionalInt.class),
      of(56, OptionalLong.class), of(57, OptionalDouble.class), of(58, Currency.class), of(59, Locale.class),
      // java.time; a ZoneId is either an offset or a region.
      of(60, Instant.class), of(61, Duration.class), of(62, LocalDate.class), of(63, LocalTime.class),
      of(64, LocalDateTime.class), of(65, ZonedDateTime.class), of(66, OffsetDateTime.class),
      of(67, OffsetTime.class), of(68, ZoneOffset.class), of(69, ZoneId.of("Europe/Paris").getClass()),
      of(70, Period.class),
      // Pekko's actor references, as their serialization format (any implementation maps to these).
      of(90, org.apache.pekko.actor.typed.ActorRef.class, ActorRefSerializers::typed),
      of(91, org.apache.pekko.actor.ActorRef.class, ActorRefSerializers::classic));

  private BuiltInTypes() {}

  /** Registers every built-in type on a new {@code kryo}, checking Kryo's own registrations first. */
  static void register(Kryo kryo, ActorRefSerializers refs) {
    for (BuiltIn own : KRYOS_OWN) {
      Registration registration = kryo.getClassResolver().getRegistration(own.type());
      if (registration == null || registration.getId() != own.id()) {
        throw new IllegalStateException("this Kryo release registers " + own.type() + " as "
            + (registration == null ? "nothing" : "id " + registration.getId()) + ", not " + own.id()
            + ": cohort-kryo's format would change; use the Kryo version Cohort is built with");
      }
    }
    for (BuiltIn builtIn : COHORTS) {
      if (builtIn.serializer() == null) {
        kryo.register(builtIn.type(), builtIn.id());
      } else {
        kryo.register(builtIn.type(), builtIn.serializer().apply(refs), builtIn.id());
      }
    }
  }

  /**
   * The id Cohort or Kryo already gives {@code type} (a primitive's wrapper counts as the
   * primitive), or -1 when it is free for an application's registration.
   */
  static int idOf(Class<?> type) {
    for (List<BuiltIn> list : List.of(KRYOS_OWN, COHORTS)) {
      for (BuiltIn builtIn : list) {
        if (builtIn.type() == type || (builtIn.type().isPrimitive() && wrapper(builtIn.type()) == type)) {
          return builtIn.id();
        }
      }
    }
    return -1;
  }

  private static Class<?> wrapper(Class<?> primitive) {
    return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
  }

  private static BuiltIn kryos(int id, Class<?> type) {
    return new BuiltIn(id, type, null);
  }

  private static BuiltIn of(int id, Class<?> type) {
    return new BuiltIn(id, type, null);
  }

  private static BuiltIn of(int id, Class<?> type, Function<ActorRefSerializers, Serializer<?>> serializer) {
    return new BuiltIn(id, type, serializer);
  }
}
