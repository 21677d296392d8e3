package dev.cohort.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.CohortException;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.KvValue;
import dev.cohort.api.KvWrite;
import dev.cohort.api.PartitionId;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.Cohort;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The replicated key-value table on three nodes, through the Java API from every node and through
 * HTTP: writes are acknowledged once replicated and readable everywhere, refusals write nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KeyValueClusterTest {
  private static final Duration ANSWER = Duration.ofSeconds(30);
  private static final int MAX_VALUE = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private TestCluster cluster;

  @BeforeAll
  void startCluster() {
    cluster = TestCluster.builder()
        .node("node-a", "ledger").node("node-b", "ledger").node("node-c", "ledger")
        .config("""
            cohort.clusters.main.node-groups = [ledger]
            cohort.partition-groups.kvg { type = dynamic, cluster = main, partitions = 6, replicas = 1 }
            cohort.tables.kv { partition-group = kvg }
            cohort.kv.max-value-bytes = %d
            cohort.quorum.ledger.min-nodes = 2
            """.formatted(MAX_VALUE))
        .start();
    PartitionTable table = cluster.awaitTableAgreement();
    awaitEveryPartitionWritable(table.group("kvg").size());
  }

  @AfterEach
  void noErrorsLogged() {
    assertEquals(List.of(), cluster.loggedErrors());
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }

  @Test
  void aPutIsReadableFromEveryNode_linearizablyAndFromEachNodesOwnCopy() {
    KvWrite write = await(kv("node-a").put("alpha", bytes("one")));

    assertTrue(write.version() >= 1, "version " + write.version());
    assertEquals(write.version(), write.seq(), "a key's version is the seq that wrote it");
    assertEquals("kvg", write.partition().group());
    for (CohortNode node : cluster.nodes()) {
      KvValue value = await(kv(node).get("alpha")).orElseThrow(() -> new AssertionError("absent on " + node.name()));
      assertArrayEquals(bytes("one"), value.value(), node.name().value());
      assertEquals(write.version(), value.version(), node.name().value());
      assertTrue(value.seq() >= write.seq(), "the read reflects the write: " + value);

      // A replica applies an entry once it hears it is committed, just after the active: await it.
      KvValue replica = Await.until("a replica read of alpha on " + node.name() + " to see version " + write.version(),
          ANSWER, () -> await(kv(node).get("alpha", ReadConsistency.ANY_REPLICA))
              .filter(v -> v.version() == write.version()).orElse(null));
      assertArrayEquals(bytes("one"), replica.value());
      assertTrue(replica.seq() >= write.seq(), "a replica read says the seq it reflects: " + replica);
    }
  }

  @Test
  void compareAndSetWritesAtTheExpectedVersion_andOtherwiseFailsNamingTheCurrentOne() {
    KeyValueTable kv = kv("node-b");
    KvWrite first = await(kv.put("cas", bytes("v1")));

    KvWrite second = await(kv.compareAndSet("cas", first.version(), bytes("v2")));
    var conflict = assertInstanceOf(CohortException.VersionConflict.class,
        failure(kv("node-c").compareAndSet("cas", first.version(), bytes("v3"))));
    var onAbsent = assertInstanceOf(CohortException.VersionConflict.class,
        failure(kv.compareAndSet("never-written", 1, bytes("x"))));

    assertTrue(second.version() > first.version());
    assertEquals(first.version(), conflict.expected());
    assertEquals(Optional.of(second.version()), conflict.current());
    assertEquals(Optional.empty(), onAbsent.current());
    KvValue now = await(kv("node-a").get("cas")).orElseThrow();
    assertArrayEquals(bytes("v2"), now.value(), "the conflicting write changed nothing");
    assertEquals(second.version(), now.version());
  }

  @Test
  void aDeletedKeyIsAbsentOnEveryNode_andDeletingAgainSucceeds() {
    KvWrite put = await(kv("node-c").put("gone", bytes("soon")));

    KvWrite delete = await(kv("node-a").delete("gone"));

    assertTrue(delete.deleted());
    assertTrue(delete.seq() > put.seq());
    assertEquals(put.partition(), delete.partition());
    for (CohortNode node : cluster.nodes()) {
      assertEquals(Optional.empty(), await(kv(node).get("gone")), node.name().value());
    }
    assertTrue(await(kv("node-b").delete("gone")).deleted());
  }

  @Test
  void aValueOverTheLimitIsRefused_andNothingIsWritten() {
    var error = assertInstanceOf(CohortException.TooLarge.class,
        failure(kv("node-a").put("big", new byte[MAX_VALUE + 1])));
    assertInstanceOf(CohortException.TooLarge.class,
        failure(kv("node-b").compareAndSet("big", 1, new byte[MAX_VALUE + 1])));

    assertEquals(MAX_VALUE + 1, error.size());
    assertEquals(MAX_VALUE, error.max());
    assertEquals(Optional.empty(), await(kv("node-c").get("big")));
    KvWrite exactly = await(kv("node-a").put("big", new byte[MAX_VALUE]));
    assertTrue(exactly.version() > 0, "a value of exactly the limit is accepted");
  }

  @Test
  void anUnknownTableIsRefusedNamingTheDeclaredOnes() {
    var error = assertThrows(CohortException.UnknownTable.class,
        () -> Cohort.get(cluster.node("node-a").system()).keyValueTable("nope"));

    assertEquals("nope", error.table());
    assertTrue(error.getMessage().contains("[kv]"), error.getMessage());
  }

  @Test
  void manyConcurrentPutsFromEveryNodeAreAllAcknowledged_andThenReadableEverywhere() {
    int perNode = 300;
    Map<String, CompletionStage<KvWrite>> writes = new HashMap<>();
    for (int i = 0; i < perNode; i++) {
      for (CohortNode node : cluster.nodes()) {
        String key = node.name().value() + "-" + i;
        writes.put(key, kv(node).put(key, bytes(key)));
      }
    }

    Map<String, KvWrite> acknowledged = new HashMap<>();
    writes.forEach((key, write) -> acknowledged.put(key, await(write)));

    assertEquals(perNode * 3, acknowledged.size());
    for (CohortNode node : cluster.nodes()) {
      var reads = new ArrayList<CompletableFuture<Optional<KvValue>>>();
      List<String> keys = new ArrayList<>(acknowledged.keySet());
      keys.forEach(key -> reads.add(kv(node).get(key).toCompletableFuture()));
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        KvValue value = await(reads.get(i)).orElseThrow(() -> new AssertionError(key + " absent on " + node.name()));
        assertArrayEquals(bytes(key), value.value(), key + " on " + node.name());
        assertEquals(acknowledged.get(key).version(), value.version(), key + " on " + node.name());
      }
    }
  }

  @Test
  void httpRoundTrip_putGetConditionalPutDelete() throws Exception {
    CohortNode node = cluster.node("node-b");

    HttpResponse<String> put = send(node, "PUT", "/kv/kv/http-key", bytes("first"), Map.of());
    assertEquals(200, put.statusCode(), put.body());
    JsonNode written = JSON.readTree(put.body());
    long version = written.get("version").asLong();
    assertTrue(written.get("seq").asLong() >= version);
    assertTrue(written.get("partition").asText().startsWith("kvg#"), put.body());

    HttpResponse<byte[]> get = http.send(request(node, "/kv/kv/http-key").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, get.statusCode());
    assertArrayEquals(bytes("first"), get.body());
    assertEquals(Optional.of("\"" + version + "\""), get.headers().firstValue("ETag"));
    assertEquals(Optional.of("application/octet-stream"), get.headers().firstValue("Content-Type"));
    assertTrue(Long.parseLong(get.headers().firstValue("X-Cohort-Seq").orElseThrow()) >= version);

    HttpResponse<String> stale = send(node, "PUT", "/kv/kv/http-key", bytes("second"),
        Map.of("If-Match", "\"" + (version - 1) + "\""));
    assertEquals(412, stale.statusCode(), stale.body());
    JsonNode conflict = JSON.readTree(stale.body());
    assertEquals("version-conflict", conflict.get("code").asText());
    assertEquals(version, conflict.get("currentVersion").asLong());

    HttpResponse<String> matching = send(node, "PUT", "/kv/kv/http-key", bytes("second"),
        Map.of("If-Match", "\"" + version + "\""));
    assertEquals(200, matching.statusCode(), matching.body());
    assertTrue(JSON.readTree(matching.body()).get("version").asLong() > version);

    // Every node holds a copy or asks the active; a replica applies the write just after the active.
    for (CohortNode reader : cluster.nodes()) {
      HttpResponse<String> replicaRead = Await.until("a replica read on " + reader.name() + " to see the second value",
          ANSWER, () -> {
            HttpResponse<String> response = sendUnchecked(reader, "GET", "/kv/kv/http-key?consistency=replica");
            return response.statusCode() == 200 && response.body().equals("second") ? response : null;
          });
      assertTrue(Long.parseLong(replicaRead.headers().firstValue("X-Cohort-Seq").orElseThrow()) > version);
    }

    HttpResponse<String> delete = send(node, "DELETE", "/kv/kv/http-key", null, Map.of());
    assertEquals(200, delete.statusCode(), delete.body());
    assertTrue(JSON.readTree(delete.body()).get("seq").asLong() > version);

    HttpResponse<String> absent = send(node, "GET", "/kv/kv/http-key", null, Map.of());
    assertEquals(404, absent.statusCode());
    assertEquals("not-found", JSON.readTree(absent.body()).get("code").asText());
  }

  @Test
  void httpKeysArePathSegments_soASlashInAKeyIsPercentEncoded() throws Exception {
    CohortNode node = cluster.node("node-c");

    assertEquals(200, send(node, "PUT", "/kv/kv/dir%2Ffile", bytes("content"), Map.of()).statusCode());

    KvValue value = await(kv("node-a").get("dir/file")).orElseThrow();
    assertArrayEquals(bytes("content"), value.value());
    assertEquals(404, send(node, "GET", "/kv/kv/dir/file", null, Map.of()).statusCode(), "two segments: no such route");
  }

  @Test
  void httpErrorsCarryStableCodes() throws Exception {
    CohortNode node = cluster.node("node-a");

    HttpResponse<String> unknown = send(node, "GET", "/kv/nope/k", null, Map.of());
    assertEquals(404, unknown.statusCode());
    assertEquals("unknown-table", JSON.readTree(unknown.body()).get("code").asText());

    HttpResponse<String> tooLarge = send(node, "PUT", "/kv/kv/huge", new byte[MAX_VALUE + 1], Map.of());
    assertEquals(413, tooLarge.statusCode());
    assertEquals("too-large", JSON.readTree(tooLarge.body()).get("code").asText());
    assertEquals(404, send(node, "GET", "/kv/kv/huge", null, Map.of()).statusCode(), "nothing was written");

    HttpResponse<String> badIfMatch = send(node, "PUT", "/kv/kv/k", bytes("x"), Map.of("If-Match", "\"soon\""));
    assertEquals(400, badIfMatch.statusCode());
    assertEquals("bad-request", JSON.readTree(badIfMatch.body()).get("code").asText());

    JsonNode tables = JSON.readTree(send(node, "GET", "/tables", null, Map.of()).body());
    assertEquals(1, tables.get("tables").size());
    JsonNode kv = tables.get("tables").get(0);
    assertEquals("kv", kv.get("name").asText());
    assertEquals("kvg", kv.get("partitionGroup").asText());
    assertEquals(6, kv.get("partitions").asInt());
    assertEquals(MAX_VALUE, kv.get("maxValueBytes").asInt());
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Puts keys until one landed on each partition: each active then sequences (the router retried meanwhile). */
  private void awaitEveryPartitionWritable(int partitions) {
    Set<PartitionId> written = new HashSet<>();
    for (int i = 0; written.size() < partitions; i++) {
      assertTrue(i < 1000, "no key of 1000 reached every partition: " + written);
      written.add(await(kv("node-a").put("probe-" + i, bytes("probe"))).partition());
    }
  }

  private KeyValueTable kv(String node) {
    return kv(cluster.node(node));
  }

  private static KeyValueTable kv(CohortNode node) {
    return Cohort.get(node.system()).keyValueTable("kv");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable failure(CompletionStage<?> stage) {
    try {
      Object value = stage.toCompletableFuture().get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private HttpRequest.Builder request(CohortNode node, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpAddress().getPort() + path))
        .timeout(ANSWER);
  }

  private HttpResponse<String> sendUnchecked(CohortNode node, String method, String path) {
    try {
      return send(node, method, path, null, Map.of());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(CohortNode node, String method, String path, byte[] body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder builder = request(node, path).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(builder::header);
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
