package dev.cohort.node.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The demo's asynchronous client of the nodes' key-value HTTP API ({@code PUT} and {@code GET
 * /kv/demo/{key}}), with the rules for reading its answers: what a successful answer holds, and
 * the kind of a failed request, for counting.
 */
final class DemoKvHttp {
  /** The key-value table written to; conf/demo/cluster.conf declares it. */
  static final String TABLE = "demo";
  /**
   * How long the client waits for an answer: longer than a node's own cohort.client.request-timeout
   * (5 s), so that a request a node cannot complete normally comes back as the node's "timeout".
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** Connecting to a live node on loopback is instant; a dead one refuses at once. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final int HTTP_OK = 200;
  private static final int HTTP_NOT_FOUND = 404;
  private static final String NOT_FOUND_CODE = "not-found";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A key's value at a version: an acknowledged write, or what a read found.
   *
   * @param version the key's version (the seq of the entry that wrote it)
   * @param value the value
   */
  record Versioned(long version, String value) {
    /** The one of {@code a} and {@code b} with the higher version. */
    static Versioned newer(Versioned a, Versioned b) {
      return b.version() > a.version() ? b : a;
    }
  }

  private final Map<String, String> baseOf = new LinkedHashMap<>();
  private final HttpClient http;

  /** A client of the nodes, by name, at their HTTP addresses ({@code host:port}). */
  DemoKvHttp(Map<String, String> httpOf) {
    httpOf.forEach((name, hostAndPort) -> baseOf.put(name, "http://" + hostAndPort));
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // the nodes speak HTTP/1.1; no upgrade attempt
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  /** The nodes' names, in the order given. */
  List<String> nodes() {
    return List.copyOf(baseOf.keySet());
  }

  /** {@code PUT /kv/demo/key} with {@code value} at {@code node}. */
  CompletableFuture<HttpResponse<byte[]>> put(String node, String key, String value) {
    return send(HttpRequest.newBuilder(uri(node, key))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofString(value, StandardCharsets.UTF_8))
        .build());
  }

  /** {@code GET /kv/demo/key} at {@code node}: a linearizable read, the node's default. */
  CompletableFuture<HttpResponse<byte[]>> get(String node, String key) {
    return send(HttpRequest.newBuilder(uri(node, key)).timeout(REQUEST_TIMEOUT).GET().build());
  }

  private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
    try {
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private URI uri(String node, String key) {
    return URI.create(baseOf.get(node) + "/kv/" + TABLE + "/" + key);
  }

  /** Whether a PUT was acknowledged. */
  static boolean written(HttpResponse<byte[]> response) {
    return response.statusCode() == HTTP_OK;
  }

  /**
   * The version of an acknowledged PUT ({@code {"version":..}}).
   *
   * @throws IllegalStateException if the answer has no version
   */
  static long writtenVersion(HttpResponse<byte[]> response) {
    try {
      JsonNode version = JSON.readTree(response.body()).get("version");
      if (version == null || !version.canConvertToLong()) {
        throw new IllegalStateException("a PUT answer without a version: " + body(response));
      }
      return version.asLong();
    } catch (IOException e) {
      throw new IllegalStateException("a PUT answer that is not JSON: " + body(response), e);
    }
  }

  /** Whether a GET was answered: found (200) or not found (404 {@code not-found}). */
  static boolean answered(HttpResponse<byte[]> response) {
    return response.statusCode() == HTTP_OK
        || (response.statusCode() == HTTP_NOT_FOUND && NOT_FOUND_CODE.equals(errorCode(response)));
  }

  /**
   * What an {@link #answered} GET found, null if the key is absent.
   *
   * @throws IllegalStateException if a found value has no version ({@code ETag: "123"})
   */
  static Versioned found(HttpResponse<byte[]> response) {
    if (response.statusCode() != HTTP_OK) {
      return null;
    }
    String tag = response.headers().firstValue("ETag")
        .orElseThrow(() -> new IllegalStateException("a GET answer without ETag"));
    try {
      return new Versioned(Long.parseLong(tag.replace("W/", "").replace("\"", "").trim()), body(response));
    } catch (NumberFormatException e) {
      throw new IllegalStateException("a GET answer whose ETag is not a version: " + tag, e);
    }
  }

  /** The code of an error answer ({@code {"code":..}}), or {@code http-STATUS} if it has none. */
  static String errorCode(HttpResponse<byte[]> response) {
    try {
      JsonNode code = JSON.readTree(response.body()).get("code");
      if (code != null && code.isTextual()) {
        return code.asText();
      }
    } catch (IOException notJson) {
      // the status is all there is
    }
    return "http-" + response.statusCode();
  }

  /** The kind of a request that got no answer. */
  static String failureKind(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return "connect-timeout";
    }
    if (cause instanceof HttpTimeoutException) {
      return "no-answer-in-" + REQUEST_TIMEOUT.toSeconds() + "s";
    }
    if (cause instanceof ConnectException) {
      return "connection-refused";
    }
    if (cause instanceof IOException) {
      return "connection-lost";
    }
    return "client-" + cause.getClass().getSimpleName();
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
