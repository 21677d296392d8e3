package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.NodeName;
import dev.cohort.node.CohortNode;
import dev.cohort.partitioning.PartitionTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The HTTP/JSON API every node serves, read from outside as an operator would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HttpApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private TestCluster cluster;
  private PartitionTable table;

  @BeforeAll
  void startCluster() {
    cluster = PartitionTableClusterTest.threeNodes();
    table = cluster.awaitTableAgreement();
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }

  @Test
  void healthIsOkOnANodeThatIsUpWithQuorum() throws Exception {
    CohortNode node = cluster.node("node-b");
    Await.until("node-b to see quorum", Duration.ofSeconds(10),
        () -> node.quorum().values().stream().allMatch(q -> q.present()));

    HttpResponse<String> response = get(node, "/health");

    assertEquals(200, response.statusCode(), response.body());
    JsonNode health = JSON.readTree(response.body());
    assertEquals("ok", health.get("status").asText());
    assertEquals("node-b", health.get("node").asText());
    assertEquals("Up", health.get("member").asText());
  }

  @Test
  void clusterListsEveryMemberWithItsLocationCodeAndTheCoordinator() throws Exception {
    JsonNode body = JSON.readTree(get(cluster.node("node-c"), "/cluster").body());

    assertEquals("node-c", body.get("self").asText());
    assertEquals("node-a", body.get("coordinator").asText(), "the oldest member runs the coordinator");
    assertEquals(3, body.get("members").size());
    for (JsonNode member : body.get("members")) {
      String name = member.get("name").asText();
      assertEquals(String.format("%016x", NodeName.of(name).locationCode()),
          member.get("locationCode").asText());
      assertEquals("Up", member.get("status").asText());
      assertTrue(member.get("reachable").asBoolean());
      assertEquals("ledger", member.get("groups").get(0).asText());
    }
    assertEquals("ledger", body.get("quorum").get(0).get("group").asText());
    assertEquals(2, body.get("quorum").get(0).get("needed").asInt());
  }

  @Test
  void partitionsShowTheTableTheNodeHolds() throws Exception {
    JsonNode body = JSON.readTree(get(cluster.node("node-a"), "/partitions").body());

    assertEquals(table.version(), body.get("version").asLong());
    assertEquals(table.partitions().size(), body.get("partitions").size());
    JsonNode first = body.get("partitions").get(0);
    var entry = table.partitions().get(0);
    assertEquals(entry.id().group(), first.get("group").asText());
    assertEquals(entry.placement().orElseThrow().active().value(), first.get("active").asText());
    assertEquals(entry.epoch().value(), first.get("epoch").asLong());
  }

  @Test
  void anUnknownPathIsNotFound() throws Exception {
    assertEquals(404, get(cluster.node("node-a"), "/no-such-thing").statusCode());
  }

  private HttpResponse<String> get(CohortNode node, String path) throws Exception {
    var address = node.httpAddress();
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
