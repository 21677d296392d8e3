package dev.cohort.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.node.http.TableJson.PartitionJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The wire format of the HTTP API, which the README documents: the records serialize to exactly
 * these field names (their helper methods add none) and read back equal.
 */
class HttpJsonTest {
  /** As the server writes them (HttpApi uses a plain ObjectMapper). */
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void healthHasTheDocumentedFields() throws Exception {
    var health = new HealthJson("node-a", "ok", "Up", 3);

    assertEquals(List.of("node", "status", "member", "tableVersion"), fieldsOf(health));
    assertEquals(health, JSON.readValue(JSON.writeValueAsString(health), HealthJson.class));
  }

  @Test
  void clusterHasTheDocumentedFields() throws Exception {
    var member = new MemberJson("node-a", "pekko://cohort@127.0.0.1:25521", "00000000000000ff", List.of("ledger"), "Up", true);
    var cluster = new ClusterJson("node-a", "node-a", List.of(member),
        List.of(new QuorumJson("ledger", List.of("node-a"), 1, true)));

    JsonNode tree = JSON.valueToTree(cluster);
    assertEquals(List.of("self", "coordinator", "members", "quorum"), names(tree));
    assertEquals(List.of("name", "address", "locationCode", "groups", "status", "reachable"), names(tree.get("members").get(0)));
    assertEquals(List.of("group", "seen", "needed", "present"), names(tree.get("quorum").get(0)));
    assertEquals(cluster, JSON.readValue(JSON.writeValueAsString(cluster), ClusterJson.class));
  }

  @Test
  void partitionsHaveTheDocumentedFields() throws Exception {
    var partition = new PartitionJson("accounts", 0, "node-a", List.of("node-b", "node-c"), List.of("node-a", "node-b"),
        null, 1, 42L, new TreeMap<>(Map.of("node-b", 42L, "node-c", 17L)),
        new TreeMap<>(Map.of("node-c", new TableJson.SnapshotJson(30, 2, 5))), new TableJson.ReceivedJson(80, 120, 4096));
    var table = new TableJson(2, List.of(partition), null, null);

    JsonNode tree = JSON.valueToTree(table);
    assertEquals(List.of("version", "partitions", "moves", "activeChanges"), names(tree));
    assertEquals(List.of("group", "index", "active", "replicas", "inSync", "target", "epoch", "committedSeq", "replicaSeqs",
        "replicaSnapshots", "received"), names(tree.get("partitions").get(0)));
    assertEquals(List.of("restoredSeq", "entries", "snapshotBytes"), names(tree.get("partitions").get(0).get("received")));
    assertEquals(List.of("seq", "chunk", "pairs"), names(tree.get("partitions").get(0).get("replicaSnapshots").get("node-c")));
    assertEquals(table, JSON.readValue(JSON.writeValueAsString(table), TableJson.class));
  }

  private static List<String> fieldsOf(Object value) {
    return names(JSON.valueToTree(value));
  }

  private static List<String> names(JsonNode node) {
    var names = new ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
