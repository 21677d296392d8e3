package dev.cohort.node.internal.cli;

import com.typesafe.config.Config;
import dev.cohort.node.CohortNode;
import dev.cohort.node.Main;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.CoordinatedShutdown;

/** {@code cohort node --config FILE}: runs one node in the foreground until it stops. */
public final class NodeCommand {
  private NodeCommand() {}

  /** Starts the node and waits for it to stop; returns the exit code. */
  public static int run(Arguments arguments) {
    Config config = arguments.configFile();
    arguments.requireAllUsed();
    CohortNode node;
    try {
      node = CohortNode.start(config);
    } catch (IllegalStateException e) {
      System.err.println("cohort: " + e.getMessage());
      return Main.FAILED;
    }
    System.out.printf("Cohort node %s started; HTTP API on http://%s:%d%n",
        node.name(), node.httpAddress().getHostString(), node.httpAddress().getPort());
    try {
      node.whenTerminated().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      System.err.println("cohort: node " + node.name() + " failed: " + e.getCause());
      return Main.FAILED;
    }
    var refusal = node.refusal();
    if (refusal.isPresent()) {
      System.err.println("cohort: refused to join: " + refusal.get());
      return Main.REFUSED;
    }
    var reason = CoordinatedShutdown.get(node.system()).getShutdownReason();
    boolean asked = reason.isEmpty()
        || reason.get() == CoordinatedShutdown.jvmExitReason()
        || reason.get() == CoordinatedShutdown.actorSystemTerminateReason();
    if (!asked) {
      // Downed by the cluster, refused at join, or unable to reach a seed node.
      System.err.println("cohort: node " + node.name() + " stopped: " + reason.get());
      return Main.FAILED;
    }
    return 0;
  }
}
