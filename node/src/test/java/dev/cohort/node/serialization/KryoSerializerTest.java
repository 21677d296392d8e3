package dev.cohort.node.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.ConfigurationException;
import dev.cohort.node.CohortNode;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code cohort-kryo} as an application uses it: its own marker interface bound to the serializer,
 * its records registered under ids of its choosing in {@code cohort.kryo.classes}.
 */
@Timeout(60)
class KryoSerializerTest {
  private static final String TEST = "dev.cohort.node.serialization.KryoSerializerTest$";
  /** The application's configuration: any free port, its marker bound, its classes registered. */
  private static final Config CONFIG = CohortNode.loadConfig(ConfigFactory.parseString("""
      pekko.remote.artery.canonical.port = 0
      pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
      pekko.actor.serialization-bindings { "%1$sAppMessage" = cohort-kryo }
      cohort.kryo.classes {
        "%1$sDeposit" = 100
        "%1$sMoney" = 101
        "%1$sChannel" = 102
        "%1$sAudit" = 103
        "%1$sLegacy" = 104
        "%1$sDeposited" = 105
      }
      """.formatted(TEST)));
  private static final ActorTestKit KIT = ActorTestKit.create("kryo", CONFIG);
  private static final ExtendedActorSystem CLASSIC = (ExtendedActorSystem) Adapter.toClassic(KIT.system());
  private static final Serialization SERIALIZATION = SerializationExtension.get(KIT.system());
  /** The identifier in cohort-pekko.conf: stored events and other nodes only read payloads while it stays. */
  private static final int KRYO_SERIALIZER_ID = 620002;

  /** The application's marker interface, bound to cohort-kryo. */
  interface AppMessage {}

  enum Channel { BRANCH, ONLINE }

  record Money(BigDecimal amount, String currency) {}

  record Deposit(String account, long sequence, Money money, List<String> tags, Channel channel, Instant at,
      BigDecimal rate) implements AppMessage {}

  /** A reply address inside a message, as typed Pekko protocols have. */
  record Deposited(String account, long balance, ActorRef<Deposited> replyTo) implements AppMessage {}

  record Audit(UUID id, Optional<String> note, Optional<Instant> seen, Map<String, Long> counts, Set<String> labels,
      Duration took, LocalDate day, ZonedDateTime zoned, List<Money> history, Map<Channel, List<Integer>> byChannel)
      implements AppMessage {}

  /** Bound, but left out of cohort.kryo.classes. */
  record Unlisted(String text) implements AppMessage {}

  /** Registered, but holding a value of a class that is not. */
  record Holder(Object value) implements AppMessage {}

  /** A Java-serializable class whose Java serialization fails: Kryo must write its fields instead. */
  static final class Legacy implements Serializable, AppMessage {
    private final String name;
    private final int count;

