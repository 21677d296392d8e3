package dev.cohort.node.internal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import dev.cohort.node.CohortNode;
import dev.cohort.node.http.TableJson;
import dev.cohort.partitioning.PartitionTable;
import dev.cohort.partitioning.PlacementPlan;
import dev.cohort.partitioning.PlacementPlanner;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code cohort plan --config FILE [--nodes a,b,c] [--previous PLAN.json] [--json]}: the placement
 * a configuration gives for a set of live nodes (all roster nodes by default), optionally starting
 * from an earlier plan so that the moves of one membership change can be seen.
 */
public final class PlanCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanCommand() {}

  /** Prints the plan; returns the exit code. */
  public static int run(Arguments arguments) {
    CohortSettings settings = CohortSettings.fromConfig(CohortNode.loadConfig(arguments.configFile()));
    Set<NodeName> live = arguments.option("nodes").map(list -> liveNodes(list, settings))
        .orElseGet(() -> new TreeSet<>(settings.nodes().keySet()));
    PartitionTable previous = arguments.option("previous").map(PlanCommand::readPlan).orElse(PartitionTable.EMPTY);
    boolean json = arguments.flag("json");
    arguments.requireAllUsed();

    PlacementPlan plan = PlacementPlanner.plan(settings, live, previous);
    TableJson result = TableJson.planned(plan.table(), plan.moves(), plan.activeChanges());
    if (json) {
      try {
        System.out.println(JSON.writeValueAsString(result));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the plan as JSON", e);
      }
    } else {
      System.out.println("Live nodes: " + live);
      TablePrinter.printPartitions(result, System.out);
      System.out.println();
      TablePrinter.printNodeCounts(result, System.out);
      System.out.printf("%nTable version %d: %d partitions changed active, %d data moves, %d replica slots changed%n",
          plan.table().version(), plan.activeChanges(), plan.moves(), plan.replicaSlotChanges());
    }
    return 0;
  }

  private static Set<NodeName> liveNodes(String list, CohortSettings settings) {
    var live = new TreeSet<NodeName>();
    for (String name : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      NodeName node;
      try {
        node = NodeName.of(name);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--nodes: " + e.getMessage());
      }
      if (!settings.nodes().containsKey(node)) {
        throw new UsageException("--nodes: '" + name + "' is not in cohort.nodes " + settings.nodes().keySet());
      }
      live.add(node);
    }
    return live;
  }

  private static PartitionTable readPlan(String path) {
    try {
      return JSON.readValue(new File(path), TableJson.class).toTable();
    } catch (IOException | RuntimeException e) {
      throw new UsageException("--previous " + path + ": not a plan written by 'cohort plan --json' (" + e.getMessage() + ")");
    }
  }
}
