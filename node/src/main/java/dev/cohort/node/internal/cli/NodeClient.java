package dev.cohort.node.internal.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.node.internal.HttpApi.ClusterJson;
import dev.cohort.node.internal.TableJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a node's HTTP API (for {@code status} and {@code demo}). */
final class NodeClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String base;

  /** A client of the node whose HTTP API is at {@code hostAndPort}. */
  NodeClient(String hostAndPort) {
    this.base = "http://" + hostAndPort;
  }

  /** The node's address, for messages. */
  String base() {
    return base;
  }

  ClusterJson cluster() throws IOException, InterruptedException {
    return get("/cluster", ClusterJson.class);
  }

  TableJson partitions() throws IOException, InterruptedException {
    return get("/partitions", TableJson.class);
  }

  private <T> T get(String path, Class<T> type) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET().build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + base + path + " answered " + response.statusCode());
    }
    return JSON.readValue(response.body(), type);
  }
}
