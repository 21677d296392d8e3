package dev.cohort.testkit.nemesis;

import dev.cohort.testkit.NetworkFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A seeded, bounded schedule of faults: the same seed, nodes and options give the same steps, so a
 * failing run can be replayed exactly. One fault at a time, each followed by its remedy; a fault
 * takes down or isolates only a minority of the nodes, so a majority can always act. Running the
 * schedule ends by healing, resuming and restarting everything ({@link Nemesis}).
 *
 * @param seed the seed the steps came from
 * @param steps the steps in time order
 */
public record NemesisSchedule(long seed, List<Step> steps) {

  /** The kinds of fault a schedule may contain. */
  public enum Kind {
    /** A minority node crashes, then restarts. */
    CRASH,
    /** A minority node pauses, then resumes. */
    PAUSE,
    /** A minority is cut off both ways, then healed. */
    CUT,
    /** Messages from a minority to the rest are lost, then healed. */
    ONE_WAY_CUT
  }

  /**
   * A step of the schedule.
   *
   * @param at when, from the start of the run
   * @param fault what happens
   */
  public record Step(Duration at, Fault fault) {
    @Override
    public String toString() {
      return String.format("%6.1fs  %s", at.toMillis() / 1000.0, fault);
    }
  }

  /**
   * What a random schedule may do.
   *
   * @param length how long the faults go on; no fault starts later than this
   * @param maxFaults the most faults in the schedule
   * @param minQuiet the shortest time between a remedy and the next fault
   * @param maxQuiet the longest time between a remedy and the next fault
   * @param minHold the shortest time a fault lasts
   * @param maxHold the longest time a fault lasts
   * @param kinds the kinds of fault to draw from
   */
  public record Options(
      Duration length, int maxFaults, Duration minQuiet, Duration maxQuiet, Duration minHold, Duration maxHold,
      Set<Kind> kinds) {
    public Options {
      if (maxFaults < 1 || kinds.isEmpty()) {
        throw new IllegalArgumentException("a schedule needs at least one fault and one kind of fault");
      }
      if (minQuiet.compareTo(maxQuiet) > 0 || minHold.compareTo(maxHold) > 0) {
        throw new IllegalArgumentException("a shortest time is longer than its longest time");
      }
      kinds = Set.copyOf(kinds);
    }

    /** Every kind of fault for {@code length}, at most {@code maxFaults}, each lasting 2-8 s with 1-4 s between. */
    public static Options of(Duration length, int maxFaults) {
      return new Options(length, maxFaults, Duration.ofSeconds(1), Duration.ofSeconds(4),
          Duration.ofSeconds(2), Duration.ofSeconds(8), EnumSet.allOf(Kind.class));
    }

    /** The same options with only {@code kinds} of fault. */
    public Options withKinds(Set<Kind> kinds) {
      return new Options(length, maxFaults, minQuiet, maxQuiet, minHold, maxHold, kinds);
    }
  }

  public NemesisSchedule {
    steps = List.copyOf(steps);
  }

  /** A random schedule over {@code nodes} (at least 3, so that a minority can fail). */
  public static NemesisSchedule random(long seed, Set<String> nodes, Options options) {
    List<String> names = new ArrayList<>(new TreeSet<>(nodes));
    if (names.size() < 3) {
      throw new IllegalArgumentException("a nemesis needs at least 3 nodes, so that a majority survives; got " + names);
    }
    var random = new SplittableRandom(seed);
    List<Kind> kinds = new ArrayList<>(new TreeSet<>(options.kinds()));
    int minority = (names.size() - 1) / 2;
    var steps = new ArrayList<Step>();
    long now = 0;
    long end = options.length().toMillis();
    for (int i = 0; i < options.maxFaults(); i++) {
      now += between(random, options.minQuiet(), options.maxQuiet());
      if (now > end) {
        break;
      }
      long hold = between(random, options.minHold(), options.maxHold());
      Kind kind = kinds.get(random.nextInt(kinds.size()));
      List<String> shuffled = shuffled(names, random.nextLong());
      String victim = shuffled.get(0);
      Set<String> isolated = new TreeSet<>(shuffled.subList(0, 1 + random.nextInt(minority)));
      Set<String> rest = names.stream().filter(n -> !isolated.contains(n)).collect(Collectors.toCollection(TreeSet::new));
      switch (kind) {
        case CRASH -> {
          steps.add(new Step(Duration.ofMillis(now), new Fault.Crash(victim)));
          steps.add(new Step(Duration.ofMillis(now + hold), new Fault.Restart(victim)));
        }
        case PAUSE -> {
          steps.add(new Step(Duration.ofMillis(now), new Fault.Pause(victim)));
          steps.add(new Step(Duration.ofMillis(now + hold), new Fault.Resume(victim)));
        }
        case CUT, ONE_WAY_CUT -> {
          var direction = kind == Kind.CUT ? NetworkFaults.Direction.BOTH_WAYS : NetworkFaults.Direction.ONE_WAY;
          steps.add(new Step(Duration.ofMillis(now), new Fault.Cut(isolated, rest, direction)));
          steps.add(new Step(Duration.ofMillis(now + hold), new Fault.Heal()));
        }
      }
      now += hold;
    }
    return new NemesisSchedule(seed, steps);
  }

  /** How many faults (not remedies) the schedule injects. */
  public int faultCount() {
    return (int) steps.stream()
        .filter(s -> s.fault() instanceof Fault.Crash || s.fault() instanceof Fault.Pause || s.fault() instanceof Fault.Cut)
        .count();
  }

  /** The schedule, one step a line, headed by its seed. */
  public String describe() {
    var text = new StringBuilder("nemesis seed " + seed + " (" + faultCount() + " faults)\n");
    steps.forEach(step -> text.append("  ").append(step).append('\n'));
    return text.toString();
  }

  private static long between(SplittableRandom random, Duration shortest, Duration longest) {
    long low = shortest.toMillis();
    long high = longest.toMillis();
    return high > low ? low + random.nextLong(high - low + 1) : low;
  }

  private static List<String> shuffled(List<String> names, long seed) {
    var copy = new ArrayList<>(names);
    Collections.shuffle(copy, new Random(seed));
    return copy;
  }
}
