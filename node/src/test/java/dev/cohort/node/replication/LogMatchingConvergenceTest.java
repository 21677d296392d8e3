package dev.cohort.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random replica logs that share a committed prefix with the active's and then diverge: driving
 * the replica with {@link ReplicaAppend} and the active with {@link Backtrack} always ends with the
 * replica holding exactly the active's log, without ever dropping a committed entry or one the active
 * also has.
 */
class LogMatchingConvergenceTest {

  private int gaps;
  private int conflicts;
  private int truncatingAppends;

  @Test
  void everyDivergentReplicaConvergesOnTheActivesLog() {
    for (long seed = 1; seed <= 500; seed++) {
      var random = new Random(seed);
      try {
        run(random);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
    // The cases must have exercised every way back to the active's log.
    assertTrue(gaps > 0 && conflicts > 0 && truncatingAppends > 0,
        "gaps " + gaps + ", conflicts " + conflicts + ", truncating appends " + truncatingAppends);
  }

  private void run(Random random) {
    // The committed prefix, then the active's own entries in even epochs and the replica's foreign
    // ones in odd epochs: an (epoch, seq) pair never means two different entries.
    int committed = random.nextInt(12);
    long epoch = 2;
    TestLog active = TestLog.of();
    for (int i = 0; i < committed; i++) {
      epoch += random.nextInt(4) == 0 ? 2 : 0;
      active.append(epoch);
    }
    TestLog replica = active.copy();
    long commonEpoch = epoch;
    long activeEpoch = commonEpoch;
    for (int i = random.nextInt(15); i > 0; i--) {
      activeEpoch += random.nextInt(4) == 0 ? 2 : 0;
      active.append(activeEpoch);
    }
    long foreignEpoch = commonEpoch + 1;
    for (int i = random.nextInt(15); i > 0; i--) {
      foreignEpoch += random.nextInt(4) == 0 ? 2 : 0;
      replica.append(foreignEpoch);
    }
    long messageEpoch = Math.max(activeEpoch, foreignEpoch) + 1;
    long promised = Math.max(commonEpoch, replica.lastSeq() > committed ? foreignEpoch : 0);
    long base = committed == 0 ? 0 : random.nextInt(committed + 1);
    if (base > 0) {
      TestLog compacted = TestLog.compacted(base, replica.epochAt(base));
      for (long seq = base + 1; seq <= replica.lastSeq(); seq++) {
        compacted.append(replica.epochAt(seq));
      }
      replica = compacted;
    }
    int batch = 1 + random.nextInt(5);
    long prevSeq = random.nextInt((int) active.lastSeq() + 1);

    // Then the active writes one entry of its own epoch, which must wipe out any foreign tail left.
    boolean wroteOwn = false;
    for (int round = 0; round < 200; round++) {
      AppendRequest message = active.message(messageEpoch, prevSeq, batch, committed);
      AppendDecision decision = ReplicaAppend.decide(promised, replica, message);
      if (decision instanceof AppendDecision.StaleEpoch) {
        fail("the current active was refused: " + decision);
      } else if (decision instanceof AppendDecision.Gap gap) {
        gaps++;
        promised = gap.promisedEpoch();
        assertTrue(gap.nextExpectedSeq() - 1 < prevSeq, "a gap moves back");
        prevSeq = gap.nextExpectedSeq() - 1;
      } else if (decision instanceof AppendDecision.Conflict conflict) {
        conflicts++;
        promised = conflict.promisedEpoch();
        assertJustified(conflict.truncateAfter(), committed, replica, active);
        replica.truncateAfter(conflict.truncateAfter());
        long next = Backtrack.nextPrevSeq(conflict, active);
        assertTrue(next < conflict.conflictSeq() && next >= 0, "backtracking moves back: " + next);
        prevSeq = next;
      } else {
        var append = (AppendDecision.Append) decision;
        promised = append.promisedEpoch();
        if (append.truncateAfter().isPresent()) {
          truncatingAppends++;
          assertJustified(append.truncateAfter().getAsLong(), committed, replica, active);
        }
        replica.apply(append, message);
        for (long seq = Math.max(1, replica.baseSeq()); seq <= append.ackSeq(); seq++) {
          assertEquals(active.epochAt(seq), replica.epochAt(seq), "acknowledged seq " + seq + " differs");
        }
        prevSeq = append.ackSeq();
        if (prevSeq == active.lastSeq()) {
          if (wroteOwn) {
            assertEquals(active.lastSeq(), replica.lastSeq(), "foreign tail left: " + replica + " vs " + active);
            return;
          }
          active.append(messageEpoch);
          wroteOwn = true;
        }
      }
    }
    fail("no convergence in 200 rounds: replica " + replica + ", active " + active);
  }

  /** Dropping everything after {@code truncateAfter} loses nothing committed or held by the active. */
  private static void assertJustified(long truncateAfter, long committed, TestLog replica, TestLog active) {
    assertTrue(truncateAfter >= committed, "a committed entry would be dropped: after " + truncateAfter);
    long first = truncateAfter + 1;
    if (first <= replica.lastSeq() && first <= active.lastSeq()) {
      assertNotEquals(active.epochAt(first), replica.epochAt(first), "an entry the active also has would be dropped");
    }
  }
}
