package dev.cohort.node.internal.cli;

import dev.cohort.node.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a run of the {@code cohort} command printed, and its exit code. */
record CommandOutput(int exitCode, String out, String err) {

  /** Runs {@code cohort args...} in this JVM, capturing standard output and error. */
  static CommandOutput run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new CommandOutput(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
