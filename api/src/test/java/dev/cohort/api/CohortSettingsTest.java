package dev.cohort.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Valid configurations and what they parse to. */
class CohortSettingsTest {
  static final String ROSTER = """
      cohort.nodes {
        node-c { groups = [ledger], zone = z2 }
        node-a { groups = [ledger, web], zone = z1 }
        node-b { groups = [ledger] }
        "db.1" { groups = [audit] }
      }
      """;

  static CohortSettings parse(String hocon) {
    return CohortSettings.fromConfig(ConfigFactory.parseString(hocon));
  }

  private static NodeName node(String name) {
    return NodeName.of(name);
  }

  private static NodeGroup group(String name) {
    return NodeGroup.of(name);
  }

  @Test
  void fullExampleParsesToTheExpectedRecords() {
    CohortSettings settings = parse(ROSTER + """
        cohort {
          node.name = node-a
          clusters {
            main { node-groups = [ledger] }
            edge { node-groups = [web, audit] }
          }
          partition-groups {
            accounts { type = dynamic, cluster = main, partitions = 64, replicas = 2, mapper = consistent-hash }
            audit {
              type = static
              mapper { type = hash-by-field, field = merchantId }
              partitions = [
                { active = node-a, replicas = [node-b, node-c] }
                { active = "db.1" }
              ]
            }
            orders { cluster = edge, mapper { type = round-robin } }
          }
        }
        """);

    assertEquals(
        List.of(node("db.1"), node("node-a"), node("node-b"), node("node-c")),
        List.copyOf(settings.nodes().keySet()),
        "roster in name order");
    assertEquals(
        new NodeSpec(node("node-a"), Set.of(group("ledger"), group("web")), Optional.of("z1")),
        settings.nodes().get(node("node-a")));
    assertEquals(
        new NodeSpec(node("node-b"), Set.of(group("ledger")), Optional.empty()),
        settings.nodes().get(node("node-b")));
    assertEquals(List.of(group("audit"), group("ledger"), group("web")), List.copyOf(settings.nodeGroups()));

    assertEquals(
        Map.of(
            "edge", new ClusterScope("edge", Set.of(group("web"), group("audit"))),
            "main", new ClusterScope("main", Set.of(group("ledger")))),
        settings.clusters());
    assertEquals(List.of("edge", "main"), List.copyOf(settings.clusters().keySet()));

    assertEquals(List.of("accounts", "audit", "orders"), List.copyOf(settings.partitionGroups().keySet()));
    assertEquals(
        new PartitionGroupSettings.Dynamic("accounts", "main", 64, 2, new MapperSpec.ConsistentHash()),
        settings.partitionGroups().get("accounts"));
    assertEquals(
        new PartitionGroupSettings.Static(
            "audit",
            List.of(
                new Placement(node("node-a"), List.of(node("node-b"), node("node-c"))),
                new Placement(node("db.1"), List.of())),
            new MapperSpec.HashByField("merchantId")),
        settings.partitionGroups().get("audit"));
    assertEquals(2, settings.partitionGroups().get("audit").partitionCount());
    assertEquals(
        new PartitionGroupSettings.Dynamic("orders", "edge", 271, 1, new MapperSpec.RoundRobin()),
        settings.partitionGroups().get("orders"),
        "type, partitions and replicas from the defaults");

    assertEquals(node("node-a"), settings.selfName(ConfigFactory.parseString(ROSTER + "cohort.node.name = node-a")));
  }

  @Test
  void partitionGroupDefaultsAreTheFallbackOfEveryGroup() {
    CohortSettings settings = parse(ROSTER + """
        cohort {
          clusters.main { node-groups = [ledger] }
          partition-group-defaults { partitions = 32, replicas = 2, cluster = main,
                                     mapper { type = hash-by-field, field = accountId } }
          partition-groups {
            inherits-all {}
            overrides { partitions = 8, replicas = 0, mapper = round-robin }
            placed { type = static, partitions = [ { active = node-b } ] }
          }
        }
        """);
    assertEquals(
        new PartitionGroupSettings.Dynamic("inherits-all", "main", 32, 2, new MapperSpec.HashByField("accountId")),
        settings.partitionGroups().get("inherits-all"));
    assertEquals(
        new PartitionGroupSettings.Dynamic("overrides", "main", 8, 0, new MapperSpec.RoundRobin()),
        settings.partitionGroups().get("overrides"));
    assertEquals(
        new PartitionGroupSettings.Static(
            "placed", List.of(new Placement(node("node-b"), List.of())), new MapperSpec.HashByField("accountId")),
        settings.partitionGroups().get("placed"),
        "a static group takes the default mapper and ignores the dynamic-only defaults");
  }

