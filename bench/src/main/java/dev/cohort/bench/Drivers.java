package dev.cohort.bench;

import java.io.PrintStream;

/** The common frame of both drivers: settings, start, workload, stop, exit code. */
final class Drivers {
  private Drivers() {}

  /** How a driver starts its system. */
  interface Starter {
    SystemUnderTest start(BenchSettings settings, Report report) throws Exception;
  }

  /**
   * Starts the system, runs the workload on it and stops it.
   *
   * @return the process exit code: 0 if every phase ran, 1 otherwise
   */
  static int run(String name, Starter starter) {
    PrintStream out = System.out;
    var report = new Report(name, out);
    BenchSettings settings = BenchSettings.fromSystemProperties();
    report.info("settings: %s", settings.describe());
    try (SystemUnderTest system = starter.start(settings, report)) {
      new Workload(system, settings, report).run();
      report.info("done; stopping the members");
    } catch (Exception | Error e) {
      report.info("FAILED: %s", e);
      e.printStackTrace(out);
      return 1;
    }
    return 0;
  }
}
