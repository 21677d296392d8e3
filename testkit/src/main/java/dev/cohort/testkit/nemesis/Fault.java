package dev.cohort.testkit.nemesis;

import dev.cohort.testkit.NetworkFaults;
import java.util.Set;
import java.util.TreeSet;

/** One step a nemesis takes against a cluster: a fault, or the remedy of one. */
public sealed interface Fault {

  /** The node crashes (no goodbye). */
  record Crash(String node) implements Fault {
    @Override
    public String toString() {
      return "crash " + node;
    }
  }

  /** A crashed node starts again with the same name. */
  record Restart(String node) implements Fault {
    @Override
    public String toString() {
      return "restart " + node;
    }
  }

  /** The node stops processing, as under a long GC pause. */
  record Pause(String node) implements Fault {
    @Override
    public String toString() {
      return "pause " + node;
    }
  }

  /** A paused node carries on. */
  record Resume(String node) implements Fault {
    @Override
    public String toString() {
      return "resume " + node;
    }
  }

  /**
   * The links between two sides are cut.
   *
   * @param side the first side
   * @param otherSide the second side
   * @param direction both ways, or only from the first side to the second
   */
  record Cut(Set<String> side, Set<String> otherSide, NetworkFaults.Direction direction) implements Fault {
    public Cut {
      side = Set.copyOf(side);
      otherSide = Set.copyOf(otherSide);
    }

    @Override
    public String toString() {
      String arrow = direction == NetworkFaults.Direction.BOTH_WAYS ? " | " : " -x-> ";
      return "cut " + new TreeSet<>(side) + arrow + new TreeSet<>(otherSide);
    }
  }

  /** Every cut is healed. */
  record Heal() implements Fault {
    @Override
    public String toString() {
      return "heal";
    }
  }
}
