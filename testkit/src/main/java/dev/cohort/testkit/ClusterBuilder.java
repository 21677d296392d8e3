package dev.cohort.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import dev.cohort.api.NodeName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the builders of both test clusters declare: the nodes with their groups and zones, which
 * make the roster ({@code cohort.nodes}), and HOCON for every node or for one.
 *
 * @param <B> the concrete builder, returned by every method for chaining
 */
public abstract class ClusterBuilder<B extends ClusterBuilder<B>> {
  private final Map<String, String> rosterEntries = new LinkedHashMap<>();
  private final Map<String, List<String>> nodeOverrides = new LinkedHashMap<>();
  private final List<String> shared = new ArrayList<>();

  ClusterBuilder() {}

  /** Declares a node in {@code groups}. */
  public B node(String name, String... groups) {
    return declare(name, Optional.empty(), groups);
  }

  /** Declares a node in {@code groups} that runs in {@code zone}. */
  public B nodeInZone(String name, String zone, String... groups) {
    return declare(name, Optional.of(zone), groups);
  }

  /** HOCON every node runs with (clusters, partition groups, quorum, Pekko settings...). */
  public B config(String hocon) {
    shared.add(hocon);
    return self();
  }

  /** HOCON only node {@code name} runs with, over the shared configuration. */
  public B nodeConfig(String name, String hocon) {
    if (!rosterEntries.containsKey(name)) {
      throw new IllegalArgumentException("declare node " + name + " before configuring it");
    }
    nodeOverrides.get(name).add(hocon);
    return self();
  }

  /** This builder as its concrete type. */
  abstract B self();

  /** The declared nodes, in declaration order. */
  List<String> names() {
    if (rosterEntries.isEmpty()) {
      throw new IllegalStateException("a test cluster needs at least one node");
    }
    return List.copyOf(rosterEntries.keySet());
  }

  /**
   * What every node runs with: the shared HOCON, then {@code defaults} of the concrete cluster,
   * then the roster, then the test timings of {@code cohort-test.conf}.
   */
  Config base(Config defaults) {
    String roster = rosterEntries.entrySet().stream()
        .map(e -> ConfigUtil.joinPath("cohort", "nodes", e.getKey()) + " " + e.getValue())
        .collect(Collectors.joining("\n"));
    return parseAll(shared)
        .withFallback(defaults)
        .withFallback(ConfigFactory.parseString(roster))
        .withFallback(ConfigFactory.parseResources(ClusterBuilder.class.getClassLoader(), "cohort-test.conf"));
  }

  /** The HOCON only node {@code name} runs with. */
  Config overrides(String name) {
    return parseAll(nodeOverrides.getOrDefault(name, List.of()));
  }

  private B declare(String name, Optional<String> zone, String... groups) {
    NodeName.of(name);
    if (rosterEntries.containsKey(name)) {
      throw new IllegalArgumentException("node " + name + " is declared twice");
    }
    String groupList = Arrays.stream(groups).map(ConfigUtil::quoteString).collect(Collectors.joining(", "));
    rosterEntries.put(name, "{ groups = [" + groupList + "]"
        + zone.map(z -> ", zone = " + ConfigUtil.quoteString(z)).orElse("") + " }");
    nodeOverrides.put(name, new ArrayList<>());
    return self();
  }

  /** Earlier HOCON falls back to later: the last one given wins. */
  private static Config parseAll(List<String> hocon) {
    Config config = ConfigFactory.empty();
    for (String text : hocon) {
      config = ConfigFactory.parseString(text).withFallback(config);
    }
    return config;
  }
}
