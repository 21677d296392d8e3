package dev.cohort.node;

import dev.cohort.api.ConfigurationException;
import dev.cohort.node.internal.cli.Arguments;
import dev.cohort.node.internal.cli.DemoCommand;
import dev.cohort.node.internal.cli.ForceCommand;
import dev.cohort.node.internal.cli.NodeCommand;
import dev.cohort.node.internal.cli.PlanCommand;
import dev.cohort.node.internal.cli.StatusCommand;
import dev.cohort.node.internal.cli.UsageException;
import java.util.Arrays;

/**
 * The {@code cohort} command: {@code node}, {@code plan}, {@code status}, {@code force} and {@code demo}.
 *
 * <p>Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 refused to join the cluster.
 */
public final class Main {
  /** Exit code for a command that failed while running. */
  public static final int FAILED = 1;
  /** Exit code for bad usage or a configuration that cannot work. */
  public static final int BAD_INPUT = 2;
  /** Exit code of a node whose membership the cluster refused (for example, a duplicate name). */
  public static final int REFUSED = 3;

  private static final String USAGE = """
      usage: cohort <command> [options]
        node   --config FILE                       start one node in the foreground
        plan   --config FILE [--nodes a,b,c] [--previous PLAN.json] [--json]
                                                   print the placement a configuration gives
        status [--http HOST:PORT]                  show a running node's cluster, quorum and partitions
        force  --partition GROUP#INDEX [--http HOST:PORT]
                                                   put a partition whose every in-sync copy is lost back
                                                   into service, empty (its lost data is given up)
        demo                                       start a local three-node cluster from conf/demo/, run a
                                                   key-value workload, kill -9 one node half-way and check
                                                   that every acknowledged write is still readable
      """;

  private Main() {}

  /** Runs a command and exits with its code. */
  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs a command and returns its exit code. */
  public static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? BAD_INPUT : 0;
    }
    try {
      Arguments arguments = Arguments.parse(Arrays.copyOfRange(args, 1, args.length));
      return switch (args[0]) {
        case "node" -> NodeCommand.run(arguments);
        case "plan" -> PlanCommand.run(arguments);
        case "status" -> StatusCommand.run(arguments);
        case "force" -> ForceCommand.run(arguments);
        case "demo" -> DemoCommand.run(arguments);
        default -> throw new UsageException("unknown command '" + args[0] + "'");
      };
    } catch (UsageException e) {
      System.err.println("cohort: " + e.getMessage());
      System.err.print(USAGE);
      return BAD_INPUT;
    } catch (ConfigurationException e) {
      System.err.println("cohort: configuration refused: " + e.getMessage());
      return BAD_INPUT;
    }
  }
}