  @Test
  void referenceDefaultsApplyWhenNothingIsOverridden() {
    CohortSettings settings = parse(ROSTER + """
        cohort.clusters.main { node-groups = [ledger] }
        cohort.partition-groups.accounts { cluster = main }
        """);
    assertEquals(
        new PartitionGroupSettings.Dynamic("accounts", "main", 271, 1, new MapperSpec.ConsistentHash()),
        settings.partitionGroups().get("accounts"));
  }

  @Test
  void aGroupsMapperReplacesTheDefaultMapperWhole() {
    // the default's field must not leak into the group's custom mapper block
    CohortSettings settings = parse(ROSTER + """
        cohort.partition-group-defaults.mapper { type = hash-by-field, field = accountId }
        cohort.partition-groups.audit {
          type = static, partitions = [ { active = node-a } ]
          mapper { type = custom, class = "dev.cohort.api.TestMappers$WithConfig", buckets = 7 }
        }
        """);
    var mapper = assertInstanceOf(MapperSpec.Custom.class, settings.partitionGroups().get("audit").mapper());
    assertEquals("dev.cohort.api.TestMappers$WithConfig", mapper.className());
    assertEquals(7, mapper.config().getInt("buckets"));
    assertTrue(!mapper.config().hasPath("field"), "mapper config " + mapper.config());
  }

  @Test
  void customMappersWithEitherConstructorAreAcceptedWithoutBeingInitialized() {
    for (String type : List.of("WithConfig", "NoArgs", "ExplodesOnInit")) {
      CohortSettings settings = parse(ROSTER + """
          cohort.partition-groups.audit {
            type = static, partitions = [ { active = node-a } ]
            mapper { type = custom, class = "dev.cohort.api.TestMappers$%s" }
          }
          """.formatted(type));
      assertEquals("custom", settings.partitionGroups().get("audit").mapper().type(), type);
    }
  }

  @Test
  void nodeNamesAndCountsMayComeAsNumbersOrStrings() {
    // environment substitutions give strings; HOCON gives numbers for bare digits
    CohortSettings settings = parse("""
        cohort.nodes { "1" { groups = [ledger] }, "2" { groups = [ledger] } }
        cohort.clusters.main { node-groups = [ledger] }
        cohort.partition-groups.accounts { cluster = main, partitions = "16", replicas = 1 }
        cohort.partition-groups.audit { type = static, partitions = [ { active = 1, replicas = [2] } ] }
        """);
    assertEquals(16, settings.partitionGroups().get("accounts").partitionCount());
    assertEquals(
        List.of(new Placement(node("1"), List.of(node("2")))),
        ((PartitionGroupSettings.Static) settings.partitionGroups().get("audit")).partitions());
  }

  @Test
  void emptyPartitionGroupsAndClustersAreAllowed() {
    CohortSettings settings = parse(ROSTER);
    assertTrue(settings.clusters().isEmpty());
    assertTrue(settings.partitionGroups().isEmpty());
    assertEquals(4, settings.nodes().size());
  }

  @Test
  void settingsAreImmutable() {
    CohortSettings settings = parse(ROSTER);
    assertThrowsUnsupported(() -> settings.nodes().clear());
    assertThrowsUnsupported(() -> settings.clusters().put("x", new ClusterScope("x", Set.of())));
    assertThrowsUnsupported(() -> settings.nodes().get(node("node-a")).groups().clear());
  }

  private static void assertThrowsUnsupported(Runnable change) {
    assertThrows(UnsupportedOperationException.class, change::run);
  }
}
