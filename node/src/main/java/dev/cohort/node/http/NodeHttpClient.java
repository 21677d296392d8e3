package dev.cohort.node.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Reads one node's HTTP/JSON API. Every request is bounded by the client's timeout, so a node
 * that hangs (paused, overloaded) costs at most that long.
 *
 * <pre>{@code
 * var node = new NodeHttpClient("127.0.0.1:8080");
 * ClusterJson cluster = node.cluster();
 * TableJson table = node.partitions();
 * }</pre>
 */
public final class NodeHttpClient {
  /** The timeout of a client made without one. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final HttpClient http;
  private final String base;
  private final Duration timeout;

  /** A client of the node whose HTTP API is at {@code hostAndPort}, with {@link #DEFAULT_TIMEOUT}. */
  public NodeHttpClient(String hostAndPort) {
    this(hostAndPort, DEFAULT_TIMEOUT);
  }

  /**
   * A client of the node whose HTTP API is at {@code hostAndPort} (such as {@code
   * 127.0.0.1:8080}); connecting and each request give up after {@code timeout}.
   */
  public NodeHttpClient(String hostAndPort, Duration timeout) {
    this.base = "http://" + Objects.requireNonNull(hostAndPort, "hostAndPort");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The node's base address ({@code http://host:port}), for messages. */
  public String base() {
    return base;
  }

  /**
   * {@code GET /health}, whether the node is healthy (200) or not (503).
   *
   * @throws IOException if the node does not answer in time or answers with another status
   */
  public HealthJson health() throws IOException, InterruptedException {
    return get("/health", HealthJson.class, 503);
  }

  /**
   * {@code GET /cluster}: the node's view of members, coordinator and quorum.
   *
   * @throws IOException if the node does not answer with 200 in time
   */
  public ClusterJson cluster() throws IOException, InterruptedException {
    return get("/cluster", ClusterJson.class, 200);
  }

  /**
   * {@code GET /partitions}: the partition table the node holds.
   *
   * @throws IOException if the node does not answer with 200 in time
   */
  public TableJson partitions() throws IOException, InterruptedException {
    return get("/partitions", TableJson.class, 200);
  }

  /**
   * {@code POST /partitions/{group}/{index}/force}: asks for an unavailable partition to be placed
   * afresh, empty. The answer's {@code code} says whether it was requested.
   *
   * @throws IOException if the node does not answer in time
   */
  public ForceJson force(String group, int index) throws IOException, InterruptedException {
    String path = "/partitions/" + group + "/" + index + "/force";
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 202 && response.statusCode() != 404 && response.statusCode() != 409) {
      throw new IOException("POST " + base + path + " answered " + response.statusCode());
    }
    return JSON.readValue(response.body(), ForceJson.class);
  }

  private <T> T get(String path, Class<T> type, int alsoAccepted) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200 && response.statusCode() != alsoAccepted) {
      throw new IOException("GET " + base + path + " answered " + response.statusCode());
    }
    return JSON.readValue(response.body(), type);
  }

  @Override
  public String toString() {
    return "NodeHttpClient(" + base + ")";
  }
}
