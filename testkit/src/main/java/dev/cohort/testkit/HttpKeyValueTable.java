package dev.cohort.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.CohortException;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.KvValue;
import dev.cohort.api.KvWrite;
import dev.cohort.api.PartitionId;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.internal.client.KvJson;
import dev.cohort.node.internal.client.KvRoutes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A {@link KeyValueTable} used through one node's HTTP API, for clients outside the cluster and for
 * tests of node processes ({@link ProcessCluster}). Refusals come back as the same {@link
 * CohortException.VersionConflict} the Java API gives; any other refusal fails with {@link
 * HttpRefusal} carrying the stable error code, and a connection failure with the {@link
 * IOException}.
 */
public final class HttpKeyValueTable implements KeyValueTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final String name;
  private final Duration timeout;

  /**
   * The table {@code name} at the node whose HTTP API is at {@code hostAndPort}.
   *
   * @param timeout how long one request may take, after which it fails (its outcome unknown)
   */
  public HttpKeyValueTable(HttpClient http, String hostAndPort, String name, Duration timeout) {
    this.http = http;
    this.base = "http://" + hostAndPort + "/kv/" + encode(name) + "/";
    this.name = name;
    this.timeout = timeout;
  }

  /** A refusal the Java API has no richer exception for here; {@link #code()} is the stable code. */
  public static final class HttpRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    HttpRefusal(int status, String code, String message) {
      super(status + " " + code + ": " + message);
      this.code = code;
    }

    /** The stable error code, such as {@code quorum-lost}. */
    public String code() {
      return code;
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** Not known to this client without asking {@code GET /tables}; not needed by its callers. */
  @Override
  public String partitionGroup() {
    throw new UnsupportedOperationException("ask GET /tables for the partition group of " + name);
  }

  /** Not known to this client without asking {@code GET /tables}; the node enforces it. */
  @Override
  public int maxValueBytes() {
    throw new UnsupportedOperationException("ask GET /tables for the value limit of " + name);
  }

  @Override
  public CompletionStage<KvWrite> put(String key, byte[] value) {
    return send(request(key).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build()).thenApply(this::written);
  }

  @Override
  public CompletionStage<KvWrite> compareAndSet(String key, long expectedVersion, byte[] value) {
    HttpRequest request = request(key).header("If-Match", "\"" + expectedVersion + "\"")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build();
    return send(request).thenApply(this::written);
  }

  @Override
  public CompletionStage<KvWrite> delete(String key) {
    return send(request(key).DELETE().build()).thenApply(response -> {
      KvJson.Deleted deleted = read(ok(response), KvJson.Deleted.class);
      return new KvWrite(0, deleted.seq(), partition(deleted.partition()));
    });
  }

  @Override
  public CompletionStage<Optional<KvValue>> get(String key, ReadConsistency consistency) {
    String query = consistency == ReadConsistency.ANY_REPLICA ? "?consistency=replica" : "";
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + encode(key) + query)).timeout(timeout).GET().build();
    return send(request).thenApply(response -> {
      if (response.statusCode() == 404 && code(response).equals("not-found")) {
        return Optional.empty();
      }
      ok(response);
      long version = Long.parseLong(response.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
      long seq = Long.parseLong(response.headers().firstValue(KvRoutes.SEQ_HEADER).orElseThrow());
      return Optional.of(new KvValue(response.body(), version, seq));
    });
  }

  private HttpRequest.Builder request(String key) {
    return HttpRequest.newBuilder(URI.create(base + encode(key))).timeout(timeout);
  }

  private CompletionStage<HttpResponse<byte[]>> send(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private KvWrite written(HttpResponse<byte[]> response) {
    KvJson.Written written = read(ok(response), KvJson.Written.class);
    return new KvWrite(written.version(), written.seq(), partition(written.partition()));
  }

  /** The response if it is a 200, else the refusal it carries, thrown. */
  private HttpResponse<byte[]> ok(HttpResponse<byte[]> response) {
    if (response.statusCode() == 200) {
      return response;
    }
    String code = code(response);
    if (code.equals("version-conflict")) {
      KvJson.Conflict conflict = read(response, KvJson.Conflict.class);
      throw new CohortException.VersionConflict(conflict.expectedVersion(), Optional.ofNullable(conflict.currentVersion()));
    }
    throw new HttpRefusal(response.statusCode(), code, new String(response.body(), StandardCharsets.UTF_8));
  }

  private static String code(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body()).path("code").asText("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static <T> T read(HttpResponse<byte[]> response, Class<T> type) {
    try {
      return JSON.readValue(response.body(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable answer: " + new String(response.body(), StandardCharsets.UTF_8), e);
    }
  }

  private static PartitionId partition(String groupHashIndex) {
    int hash = groupHashIndex.lastIndexOf('#');
    return new PartitionId(groupHashIndex.substring(0, hash), Integer.parseInt(groupHashIndex.substring(hash + 1)));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