    Legacy(String name, int count) {
      this.name = name;
      this.count = count;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      throw new IOException("Java serialization used");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Legacy legacy && legacy.name.equals(name) && legacy.count == count;
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, count);
    }
  }

  /** A class that asks Kryo for Java serialization. */
  @DefaultSerializer(JavaSerializer.class)
  record AsksForJava(String text) implements Serializable, AppMessage {}

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static Deposit deposit(long sequence) {
    return new Deposit("acct-" + sequence, sequence, new Money(new BigDecimal("12.50"), "EUR"),
        List.of("salary", "monthly", "t" + sequence), Channel.ONLINE, Instant.parse("2025-03-01T10:15:30.123456789Z"),
        new BigDecimal("0.0125"));
  }

  @Test
  void aUserRecordRoundTripsThroughItsBinding() throws Exception {
    var deposit = deposit(7);

    var serializer = SERIALIZATION.findSerializerFor(deposit);
    assertInstanceOf(KryoSerializer.class, serializer);
    assertEquals(KRYO_SERIALIZER_ID, serializer.identifier(), "the identifier must never change");
    assertEquals(deposit, roundTrip(deposit));
  }

  @Test
  void commonJdkTypesInFieldsRoundTrip() throws Exception {
    var counts = new HashMap<String, Long>(Map.of("a", 1L, "b", 2L));
    var byChannel = new TreeMap<Channel, List<Integer>>(Map.of(Channel.BRANCH, List.of(1, 2), Channel.ONLINE, List.of()));
    var audit = new Audit(UUID.randomUUID(), Optional.of("checked"), Optional.empty(), counts, Set.of("x", "y", "z"),
        Duration.ofMillis(1500), LocalDate.of(2025, 3, 1), ZonedDateTime.of(2025, 3, 1, 10, 0, 0, 0,
            ZoneId.of("Europe/Paris")), Stream.of(new Money(BigDecimal.ONE, "USD")).toList(), byChannel);

    assertEquals(audit, roundTrip(audit));
  }

  /** Each built-in type, alone and registration required: no application registration needed. */
  static Stream<Object> builtInValues() {
    return Stream.of("text", 42, 42L, 1.5d, 1.5f, true, 'c', (short) 3, (byte) 4, new byte[] {1, 2}, new int[] {3},
        new long[] {4}, new String[] {"a", null}, new Object[] {"a", 1}, new ArrayList<>(List.of(1, 2)),
        new LinkedHashMap<>(Map.of("k", "v")), new TreeSet<>(Set.of("b", "a")), EnumSet.of(Channel.ONLINE),
        List.of(), List.of(1), List.of(1, 2, 3), List.of(1, 2, 3).subList(1, 2), Set.of(), Set.of(1), Set.of(1, 2, 3),
        Map.of(), Map.of(1, 2), Map.of(1, 2, 3, 4), IntStream.range(0, 5).boxed().toList(), Collections.emptyList(),
        Collections.emptyMap(), Collections.singletonList("x"), Collections.singletonMap("k", 1),
        Arrays.asList("a", "b"), new BigInteger("123456789012345678901234567890"), new BigDecimal("-1.000"),
        UUID.randomUUID(), URI.create("https://example.com/a?b"), Optional.of(1), OptionalLong.of(5),
        Instant.ofEpochSecond(1, 2), LocalDateTime.of(2025, 1, 2, 3, 4), ZoneOffset.ofHours(2),
        ZoneId.of("America/New_York"), java.util.Currency.getInstance("EUR"), java.util.Locale.GERMANY);
  }

  @ParameterizedTest
  @MethodSource("builtInValues")
  void builtInTypesRoundTripWithoutRegistration(Object value) throws Exception {
    var serializer = kryo();
    Object back = serializer.fromBinary(serializer.toBinary(value), KryoSerializer.FORMAT_1);
    assertTrue(Objects.deepEquals(value, back), value + " came back as " + back);
    assertEquals(value.getClass().isArray(), back.getClass().isArray());
  }

  @Test
  void actorReferencesTypedAndClassicRoundTripAsTheSameActor() throws Exception {
    var serializer = kryo();
    ActorRef<Deposited> typed = KIT.<Deposited>createTestProbe().ref();
    org.apache.pekko.actor.ActorRef classic = Adapter.toClassic(typed);

    assertEquals(typed, serializer.fromBinary(serializer.toBinary(typed), KryoSerializer.FORMAT_1));
    assertEquals(classic, serializer.fromBinary(serializer.toBinary(classic), KryoSerializer.FORMAT_1));
    var deposited = new Deposited("a", 1, typed);
    assertEquals(deposited, roundTrip(deposited));
  }

  @Test
  void anUnregisteredClassIsRefusedNamingItAndTheSettingThatRegistersIt() {
    var attempt = SERIALIZATION.serialize(new Unlisted("x"));

    String message = attempt.failed().get().getMessage();
    assertTrue(message.contains(Unlisted.class.getName()), message);
    assertTrue(message.contains("cohort.kryo.classes"), message);
  }

  @Test
  void anUnregisteredClassInsideARegisteredOneIsRefusedNamingIt() {
    var serializer = new KryoSerializer(CLASSIC, settings("cohort.kryo.classes { \"" + TEST + "Holder\" = 110 }"));

    var refused = assertThrows(IllegalArgumentException.class, () -> serializer.toBinary(new Holder(new Unlisted("x"))));
    assertTrue(refused.getMessage().contains(Unlisted.class.getName()), refused.getMessage());
    assertTrue(refused.getMessage().contains("cohort.kryo.classes"), refused.getMessage());
  }

  @Test
  void withRegistrationOffUnregisteredClassesRoundTripByName() throws Exception {
    var serializer = new KryoSerializer(CLASSIC, settings("cohort.kryo.registration-required = off"));
    var holder = new Holder(new Unlisted("by name"));

    byte[] bytes = serializer.toBinary(holder);
    assertEquals(holder, serializer.fromBinary(bytes, KryoSerializer.FORMAT_1));
    // Kryo marks a string's last character, so look for the name without it.
    assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains(TEST + "Holde"));
    // Registered classes still travel by id.
    assertEquals(deposit(3), serializer.fromBinary(serializer.toBinary(deposit(3)), KryoSerializer.FORMAT_1));
  }

  @Test
  void aJavaSerializableClassIsWrittenFieldByField_neverWithJavaSerialization() throws Exception {
    var legacy = new Legacy("old", 3);

    assertEquals(legacy, roundTrip(legacy));
  }

  @Test
  void aClassAskingForJavaSerializationIsRefused() {
    var atStart = assertThrows(ConfigurationException.class, () -> new KryoSerializer(CLASSIC,
        settings("cohort.kryo.classes { \"" + TEST + "AsksForJava\" = 110 }")));
    assertEquals("cohort.kryo.classes.\"" + AsksForJava.class.getName() + "\"", atStart.key());
    assertTrue(atStart.getMessage().contains("Java serialization"), atStart.getMessage());

    var unregistered = new KryoSerializer(CLASSIC, settings("cohort.kryo.registration-required = off"));
    var refused = assertThrows(IllegalArgumentException.class, () -> unregistered.toBinary(new AsksForJava("x")));
    assertTrue(refused.getMessage().contains("Java serialization"), refused.getMessage());
  }

  @Test
  void concurrentUseFromManyThreadsRoundTripsEveryMessage() throws Exception {
    // A pool smaller than the threads: some take a fresh Kryo, and the pool keeps two.
    var serializer = new KryoSerializer(CLASSIC, settings("cohort.kryo.pool-size = 2"));
    int threads = 8;
    int perThread = 500;
    var executor = Executors.newFixedThreadPool(threads);
    try {
      var tasks = IntStream.range(0, threads).<Callable<Integer>>mapToObj(thread -> () -> {
        for (int i = 0; i < perThread; i++) {
          var deposit = deposit(thread * 1_000_000L + i);
          var back = serializer.fromBinary(serializer.toBinary(deposit), KryoSerializer.FORMAT_1);
          assertEquals(deposit, back);
        }
        return perThread;
      }).toList();
      int done = 0;
      for (var result : executor.invokeAll(tasks)) {
        done += result.get();
      }
      assertEquals(threads * perThread, done);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void garbageAndUnknownIdsAreRefusedAsNotSerializable() throws Exception {
    var serializer = kryo();

    var garbage = assertThrows(NotSerializableException.class,
        () -> serializer.fromBinary(new byte[] {(byte) 0xF3, 0x7F, 0x7F, 0x7F, 0x01, 0x02}, KryoSerializer.FORMAT_1));
    assertTrue(garbage.getMessage().contains("cohort-kryo"), garbage.getMessage());

    // A writer that registered a class this node does not have.
    var writer = new KryoSerializer(CLASSIC, settings("cohort.kryo.classes { \"" + TEST + "Unlisted\" = 150 }"));
    var unknownId = assertThrows(NotSerializableException.class,
        () -> serializer.fromBinary(writer.toBinary(new Unlisted("x")), KryoSerializer.FORMAT_1));
    assertTrue(unknownId.getMessage().contains("150"), unknownId.getMessage());
    assertTrue(unknownId.getMessage().contains("cohort.kryo.classes"), unknownId.getMessage());

    byte[] withTrailing = Arrays.copyOf(serializer.toBinary("text"), serializer.toBinary("text").length + 1);
    assertThrows(NotSerializableException.class, () -> serializer.fromBinary(withTrailing, KryoSerializer.FORMAT_1));

    var unknownFormat = assertThrows(NotSerializableException.class,
        () -> serializer.fromBinary(serializer.toBinary("text"), "k9"));
    assertTrue(unknownFormat.getMessage().contains("[k9]"), unknownFormat.getMessage());
    var throughPekko = SERIALIZATION.deserialize(new byte[] {1}, KRYO_SERIALIZER_ID, KryoSerializer.FORMAT_1);
    assertInstanceOf(NotSerializableException.class, throughPekko.failed().get());
  }

  @Test
  void aPayloadLargerThanTheMaximumIsRefusedNamingTheSetting() throws Exception {
    var serializer = new KryoSerializer(CLASSIC, settings("cohort.kryo { buffer-size = 256 B, max-buffer-size = 1 KiB }"));

    var refused = assertThrows(IllegalArgumentException.class, () -> serializer.toBinary("x".repeat(2000)));
    assertTrue(refused.getMessage().contains("cohort.kryo.max-buffer-size"), refused.getMessage());
    // The pool is fine afterwards, and a payload that grew the buffer is still written whole.
    String large = "y".repeat(900);
    assertEquals(large, serializer.fromBinary(serializer.toBinary(large), KryoSerializer.FORMAT_1));
    assertEquals("z", serializer.fromBinary(serializer.toBinary("z"), KryoSerializer.FORMAT_1));
  }

  /**
   * The bytes of one value, pinned: ids, the order of record components and Kryo's encoding are
   * written into stored events, and a change to any of them must fail here first.
   */
  @Test
  void theFormatIsPinned() throws Exception {
    String pinned = PINNED_DEPOSIT;
    var serializer = kryo();

    assertEquals(pinned, HexFormat.of().formatHex(serializer.toBinary(deposit(7))));
    assertEquals(deposit(7), serializer.fromBinary(HexFormat.of().parseHex(pinned), KryoSerializer.FORMAT_1));
  }

  /**
   * deposit(7): Deposit's id 100, written as 100 + 2 (0x66), then its components by name: account, at,
   * channel, money (its amount with BigDecimal's id, 51 + 2 = 0x35), rate, sequence, tags (List.of's id,
   * 30 + 2 = 0x20). Final classes (String, Instant, the enum, the nested record) go without an id.
   */
  private static final String PINNED_DEPOSIT = "66616363742db701c2bc8bbe06959aef3a0201350304e2044555d235027d080e"
      + "20840373616c6172f96d6f6e74686cf974b7";

  /** Each malformed setting, and the key its error must name. */
  static Stream<Arguments> malformedSettings() {
    String deposit = "\"" + TEST + "Deposit\"";
    return Stream.of(
        Arguments.of("cohort.kryo.classes { " + deposit + " = 100, \"" + TEST + "Money\" = 100 }",
            "cohort.kryo.classes.\"" + TEST + "Money\"", "also given to"),
        Arguments.of("cohort.kryo.classes { " + deposit + " = 99 }", "cohort.kryo.classes." + deposit, "reserved"),
        Arguments.of("cohort.kryo.classes { " + deposit + " = 0 }", "cohort.kryo.classes." + deposit, "reserved"),
        Arguments.of("cohort.kryo.classes { \"com.example.Missing\" = 100 }",
            "cohort.kryo.classes.\"com.example.Missing\"", "not found"),
        Arguments.of("cohort.kryo.classes { " + deposit + " = abc }", "cohort.kryo.classes." + deposit,
            "whole number"),
        Arguments.of("cohort.kryo.classes { " + deposit + " = 100.5 }", "cohort.kryo.classes." + deposit,
            "whole number"),
        Arguments.of("cohort.kryo.classes { \"java.util.UUID\" = 100 }", "cohort.kryo.classes.\"java.util.UUID\"",
            "built in"),
        Arguments.of("cohort.kryo.classes { \"" + TEST + "AppMessage\" = 100 }",
            "cohort.kryo.classes.\"" + TEST + "AppMessage\"", "interface"),
        Arguments.of("cohort.kryo.classes = [a]", "cohort.kryo.classes", "object"),
        Arguments.of("cohort.kryo.pool-size = 0", "cohort.kryo.pool-size", "at least 1"),
        Arguments.of("cohort.kryo.pool-sise = 4", "cohort.kryo.pool-sise", "is not a setting"),
        Arguments.of("cohort.kryo.registration-required = maybe", "cohort.kryo.registration-required", "BOOLEAN"),
        Arguments.of("cohort.kryo { buffer-size = 1 MiB, max-buffer-size = 64 KiB }", "cohort.kryo.max-buffer-size",
            "less than"));
  }

  @ParameterizedTest
  @MethodSource("malformedSettings")
  void aMalformedSettingIsRefusedNamingTheKey(String setting, String key, String problem) {
    var refused = assertThrows(ConfigurationException.class,
        () -> KryoSettings.fromConfig(ConfigFactory.parseString(setting).withFallback(ConfigFactory.defaultReference()),
            getClass().getClassLoader()));
    assertEquals(key, refused.key());
    assertTrue(refused.getMessage().contains(problem), refused.getMessage());
  }

  @Test
  void classNamesWithoutQuotesAreReadAsTheNestedPathTheyBecome() {
    var settings = KryoSettings.fromConfig(ConfigFactory.parseString("cohort.kryo.classes { java.lang.Thread = 120 }")
        .withFallback(ConfigFactory.defaultReference()));

    assertEquals(Map.of(Thread.class, 120), settings.classes());
  }

  @Test
  void anActorSystemWithAMalformedSettingRefusesToStart() {
    Config bad = ConfigFactory.parseString("cohort.kryo.classes { \"com.example.Missing\" = 100 }").withFallback(CONFIG);

    var refused = assertThrows(ConfigurationException.class,
        () -> ActorSystem.create(Behaviors.empty(), "kryo-bad", bad).terminate());
    assertEquals("cohort.kryo.classes.\"com.example.Missing\"", refused.key());
  }

  @Test
  void aRecordWithAReplyAddressCrossesBetweenTwoActorSystems() {
    ActorTestKit other = ActorTestKit.create("kryo", CONFIG);
    try {
      TestProbe<AppMessage> bank = KIT.createTestProbe();
      TestProbe<Deposited> caller = other.createTestProbe();
      // The bank as the other system sees it: a remote reference, so every message crosses Artery.
      ActorRef<AppMessage> remoteBank = ActorRefResolver.get(other.system())
          .resolveActorRef(ActorRefResolver.get(KIT.system()).toSerializationFormat(bank.ref()));
      assertNotEquals(KIT.system().address(), other.system().address());

      remoteBank.tell(deposit(11));
      assertEquals(deposit(11), bank.receiveMessage(Duration.ofSeconds(10)));
      remoteBank.tell(new Deposited("acct-11", 100, caller.ref()));
      var received = (Deposited) bank.receiveMessage(Duration.ofSeconds(10));
      received.replyTo().tell(new Deposited("acct-11", 112, null));

      assertEquals(new Deposited("acct-11", 112, null), caller.receiveMessage(Duration.ofSeconds(10)));
    } finally {
      other.shutdownTestKit();
    }
  }

  private static Object roundTrip(Object message) throws Exception {
    var serializer = SERIALIZATION.findSerializerFor(message);
    assertInstanceOf(KryoSerializer.class, serializer);
    byte[] bytes = SERIALIZATION.serialize(message).get();
    return SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }

  /** The serializer the test system made from CONFIG. */
  private static KryoSerializer kryo() {
    return (KryoSerializer) SERIALIZATION.findSerializerFor(deposit(0));
  }

  /** CONFIG's settings with {@code overrides}. */
  private static KryoSettings settings(String overrides) {
    return KryoSettings.fromConfig(ConfigFactory.parseString(overrides).withFallback(CONFIG),
        KryoSerializerTest.class.getClassLoader());
  }
}
