package dev.cohort.testkit.history;

import static dev.cohort.testkit.history.Result.absent;
import static dev.cohort.testkit.history.Result.done;
import static dev.cohort.testkit.history.Result.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.testkit.history.CheckResult.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LostWritesCheckerTest {
  private final Script s = new Script();

  @Test
  void aFinalReadShowingTheLastAcknowledgedWriteIsValid() {
    s.written(1, "x", "a", 1);
    s.written(2, "x", "b", 2);
    s.readSees(3, "x", "b", 2);

    assertVerdict(Verdict.VALID);
  }

  @Test
  void aFinalReadShowingAnOlderValueLosesTheAcknowledgedWrite() {
    s.written(1, "x", "a", 1);
    s.written(2, "x", "b", 2);
    s.written(1, "y", "c", 1);
    s.readSees(3, "x", "a", 1);
    s.readSees(3, "y", "c", 1);

    String report = assertVerdict(Verdict.INVALID);
    assertTrue(report.contains("key \"x\": the final read #3 returned \"a\" v1, but #1 write x=\"b\" was acknowledged"
        + " (ok v2) at 3.000 ms"), report);
    assertTrue(!report.contains("key \"y\""), report);
  }

  @Test
  void aFinalReadShowingALaterWriteOfUnknownOutcomeIsValid() {
    s.written(1, "x", "a", 1);
    s.write(2, "x", "b").unknown("timeout");
    s.readSees(3, "x", "b", 2);

    assertVerdict(Verdict.VALID);
  }

  @Test
  void aFinalReadMaySeeAWriteConcurrentWithIt() {
    s.written(1, "x", "a", 1);
    var read = s.read(3, "x");
    s.written(2, "x", "b", 2);
    read.ok(Result.value("b", 2));

    assertVerdict(Verdict.VALID);
  }

  @Test
  void aFinalReadMaySeeEitherOfTwoConcurrentAcknowledgedWrites() {
    var first = s.write(1, "x", "a");
    var second = s.write(2, "x", "b");
    first.ok(written(1));
    second.ok(written(2));
    s.readSees(3, "x", "a", 1);

    assertVerdict(Verdict.VALID);
  }

  @Test
  void aKeyDeletedByAnAcknowledgedDeleteIsValid() {
    s.written(1, "x", "a", 1);
    s.delete(2, "x").ok(done());
    s.read(3, "x").ok(absent());

    assertVerdict(Verdict.VALID);
  }

  @Test
  void aKeyThatReappearsAfterAnAcknowledgedDeleteLostTheDelete() {
    s.written(1, "x", "a", 1);
    s.delete(2, "x").ok(done());
    s.readSees(3, "x", "a", 1);

    String report = assertVerdict(Verdict.INVALID);
    assertTrue(report.contains("#1 delete x was acknowledged"), report);
  }

  @Test
  void aFailedWriteIsNotExpectedToShow() {
    s.written(1, "x", "a", 1);
    s.write(2, "x", "b").fail("fenced");
    s.readSees(3, "x", "a", 1);

    assertVerdict(Verdict.VALID);
  }

  @Test
  void acknowledgedWritesWithoutAFinalReadAreUnchecked() {
    s.written(1, "x", "a", 1);

    String report = assertVerdict(Verdict.UNKNOWN);
    assertTrue(report.contains("key \"x\": 1 acknowledged writes but no successful read"), report);
  }

  private String assertVerdict(Verdict expected) {
    CheckResult result = LostWritesChecker.create().check(s.operations());
    assertEquals(expected, result.verdict(), result.toString());
    return result.report();
  }
}
