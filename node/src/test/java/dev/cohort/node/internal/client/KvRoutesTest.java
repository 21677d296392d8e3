package dev.cohort.node.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.api.ReadConsistency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The HTTP contract's pure parts: headers and parameters read, error codes to statuses. */
class KvRoutesTest {

  @Test
  void everyStableErrorCodeHasItsStatus() {
    Map<String, Integer> expected = Map.of(
        "quorum-lost", 503, "partition-unavailable", 503, "too-large", 413, "unknown-table", 404,
        "version-conflict", 412, "overloaded", 429, "timeout", 504, "not-found", 404, "bad-request", 400,
        "internal", 500);
    expected.forEach((code, status) -> assertEquals(status, KvRoutes.statusOf(code).intValue(), code));
  }

  @Test
  void ifMatchNamesOneVersion_quotedWeakOrBare() {
    assertEquals(OptionalLong.empty(), KvRoutes.expectedVersion(Optional.empty()));
    assertEquals(OptionalLong.of(5), KvRoutes.expectedVersion(Optional.of("\"5\"")));
    assertEquals(OptionalLong.of(5), KvRoutes.expectedVersion(Optional.of("W/\"5\"")));
    assertEquals(OptionalLong.of(12), KvRoutes.expectedVersion(Optional.of(" 12 ")));
  }

  @Test
  void anIfMatchThatIsNotOneVersionIsABadRequest() {
    for (String header : List.of("*", "\"a\"", "\"1\", \"2\"", "")) {
      var error = assertThrows(RuntimeException.class, () -> KvRoutes.expectedVersion(Optional.of(header)), header);
      assertEquals(400, KvRoutes.statusOf("bad-request").intValue());
      assertEquals("If-Match must name one version, such as If-Match: \"5\"; got " + header, error.getMessage());
    }
  }

  @Test
  void consistencyIsLinearizableUnlessReplicaIsAsked() {
    assertEquals(ReadConsistency.LINEARIZABLE, KvRoutes.consistency(Optional.empty()));
    assertEquals(ReadConsistency.LINEARIZABLE, KvRoutes.consistency(Optional.of("linearizable")));
    assertEquals(ReadConsistency.ANY_REPLICA, KvRoutes.consistency(Optional.of("replica")));
    assertThrows(RuntimeException.class, () -> KvRoutes.consistency(Optional.of("eventual")));
  }
}
