package dev.cohort.node.internal.client;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.CohortException;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.KvValue;
import dev.cohort.api.KvWrite;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.Cohort;
import java.util.ArrayList;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ETag;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-value routes of the HTTP API, over the same {@link KeyValueTable}s as the Java API:
 *
 * <ul>
 *   <li>{@code PUT /kv/{table}/{key}}, the body is the value: 200 {@link KvJson.Written}, with the
 *       new version as {@code ETag}. With {@code If-Match: "<version>"} it is a compare-and-set: 412
 *       {@link KvJson.Conflict} naming the current version if the key is not at that version.
 *   <li>{@code GET /kv/{table}/{key}}: 200 with the value's bytes ({@code application/octet-stream}),
 *       {@code ETag: "<version>"} and {@code X-Cohort-Seq: <seq the read reflects>}; 404 {@code
 *       not-found} if the key is absent. {@code ?consistency=replica} reads this node's own copy if it
 *       holds one ({@link ReadConsistency#ANY_REPLICA}); {@code linearizable} is the default.
 *   <li>{@code DELETE /kv/{table}/{key}}: 200 {@link KvJson.Deleted}.
 *   <li>{@code GET /tables}: {@link KvJson.Tables}.
 * </ul>
 *
 * <p>Errors are {@link KvJson.Error} documents whose {@code code} is stable: quorum-lost 503,
 * partition-unavailable 503, too-large 413, unknown-table 404, version-conflict 412, overloaded 429,
 * timeout 504, not-found 404, bad-request 400 (a malformed {@code If-Match} or {@code consistency},
 * or a key the table's mapper cannot place), internal 500.
 */
public final class KvRoutes extends AllDirectives {
  /** The header that carries the seq a read reflects. */
  public static final String SEQ_HEADER = "X-Cohort-Seq";

  private static final Logger LOG = LoggerFactory.getLogger(KvRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Cohort cohort;
  private final CohortSettings settings;

  /** The routes over the tables of {@code cohort}, a node of the cluster {@code settings} describe. */
  public KvRoutes(Cohort cohort, CohortSettings settings) {
    this.cohort = cohort;
    this.settings = settings;
  }

  /** The routes. */
  public Route route() {
    return concat(
        path("tables", () -> get(() -> complete(json(StatusCodes.OK, tables())))),
        pathPrefix("kv", () -> pathPrefix(segment(), table -> path(segment(), key -> concat(
            put(() -> optionalHeaderValueByName("If-Match", ifMatch -> extractMaterializer(materializer ->
                extractRequestEntity(entity -> completeWithFuture(onPut(table, key, ifMatch, entity, materializer)))))),
            get(() -> parameterOptional("consistency", consistency ->
                completeWithFuture(onGet(table, key, consistency)))),
            delete(() -> completeWithFuture(onDelete(table, key))))))));
  }

  private KvJson.Tables tables() {
    var tables = new ArrayList<KvJson.Table>();
    cohort.tables().forEach((name, group) -> tables.add(new KvJson.Table(name, group,
        settings.partitionGroups().get(group).partitionCount(), cohort.keyValueTable(name).maxValueBytes())));
    return new KvJson.Tables(tables);
  }

  private CompletionStage<HttpResponse> onPut(String tableName, String key, Optional<String> ifMatch, HttpEntity entity,
      Materializer materializer) {
    KeyValueTable table;
    OptionalLong expected;
    try {
      table = cohort.keyValueTable(tableName);
      expected = expectedVersion(ifMatch);
    } catch (RuntimeException e) {
      entity.discardBytes(materializer);
      return CompletableFuture.completedFuture(error(e));
    }
    int max = table.maxValueBytes();
    OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > max) {
      entity.discardBytes(materializer); // refused before reading a byte of it
      return CompletableFuture.completedFuture(error(new CohortException.TooLarge(declared.getAsLong(), max)));
    }
    // Our own limit replaces the server's: the table's maximum is what a value may be.
    return PlainStage.of(entity.withoutSizeLimit().getDataBytes()
            .runFold(ByteString.emptyByteString(), (body, chunk) -> append(body, chunk, max), materializer))
        .thenCompose(body -> {
          byte[] value = body.toArray();
          CompletionStage<KvWrite> write = expected.isPresent()
              ? table.compareAndSet(key, expected.getAsLong(), value)
              : table.put(key, value);
          return write.thenApply(w -> json(StatusCodes.OK, new KvJson.Written(w.version(), w.seq(),
              w.partition().toString())).addHeader(etag(w.version())));
        })
        .exceptionally(this::error);
  }

  private static ByteString append(ByteString body, ByteString chunk, int max) {
    long size = (long) body.size() + chunk.size();
    if (size > max) {
      throw new CohortException.TooLarge(size, max);
    }
    return body.concat(chunk);
  }

  private CompletionStage<HttpResponse> onGet(String tableName, String key, Optional<String> consistencyParam) {
    try {
      KeyValueTable table = cohort.keyValueTable(tableName);
      ReadConsistency consistency = consistency(consistencyParam);
      return table.get(key, consistency)
          .thenApply(found -> found.map(KvRoutes::valueResponse).orElseGet(() -> json(StatusCodes.NOT_FOUND,
              new KvJson.Error("not-found", "no key '" + key + "' in table '" + tableName + "'"))))
          .exceptionally(this::error);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(error(e));
    }
  }

  private static HttpResponse valueResponse(KvValue value) {
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(ContentTypes.APPLICATION_OCTET_STREAM, value.value())
        .addHeader(etag(value.version()))
        .addHeader(RawHeader.create(SEQ_HEADER, Long.toString(value.seq())));
  }

  private CompletionStage<HttpResponse> onDelete(String tableName, String key) {
    try {
      return cohort.keyValueTable(tableName).delete(key)
          .thenApply(w -> json(StatusCodes.OK, new KvJson.Deleted(w.seq(), w.partition().toString())))
          .exceptionally(this::error);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(error(e));
    }
  }

  /** The version an {@code If-Match} header names: {@code "5"}, {@code W/"5"} or a bare {@code 5}. */
  static OptionalLong expectedVersion(Optional<String> ifMatch) {
    if (ifMatch.isEmpty()) {
      return OptionalLong.empty();
    }
    String tag = ifMatch.get().trim();
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    try {
      return OptionalLong.of(Long.parseLong(tag));
    } catch (NumberFormatException e) {
      throw new BadRequest("If-Match must name one version, such as If-Match: \"5\"; got " + ifMatch.get());
    }
  }

  /** The consistency the {@code consistency} parameter asks for. */
  static ReadConsistency consistency(Optional<String> parameter) {
    if (parameter.isEmpty() || parameter.get().equals("linearizable")) {
      return ReadConsistency.LINEARIZABLE;
    }
    if (parameter.get().equals("replica")) {
      return ReadConsistency.ANY_REPLICA;
    }
    throw new BadRequest("consistency must be linearizable or replica; got " + parameter.get());
  }

  /** The HTTP status of an error code. */
  static StatusCode statusOf(String code) {
    switch (code) {
      case "quorum-lost":
      case "partition-unavailable":
      case "not-active":
        return StatusCodes.SERVICE_UNAVAILABLE;
      case "too-large":
        return StatusCodes.CONTENT_TOO_LARGE;
      case "unknown-table":
      case "not-found":
        return StatusCodes.NOT_FOUND;
      case "version-conflict":
        return StatusCodes.PRECONDITION_FAILED;
      case "overloaded":
        return StatusCodes.TOO_MANY_REQUESTS;
      case "timeout":
        return StatusCodes.GATEWAY_TIMEOUT;
      case "bad-request":
        return StatusCodes.BAD_REQUEST;
      default:
        return StatusCodes.INTERNAL_SERVER_ERROR;
    }
  }

  private HttpResponse error(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CohortException.VersionConflict conflict) {
      return json(statusOf(conflict.code()), new KvJson.Conflict(conflict.code(), conflict.getMessage(),
          conflict.expected(), conflict.current().orElse(null)));
    }
    if (cause instanceof CohortException refusal) {
      return json(statusOf(refusal.code()), new KvJson.Error(refusal.code(), refusal.getMessage()));
    }
    if (cause instanceof BadRequest || cause instanceof IllegalArgumentException) {
      return json(StatusCodes.BAD_REQUEST, new KvJson.Error("bad-request", cause.getMessage()));
    }
    LOG.error("key-value request failed unexpectedly", cause);
    return json(StatusCodes.INTERNAL_SERVER_ERROR, new KvJson.Error("internal", String.valueOf(cause)));
  }

  private static ETag etag(long version) {
    return ETag.create(EntityTag.create(Long.toString(version), false));
  }

  private static HttpResponse json(StatusCode status, Object document) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(document));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + document + " as JSON", e);
    }
  }

  /** A request this API cannot read; answered 400 {@code bad-request}. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }
}
