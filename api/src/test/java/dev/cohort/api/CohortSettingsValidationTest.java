package dev.cohort.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each configuration that cannot work is refused with one exception naming the full key, the problem and the fix. */
class CohortSettingsValidationTest {
  /** Three ledger nodes, one of them also in web, and an audit node. */
  static final String ROSTER = """
      cohort.nodes {
        node-a { groups = [ledger, web] }
        node-b { groups = [ledger] }
        node-c { groups = [ledger] }
        node-d { groups = [audit] }
      }
      cohort.clusters.main { node-groups = [ledger] }
      cohort.clusters.front { node-groups = [web] }
      """;

  static ConfigurationException assertRefused(String hocon, String key, String... fragments) {
    ConfigurationException e = assertThrows(
        ConfigurationException.class, () -> CohortSettings.fromConfig(ConfigFactory.parseString(hocon)));
    return assertNames(e, key, fragments);
  }

  static ConfigurationException assertNames(ConfigurationException e, String key, String... fragments) {
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }
    return e;
  }

  @Nested
  class SelfName {
    private final CohortSettings settings = CohortSettings.fromConfig(ConfigFactory.parseString(ROSTER));

    private ConfigurationException refused(String hocon) {
      return assertThrows(ConfigurationException.class, () -> settings.selfName(ConfigFactory.parseString(hocon)));
    }

    @Test
    void missingNameSaysToSetItAndListsTheRoster() {
      assertNames(refused(""), "cohort.node.name", "not set", "[node-a, node-b, node-c, node-d]");
    }

    @Test
    void emptyNameIsMissing() {
      assertNames(refused("cohort.node.name = \"  \""), "cohort.node.name", "not set", "[node-a, node-b");
    }

    @Test
    void malformedName() {
      assertNames(refused("cohort.node.name = \"node a\""), "cohort.node.name", "invalid node name 'node a'",
          "letters, digits");
    }

    @Test
    void nameNotInRoster() {
      assertNames(refused("cohort.node.name = node-x"), "cohort.node.name",
          "node node-x is not in the roster [node-a, node-b, node-c, node-d]", "add node-x under cohort.nodes");
    }

    @Test
    void nameOfWrongType() {
      assertNames(refused("cohort.node.name = [node-a]"), "cohort.node.name", "expected a string, got a list");
    }

    @Test
    void groupsUnderNodeAreRefusedBecauseTheRosterIsTheOnlySource() {
      assertRefused(ROSTER + "cohort.node.groups = [ledger]", "cohort.node.groups",
          "come from its roster entry only", "cohort.nodes.<name>.groups");
    }
  }

  @Nested
  class Roster {
    @Test
    void emptyRoster() {
      assertRefused("cohort.nodes {}", "cohort.nodes", "no nodes configured", "groups = [ledger]");
    }

    @Test
    void cohortSectionOfWrongType() {
      assertRefused("cohort = 5", "cohort", "expected an object, got a number (5)");
    }

    @Test
    void rosterOfWrongType() {
      assertRefused("cohort.nodes = [node-a]", "cohort.nodes", "expected an object, got a list");
    }

    @Test
    void nodeWithoutGroups() {
      assertRefused("cohort.nodes.node-a { zone = z1 }", "cohort.nodes.node-a.groups",
          "node node-a has no node groups", "groups = [ledger]");
    }

    @Test
    void nodeWithEmptyGroups() {
      assertRefused("cohort.nodes.node-a { groups = [] }", "cohort.nodes.node-a.groups", "has no node groups");
    }

    @Test
    void malformedNodeNameAsKey() {
      assertRefused("cohort.nodes { \"node a\" { groups = [ledger] } }", "cohort.nodes.\"node a\"",
          "rename this roster entry", "invalid node name 'node a'");
    }

    @Test
    void unquotedDottedNodeName() {
      assertRefused("cohort.nodes { db.1 { groups = [ledger] } }", "cohort.nodes.db.1",
          "quote it: \"db.1\" { groups = [...] }");
    }

    @Test
    void rosterEntryOfWrongType() {
      assertRefused("cohort.nodes.node-a = 3", "cohort.nodes.node-a", "expected an object, got a number (3)");
    }

    @Test
    void groupsOfWrongType() {
      assertRefused("cohort.nodes.node-a { groups = ledger }", "cohort.nodes.node-a.groups",
          "expected a list of strings, got a string", "groups = [ledger]");
    }

    @Test
    void malformedGroupName() {
      assertRefused("cohort.nodes.node-a { groups = [\"led ger\"] }", "cohort.nodes.node-a.groups",
          "'led ger' is not a valid node group name");
    }

    @Test
    void misspelledKeyInRosterEntry() {
      assertRefused("cohort.nodes.node-a { group = [ledger] }", "cohort.nodes.node-a.group",
          "unknown key in a roster node", "[groups, zone]");
    }

    @Test
    void blankZone() {
      assertRefused("cohort.nodes.node-a { groups = [ledger], zone = \"\" }", "cohort.nodes.node-a.zone", "is empty");
    }
  }

  @Nested
  class Clusters {
    @Test
    void unknownNodeGroupListsTheKnownOnes() {
      assertRefused(ROSTER + "cohort.clusters.main { node-groups = [ledgr] }", "cohort.clusters.main.node-groups",
          "unknown node group 'ledgr'", "[audit, ledger, web]");
    }

    @Test
    void clusterWithoutNodeGroups() {
      assertRefused(ROSTER + "cohort.clusters.back = {}", "cohort.clusters.back.node-groups",
          "cluster back has no node groups", "node-groups = [audit]");
    }

    @Test
    void clusterWithEmptyNodeGroups() {
      assertRefused(ROSTER + "cohort.clusters.main { node-groups = [] }", "cohort.clusters.main.node-groups",
          "has no node groups");
    }

    @Test
    void misspelledKeyInCluster() {
      assertRefused(ROSTER + "cohort.clusters.main { groups = [ledger] }", "cohort.clusters.main.groups",
          "unknown key in a cluster", "[node-groups]");
    }
  }

  @Nested
  class DynamicGroups {
    @Test
    void unknownClusterListsTheKnownOnes() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { cluster = mian }",
          "cohort.partition-groups.accounts.cluster", "unknown cluster 'mian'", "[front, main]");
    }

    @Test
    void unknownClusterWhenNoneIsConfigured() {
      assertRefused("""
          cohort.nodes.node-a { groups = [ledger] }
          cohort.partition-groups.accounts { cluster = main }
          """, "cohort.partition-groups.accounts.cluster", "no clusters are configured");
    }

    @Test
    void missingCluster() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { partitions = 8 }",
          "cohort.partition-groups.accounts.cluster", "needs the cluster", "[front, main]");
    }

    @Test
    void partitionsBelowOne() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { cluster = main, partitions = 0 }",
          "cohort.partition-groups.accounts.partitions", "must be at least 1, got 0");
    }

    @Test
    void partitionsOfWrongTypeNamesTheExpectedType() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { cluster = main, partitions = \"many\" }",
          "cohort.partition-groups.accounts.partitions", "expected a whole number, got a string (\"many\")",
          "partitions = 271");
    }

    @Test
    void fractionalPartitions() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { cluster = main, partitions = 2.5 }",
          "cohort.partition-groups.accounts.partitions", "expected a whole number, got a number (2.5)");
    }

    @Test
    void negativeReplicas() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { cluster = main, replicas = -1 }",
          "cohort.partition-groups.accounts.replicas", "must be 0", "got -1");
    }

    @Test
    void asManyReplicasAsNodesSaysHowManyWhichAndTheMaximum() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { cluster = main, replicas = 3 }",
          "cohort.partition-groups.accounts.replicas", "3 replicas need 4 nodes",
          "cluster main has 3 roster nodes that can host them: [node-a, node-b, node-c]",
          "set replicas to at most 2");
    }

    @Test
    void inheritedReplicasTooHighForAOneNodeCluster() {
      assertRefused(ROSTER + "cohort.partition-groups.sessions { cluster = front }",
          "cohort.partition-groups.sessions.replicas",
          "1 replica (inherited from cohort.partition-group-defaults.replicas) need 2 nodes",
          "1 roster node that can host them: [node-a]", "at most 0");
    }

    @Test
    void aListOfPartitionsIsForStaticGroups() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { cluster = main, partitions = [ { active = node-a } ] }",
          "cohort.partition-groups.accounts.partitions", "a list of placements is for type = static");
    }

    @Test
    void misspelledKeyInGroup() {
      assertRefused(ROSTER + "cohort.partition-groups.accounts { cluster = main, replica = 2 }",
          "cohort.partition-groups.accounts.replica", "unknown key in a dynamic partition group",
          "[cluster, mapper, partitions, replicas, type]");
    }

    @Test
    void badDefaultIsReportedAtTheDefaultsKey() {
      assertRefused(ROSTER + "cohort.partition-group-defaults.partitions = lots",
          "cohort.partition-group-defaults.partitions", "expected a whole number");
    }

    @Test
    void malformedGroupName() {
      assertRefused(ROSTER + "cohort.partition-groups { \"acc ounts\" { cluster = main } }",
          "cohort.partition-groups.\"acc ounts\"", "not a valid partition group name");
    }
  }

  @Nested
  class StaticGroups {
    private static final String AUDIT = "cohort.partition-groups.audit";

    @Test
    void emptyPartitionList() {
      assertRefused(ROSTER + AUDIT + " { type = static, partitions = [] }", AUDIT + ".partitions",
          "static partition group audit has no partitions", "active = node-a");
    }

    @Test
    void partitionCountInsteadOfList() {
      assertRefused(ROSTER + AUDIT + " { type = static }", AUDIT + ".partitions",
          "static partition group audit must list its partitions");
    }

    @Test
    void nodeListedTwiceNamesThePartitionIndex() {
      assertRefused(ROSTER + AUDIT + """
           {
            type = static
            partitions = [ { active = node-a, replicas = [node-b] }, { active = node-b, replicas = [node-c, node-b] } ]
          }
          """, AUDIT + ".partitions", "partition 1", "lists node node-b more than once");
    }

    @Test
    void activeRepeatedAsReplica() {
      assertRefused(ROSTER + AUDIT + " { type = static, partitions = [ { active = node-a, replicas = [node-a] } ] }",
          AUDIT + ".partitions", "partition 0", "lists node node-a more than once");
    }

    @Test
    void unknownNodeInPartition() {
      assertRefused(ROSTER + AUDIT + " { type = static, partitions = [ { active = node-a, replicas = [node-x] } ] }",
          AUDIT + ".partitions", "partition 0", "names node node-x, which is not in the roster",
          "[node-a, node-b, node-c, node-d]");
    }

    @Test
    void malformedNodeInPartition() {
      assertRefused(ROSTER + AUDIT + " { type = static, partitions = [ { active = \"node a\" } ] }",
          AUDIT + ".partitions", "partition 0", "invalid node name 'node a'");
    }

    @Test
    void partitionWithoutActive() {
      assertRefused(ROSTER + AUDIT + " { type = static, partitions = [ { replicas = [node-a] } ] }",
          AUDIT + ".partitions", "partition 0 (list position 0) has no active node");
    }

    @Test
    void replicasCountOnAStaticGroup() {
      assertRefused(ROSTER + AUDIT + " { type = static, replicas = 2, partitions = [ { active = node-a } ] }",
          AUDIT + ".replicas", "lists the replicas of each partition");
    }

    @Test
    void clusterOnAStaticGroup() {
      assertRefused(ROSTER + AUDIT + " { type = static, cluster = main, partitions = [ { active = node-a } ] }",
          AUDIT + ".cluster", "spreads over no cluster");
    }
  }

  @Nested
  class TypesAndMappers {
    private static final String GROUP = "cohort.partition-groups.audit";

    private String staticGroupWithMapper(String mapper) {
      return ROSTER + GROUP + " { type = static, partitions = [ { active = node-a } ], mapper = " + mapper + " }";
    }

    @Test
    void unknownPartitionGroupType() {
      assertRefused(ROSTER + GROUP + " { type = dynamc }", GROUP + ".type",
          "unknown partition group type 'dynamc'", "[dynamic, static]");
    }

    @Test
    void unknownMapperTypeListsTheKnownOnes() {
      assertRefused(staticGroupWithMapper("modulo"), GROUP + ".mapper", "unknown mapper type 'modulo'",
          "[consistent-hash, round-robin, hash-by-field, custom]");
    }

    @Test
    void unknownMapperTypeInObject() {
      assertRefused(staticGroupWithMapper("{ type = modulo }"), GROUP + ".mapper.type", "unknown mapper type 'modulo'");
    }

    @Test
    void mapperObjectWithoutType() {
      assertRefused(staticGroupWithMapper("{ field = merchantId }"), GROUP + ".mapper.type", "the mapper has no type");
    }

    @Test
    void mapperOfWrongType() {
      assertRefused(staticGroupWithMapper("[consistent-hash]"), GROUP + ".mapper",
          "expected a mapper type or an object with a type, got a list");
    }

    @Test
    void hashByFieldWithoutField() {
      assertRefused(staticGroupWithMapper("hash-by-field"), GROUP + ".mapper.field",
          "needs the field to hash", "field = merchantId");
    }

    @Test
    void hashByFieldObjectWithoutField() {
      assertRefused(staticGroupWithMapper("{ type = hash-by-field }"), GROUP + ".mapper.field", "needs the field");
    }

    @Test
    void fieldOnAMapperThatReadsNone() {
      assertRefused(staticGroupWithMapper("{ type = round-robin, field = x }"), GROUP + ".mapper.field",
          "unknown key in a round-robin mapper");
    }

    @Test
    void customMapperWithoutClass() {
      var e = assertRefused(staticGroupWithMapper("custom"), GROUP + ".mapper.class");
      assertEquals(GROUP + ".mapper.class: a custom mapper needs the name of a class implementing"
          + " dev.cohort.api.PartitionMapper: mapper { type = custom, class = \"com.example.MyMapper\" }", e.getMessage());
    }

    @Test
    void customMapperClassOfWrongType() {
      assertRefused(staticGroupWithMapper("{ type = custom, class = [com.example.MyMapper] }"), GROUP + ".mapper.class",
          "expected a string, got a list");
    }

    /** Each refusal of the class check, at the class's key: the settings add the key, never their own words. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.cohort.api.CustomMapperClassTest#refusals")
    void customMapperClassIsRefusedWithTheClassChecksSentence(CustomMapperClassTest.Refusal refusal) {
      Config config = ConfigFactory.parseString(staticGroupWithMapper("{ type = custom }"))
          .withValue(GROUP + ".mapper.class", ConfigValueFactory.fromAnyRef(refusal.className()));
      var e = assertThrows(
          ConfigurationException.class, () -> CohortSettings.fromConfig(config, CustomMapperClassTest.LOADER));
      assertEquals(GROUP + ".mapper.class", e.key());
      assertEquals(GROUP + ".mapper.class: " + refusal.problem(), e.getMessage());
    }

    @Test
    void aClassNameIsTrimmedAsOtherStringSettingsAre() {
      Config config = ConfigFactory.parseString(staticGroupWithMapper("{ type = custom }"))
          .withValue(GROUP + ".mapper.class", ConfigValueFactory.fromAnyRef(" dev.cohort.api.TestMappers$NoArgs "));
      var mapper = CohortSettings.fromConfig(config).partitionGroups().get("audit").mapper();
      assertEquals("dev.cohort.api.TestMappers$NoArgs", ((MapperSpec.Custom) mapper).className());
    }

    @Test
    void badDefaultMapperIsReportedAtTheDefaultsKey() {
      assertRefused(ROSTER + "cohort.partition-group-defaults.mapper = modulo",
          "cohort.partition-group-defaults.mapper", "unknown mapper type 'modulo'");
    }
  }
}
