package dev.cohort.testkit.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.testkit.NetworkFaults;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seeded schedules: replayable, bounded, one fault at a time, never more than a minority. */
class NemesisScheduleTest {
  private static final Set<String> FIVE = Set.of("a", "b", "c", "d", "e");
  private static final NemesisSchedule.Options TWO_MINUTES = NemesisSchedule.Options.of(Duration.ofMinutes(2), 12);

  @Test
  void theSameSeedGivesTheSameSchedule_andAnotherSeedAnother() {
    assertEquals(NemesisSchedule.random(7, FIVE, TWO_MINUTES), NemesisSchedule.random(7, FIVE, TWO_MINUTES));
    assertNotEquals(NemesisSchedule.random(7, FIVE, TWO_MINUTES).steps(), NemesisSchedule.random(8, FIVE, TWO_MINUTES).steps());
  }

  @Test
  void everyFaultIsFollowedByItsRemedy_beforeTheNextFault_andNoneStartsAfterTheLength() {
    for (long seed = 0; seed < 200; seed++) {
      List<NemesisSchedule.Step> steps = NemesisSchedule.random(seed, FIVE, TWO_MINUTES).steps();
      assertEquals(0, steps.size() % 2, "faults and remedies pair up, seed " + seed);
      assertTrue(steps.size() / 2 <= 12, "at most maxFaults faults, seed " + seed);
      for (int i = 0; i < steps.size(); i += 2) {
        Fault fault = steps.get(i).fault();
        Fault remedy = steps.get(i + 1).fault();
        assertTrue(steps.get(i).at().compareTo(Duration.ofMinutes(2)) <= 0, "seed " + seed + ": " + steps.get(i));
        assertTrue(steps.get(i).at().compareTo(steps.get(i + 1).at()) < 0, "seed " + seed);
        if (fault instanceof Fault.Crash crash) {
          assertEquals(new Fault.Restart(crash.node()), remedy);
        } else if (fault instanceof Fault.Pause pause) {
          assertEquals(new Fault.Resume(pause.node()), remedy);
        } else {
          assertEquals(new Fault.Heal(), remedy, "seed " + seed);
        }
      }
    }
  }

  @Test
  void aCutIsolatesAMinority_fromAllTheOthers() {
    for (long seed = 0; seed < 200; seed++) {
      for (NemesisSchedule.Step step : NemesisSchedule.random(seed, FIVE, TWO_MINUTES).steps()) {
        if (step.fault() instanceof Fault.Cut cut) {
          assertTrue(cut.side().size() <= 2, "a minority of five: " + cut);
          var all = new HashSet<>(cut.side());
          all.addAll(cut.otherSide());
          assertEquals(FIVE, all, "the sides cover every node: " + cut);
          assertTrue(cut.side().stream().noneMatch(cut.otherSide()::contains), "disjoint sides: " + cut);
        }
      }
    }
  }

  @Test
  void onlyTheChosenKindsOfFaultAppear() {
    var pausesOnly = TWO_MINUTES.withKinds(EnumSet.of(NemesisSchedule.Kind.PAUSE));
    for (long seed = 0; seed < 50; seed++) {
      assertTrue(NemesisSchedule.random(seed, FIVE, pausesOnly).steps().stream()
          .allMatch(s -> s.fault() instanceof Fault.Pause || s.fault() instanceof Fault.Resume));
    }
  }

  @Test
  void fewerThanThreeNodesAreRefused() {
    var error = assertThrows(IllegalArgumentException.class, () -> NemesisSchedule.random(1, Set.of("a", "b"), TWO_MINUTES));
    assertTrue(error.getMessage().contains("at least 3 nodes"), error.getMessage());
  }

  @Test
  void describeNamesTheSeedAndEveryStep() {
    NemesisSchedule schedule = NemesisSchedule.random(42, FIVE,
        TWO_MINUTES.withKinds(EnumSet.of(NemesisSchedule.Kind.ONE_WAY_CUT)));
    String text = schedule.describe();
    assertTrue(text.startsWith("nemesis seed 42 (" + schedule.faultCount() + " faults)"), text);
    assertTrue(text.contains(" -x-> "), text);
    assertEquals(schedule.steps().size() + 1, text.lines().count());
    assertTrue(schedule.steps().stream().filter(s -> s.fault() instanceof Fault.Cut)
        .allMatch(s -> ((Fault.Cut) s.fault()).direction() == NetworkFaults.Direction.ONE_WAY));
  }
}
