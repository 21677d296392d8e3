package dev.cohort.partitioning;

import dev.cohort.api.ClusterScope;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.MapperSpec;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.api.NodeSpec;
import dev.cohort.api.PartitionGroupSettings;
import dev.cohort.api.Placement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Cluster shapes for the tests: nodes n01, n02, ... in node group "ledger" of cluster "main". */
final class Shapes {
  static final String GROUP = "accounts";
  static final String CLUSTER = "main";
  static final NodeGroup LEDGER = NodeGroup.of("ledger");

  private Shapes() {}

  static NodeName node(int number) {
    return NodeName.of(String.format("n%02d", number));
  }

  /** Nodes n01..n{count}. */
  static List<NodeName> nodes(int count) {
    var nodes = new ArrayList<NodeName>();
    for (int i = 1; i <= count; i++) {
      nodes.add(node(i));
    }
    return nodes;
  }

  /** Nodes by number, as a set. */
  static Set<NodeName> live(int... numbers) {
    return Arrays.stream(numbers).mapToObj(Shapes::node).collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * A roster of {@code nodeCount} nodes with one dynamic group {@link #GROUP}.
   *
   * @param zones 0 for no zones, else node i is in zone "z" + (i mod zones)
   */
  static CohortSettings dynamic(int nodeCount, int partitions, int replicas, int zones) {
    return settings(roster(nodeCount, zones),
        new PartitionGroupSettings.Dynamic(GROUP, CLUSTER, partitions, replicas, new MapperSpec.ConsistentHash()));
  }

  static CohortSettings dynamic(int nodeCount, int partitions, int replicas) {
    return dynamic(nodeCount, partitions, replicas, 0);
  }

  /** A roster of {@code nodeCount} nodes with one static group whose placements are given as node numbers. */
  static CohortSettings staticGroup(int nodeCount, int[]... placements) {
    List<Placement> configured = Arrays.stream(placements)
        .map(numbers -> Placement.of(Arrays.stream(numbers).mapToObj(Shapes::node).toList()))
        .toList();
    return settings(roster(nodeCount, 0), new PartitionGroupSettings.Static(GROUP, configured, new MapperSpec.RoundRobin()));
  }

  static List<NodeSpec> roster(int nodeCount, int zones) {
    var roster = new ArrayList<NodeSpec>();
    for (int i = 1; i <= nodeCount; i++) {
      Optional<String> zone = zones == 0 ? Optional.empty() : Optional.of("z" + (i % zones));
      roster.add(new NodeSpec(node(i), Set.of(LEDGER), zone));
    }
    return roster;
  }

  static CohortSettings settings(List<NodeSpec> roster, PartitionGroupSettings... groups) {
    Map<NodeName, NodeSpec> nodes = roster.stream().collect(Collectors.toMap(NodeSpec::name, Function.identity()));
    Map<String, PartitionGroupSettings> byName = new LinkedHashMap<>();
    for (PartitionGroupSettings group : groups) {
      byName.put(group.name(), group);
    }
    return new CohortSettings(nodes, Map.of(CLUSTER, new ClusterScope(CLUSTER, Set.of(LEDGER))), byName);
  }
}
