package dev.cohort.testkit.nemesis;

import dev.cohort.testkit.NetworkFaults;
import dev.cohort.testkit.NodeFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs a {@link NemesisSchedule} against a cluster, step by step at the scheduled times (a step
 * that takes long, such as a restart waiting for the old incarnation to be downed, delays the
 * ones after it). After each remedy it restarts any node that stopped by itself and waits until
 * all nodes agree again, so that only one fault strikes at a time; it always ends by healing every
 * cut, resuming every paused node and restarting every node that is not running, whatever
 * happened.
 */
public final class Nemesis {
  private static final int SETTLE_ATTEMPTS = 4;
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(45);

  private final NodeFaults nodes;
  private final NetworkFaults network;
  private final Consumer<String> log;

  /**
   * A nemesis for {@code nodes}; {@code network} may be null when the cluster cannot cut links (a
   * schedule with cuts then fails).
   *
   * @param log where each step is reported as it is taken
   */
  public Nemesis(NodeFaults nodes, NetworkFaults network, Consumer<String> log) {
    this.nodes = nodes;
    this.network = network;
    this.log = log;
  }

  /**
   * What a run did.
   *
   * @param schedule the schedule run
   * @param taken the steps taken, with the time each was actually taken
   * @param elapsed how long the run took, the final recovery included
   */
  public record Run(NemesisSchedule schedule, List<NemesisSchedule.Step> taken, Duration elapsed) {}

  /** Runs {@code schedule} and then recovers everything; returns what was done. */
  public Run run(NemesisSchedule schedule) {
    log.accept(schedule.describe().stripTrailing());
    long start = System.nanoTime();
    var taken = new ArrayList<NemesisSchedule.Step>();
    Set<String> paused = new TreeSet<>();
    try {
      long delay = 0; // time spent settling pushes the rest of the schedule back, keeping its gaps
      for (NemesisSchedule.Step step : schedule.steps()) {
        long due = start + step.at().toNanos() + delay;
        while (System.nanoTime() < due) {
          LockSupport.parkNanos(due - System.nanoTime());
        }
        Duration at = Duration.ofNanos(System.nanoTime() - start);
        log.accept(String.format("nemesis %6.1fs  %s", at.toMillis() / 1000.0, step.fault()));
        apply(step.fault(), paused);
        taken.add(new NemesisSchedule.Step(at, step.fault()));
        if (isRemedy(step.fault())) {
          long settling = System.nanoTime();
          settle(taken, start);
          delay += System.nanoTime() - settling;
        }
      }
    } finally {
      recover(paused, taken, start);
    }
    return new Run(schedule, taken, Duration.ofNanos(System.nanoTime() - start));
  }

  private void apply(Fault fault, Set<String> paused) {
    Set<String> running = nodes.runningNodes();
    if (fault instanceof Fault.Crash crash && running.contains(crash.node())) {
      paused.remove(crash.node());
      nodes.crash(crash.node());
    } else if (fault instanceof Fault.Restart restart && !running.contains(restart.node())) {
      nodes.restart(restart.node());
    } else if (fault instanceof Fault.Pause pause && running.contains(pause.node()) && paused.add(pause.node())) {
      nodes.pause(pause.node());
    } else if (fault instanceof Fault.Resume resume && paused.remove(resume.node()) && running.contains(resume.node())) {
      nodes.resume(resume.node());
    } else if (fault instanceof Fault.Cut cut) {
      // A node that has stopped (the resolver downed it) takes no part in a cut.
      Set<String> side = new TreeSet<>(cut.side());
      Set<String> otherSide = new TreeSet<>(cut.otherSide());
      side.retainAll(running);
      otherSide.retainAll(running);
      requireNetwork().cut(side, otherSide, cut.direction());
    } else if (fault instanceof Fault.Heal) {
      requireNetwork().healAll();
    }
  }

  /** Heals, resumes and restarts everything, so the cluster can be checked as a whole afterwards. */
  private void recover(Set<String> paused, List<NemesisSchedule.Step> taken, long start) {
    if (network != null) {
      record(new Fault.Heal(), taken, start);
      network.healAll();
    }
    for (String node : paused) {
      if (nodes.runningNodes().contains(node)) {
        record(new Fault.Resume(node), taken, start);
        nodes.resume(node);
      }
    }
    restartStopped(taken, start);
  }

  /**
   * Brings the cluster back to every node running and agreeing before the next fault: the Split
   * Brain Resolver may down a minority after its cut is healed, and two faults at once could take
   * a majority.
   */
  private void settle(List<NemesisSchedule.Step> taken, long start) {
    AssertionError last = null;
    for (int attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      restartStopped(taken, start);
      try {
        nodes.awaitAgreement(SETTLE_TIMEOUT);
        if (nodes.runningNodes().equals(nodes.declaredNodes())) {
          return;
        }
      } catch (AssertionError notYet) {
        last = notYet; // a node stopped meanwhile: restart it and wait again
      }
    }
    throw new AssertionError("the cluster did not settle after " + SETTLE_ATTEMPTS + " attempts", last);
  }

  private static boolean isRemedy(Fault fault) {
    return fault instanceof Fault.Restart || fault instanceof Fault.Resume || fault instanceof Fault.Heal;
  }

  /**
   * Restarts every node that is not running: a node the Split Brain Resolver downed (the minority
   * of a cut stops itself) stays down otherwise, and later faults could then take a majority.
   */
  private void restartStopped(List<NemesisSchedule.Step> taken, long start) {
    for (String node : new TreeSet<>(nodes.declaredNodes())) {
      if (!nodes.runningNodes().contains(node)) {
        record(new Fault.Restart(node), taken, start);
        nodes.restart(node);
      }
    }
  }

  private void record(Fault fault, List<NemesisSchedule.Step> taken, long start) {
    Duration at = Duration.ofNanos(System.nanoTime() - start);
    log.accept(String.format("nemesis %6.1fs  %s (recovery)", at.toMillis() / 1000.0, fault));
    taken.add(new NemesisSchedule.Step(at, fault));
  }

  private NetworkFaults requireNetwork() {
    if (network == null) {
      throw new IllegalStateException("this cluster cannot cut links; leave cuts out of the schedule");
    }
    return network;
  }
}
