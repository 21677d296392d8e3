package dev.cohort.node.internal.cli;

import dev.cohort.node.Main;
import dev.cohort.node.http.ForceJson;
import dev.cohort.node.http.NodeHttpClient;
import java.io.IOException;

/**
 * {@code cohort force --partition GROUP#INDEX [--http HOST:PORT]}: the operator's way back for a
 * partition whose every in-sync copy is lost. It is placed afresh, empty, giving up whatever its
 * lost copies held; the coordinator logs the request. Refused for an available partition.
 */
public final class ForceCommand {
  private ForceCommand() {}

  /** Asks for the promotion; returns the exit code. */
  public static int run(Arguments arguments) {
    String partition = arguments.option("partition")
        .orElseThrow(() -> new UsageException("force needs --partition GROUP#INDEX, e.g. --partition accounts#3"));
    var client = new NodeHttpClient(arguments.option("http").orElse(StatusCommand.DEFAULT_HTTP));
    arguments.requireAllUsed();
    int hash = partition.lastIndexOf('#');
    int index;
    try {
      index = Integer.parseInt(partition.substring(hash + 1));
    } catch (NumberFormatException e) {
      index = -1;
    }
    if (hash <= 0 || index < 0) {
      throw new UsageException("--partition: '" + partition + "' is not GROUP#INDEX, e.g. accounts#3");
    }
    try {
      ForceJson answer = client.force(partition.substring(0, hash), index);
      System.out.println(answer.code() + ": " + answer.message());
      return answer.code().equals("requested") ? 0 : Main.FAILED;
    } catch (IOException e) {
      System.err.printf("cohort: cannot reach a Cohort node at %s (%s)%n", client.base(), e);
      return Main.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.FAILED;
    }
  }
}
