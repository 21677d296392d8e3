package dev.cohort.testkit.history;

import static dev.cohort.testkit.history.Result.absent;
import static dev.cohort.testkit.history.Result.done;
import static dev.cohort.testkit.history.Result.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.testkit.history.CheckResult.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LinearizabilityCheckerTest {
  private final Script s = new Script();

  @Test
  void aSequentialHistoryIsLinearizable() {
    s.written(1, "x", "a", 1);
    s.readSees(2, "x", "a", 1);
    s.cas(1, "x", 1, "b").ok(written(2));
    s.readSees(2, "x", "b", 2);
    s.delete(1, "x").ok(done());
    s.read(2, "x").ok(absent());
    s.written(1, "x", "c", 7);
    s.readSees(2, "x", "c", 7);

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void aReadConcurrentWithAWriteMaySeeTheOldValue() {
    s.written(1, "x", "a", 1);
    var write = s.write(1, "x", "b");
    s.readSees(2, "x", "a", 1);
    write.ok(written(2));

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void aReadConcurrentWithAWriteMaySeeTheNewValue() {
    s.written(1, "x", "a", 1);
    var write = s.write(1, "x", "b");
    s.readSees(2, "x", "b", 2);
    write.ok(written(2));

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void aStaleReadAfterAnAcknowledgedWriteIsNotLinearizable() {
    s.written(1, "x", "a", 1);
    s.written(1, "x", "b", 2);
    s.readSees(2, "x", "a", 1);

    CheckResult result = assertVerdict(Verdict.INVALID, s.operations());
    assertTrue(result.report().contains("> #2 "), "the stale read is marked:\n" + result.report());
    assertTrue(result.report().contains("\"b\" v2"), "the state it should have seen is named:\n" + result.report());
  }

  @Test
  void aReadThatReturnsAValueNobodyWroteIsNotLinearizable() {
    s.written(1, "x", "a", 1);
    s.readSees(2, "x", "zzz", 1);

    assertVerdict(Verdict.INVALID, s.operations());
  }

  @Test
  void aReadThatReturnsAVersionNobodyWroteIsNotLinearizable() {
    s.written(1, "x", "a", 1);
    s.readSees(2, "x", "a", 5);

    assertVerdict(Verdict.INVALID, s.operations());
  }

  @Test
  void aCasThatSucceedsOnAWrongVersionIsNotLinearizable() {
    s.written(1, "x", "a", 1);
    s.written(1, "x", "b", 2);
    s.cas(2, "x", 1, "c").ok(written(3));

    CheckResult result = assertVerdict(Verdict.INVALID, s.operations());
    assertTrue(result.report().contains("cas x=\"c\" if v1"), result.report());
  }

  @Test
  void aCasRefusedForAVersionMismatchIsLeftOut() {
    s.written(1, "x", "a", 1);
    s.cas(2, "x", 7, "c").fail("version mismatch");
    s.readSees(2, "x", "a", 1);

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void aWriteMustGiveANewerVersion() {
    s.written(1, "x", "a", 5);
    s.written(1, "x", "b", 3);

    assertVerdict(Verdict.INVALID, s.operations());
  }

  @Test
  void anUnknownWriteThatLaterBecomesVisibleIsLinearizable() {
    s.written(1, "x", "a", 1);
    s.write(1, "x", "b").unknown("timeout");
    s.readSees(2, "x", "a", 1);
    s.readSees(2, "x", "a", 1);
    s.readSees(2, "x", "b", 2);

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void anUnknownWriteThatNeverShowsIsLinearizable() {
    s.written(1, "x", "a", 1);
    s.write(1, "x", "b").unknown("timeout");
    s.readSees(2, "x", "a", 1);
    s.written(2, "x", "c", 2);
    s.readSees(2, "x", "c", 2);

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void aWriteNeverCompletedMayTakeEffectLate() {
    s.written(1, "x", "a", 1);
    s.write(1, "x", "b"); // the client never hears back
    s.readSees(2, "x", "a", 1);
    s.readSees(2, "x", "b", 4);

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void anUnknownWriteCannotTakeEffectBeforeItsInvocation() {
    s.written(1, "x", "a", 1);
    s.readSees(2, "x", "b", 2);
    s.write(1, "x", "b").unknown("timeout");

    assertVerdict(Verdict.INVALID, s.operations());
  }

  @Test
  void anUnknownWriteTakesEffectAtMostOnce() {
    s.write(1, "x", "a").unknown("timeout");
    s.readSees(2, "x", "a", 1);
    s.written(2, "x", "b", 2);
    s.readSees(2, "x", "a", 1);

    assertVerdict(Verdict.INVALID, s.operations());
  }

  @Test
  void aCasOnTheVersionAReadSawOfAnUnknownWriteIsLinearizable() {
    s.write(1, "x", "a").unknown("timeout");
    s.readSees(2, "x", "a", 7);
    s.cas(2, "x", 7, "b").ok(written(8));
    s.readSees(1, "x", "b", 8);

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void anUnknownCasMayTakeEffectIfItsVersionMatches() {
    s.written(1, "x", "a", 1);
    s.cas(1, "x", 1, "b").unknown("connection lost");
    s.readSees(2, "x", "b", 2);

    assertVerdict(Verdict.VALID, s.operations());
  }

  @Test
  void anUnknownCasCannotTakeEffectOnAnotherVersion() {
    s.written(1, "x", "a", 1);
    s.written(1, "x", "c", 2);
    s.cas(1, "x", 1, "b").unknown("connection lost");
    s.readSees(2, "x", "b", 3);

    assertVerdict(Verdict.INVALID, s.operations());
  }

  @Test
  void versionsKeepGrowingAcrossADelete() {
    s.written(1, "x", "a", 5);
    s.delete(1, "x").ok(done());
    s.written(1, "x", "b", 2);

    assertVerdict(Verdict.INVALID, s.operations());
  }

  @Test
  void aFailedWriteThatBecomesVisibleIsNotLinearizable() {
    s.written(1, "x", "a", 1);
    s.write(1, "x", "b").fail("fenced");
    s.readSees(2, "x", "b", 2);

    CheckResult result = assertVerdict(Verdict.INVALID, s.operations());
    assertTrue(result.report().contains("fail: fenced"), "the failed write is shown:\n" + result.report());
  }

  @Test
  void theReportNamesTheBrokenKeyAndNotTheFineOne() {
    s.written(1, "fine", "a", 1);
    s.written(1, "broken", "a", 1);
    s.readSees(2, "fine", "a", 1);
    s.written(1, "broken", "b", 2);
    s.readSees(2, "broken", "a", 1);

    CheckResult result = assertVerdict(Verdict.INVALID, s.operations());
    assertTrue(result.report().contains("1 not linearizable: \"broken\""), result.report());
    assertTrue(result.report().contains("key \"broken\": not linearizable"), result.report());
    assertTrue(!result.report().contains("key \"fine\": not"), result.report());
  }

  @Test
  void theReportShowsTheShortestNonLinearizablePrefixTrimmedToTheCulprit() {
    s.written(1, "x", "a", 1);
    s.written(1, "x", "b", 2);
    s.readSees(2, "x", "a", 1); // #2: stale
    for (int i = 0; i < 20; i++) {
      s.written(1, "x", "c" + i, 3 + i);
    }

    String report = assertVerdict(Verdict.INVALID, s.operations()).report();
    assertTrue(report.contains("(3 of 23 operations)"), report);
    assertTrue(report.contains("#1 ") && report.contains("#2 "), report);
    assertTrue(!report.contains("#3 ") && !report.contains("c0"), "nothing after the culprit:\n" + report);
  }

  @Test
  void theShortestPrefixMayEndWithTheResultOfAWriteStillInFlight() {
    s.written(1, "x", "a", 1);
    var write = s.write(1, "x", "b");
    s.readSees(2, "x", "b", 2); // #2: fine while #1 might have given v2...
    write.ok(written(5)); // ...but it gave v5: #2 read a version nobody wrote

    String report = assertVerdict(Verdict.INVALID, s.operations()).report();
    assertTrue(report.contains("#2 p2 read x -> ok \"b\" v2 @n2 cannot take effect"), report);
    assertTrue(report.contains("ends with the completion of #1"), report);
  }

  @Test
  void aLargeRandomHistoryOfASequentialRegisterIsLinearizable() {
    List<Operation> history = RandomRegisterHistory.generate(42, 5, 5000, List.of("x"));

    long start = System.nanoTime();
    CheckResult result = LinearizabilityChecker.create().check(history);
    long millis = (System.nanoTime() - start) / 1_000_000;

    System.out.println("5000 ops on one key, 5 clients: " + millis + " ms; " + result.report());
    result.requireValid();
  }

  @Test
  void aRandomHistoryOverSeveralKeysIsLinearizable() {
    List<Operation> history = RandomRegisterHistory.generate(7, 8, 4000, List.of("a", "b", "c", "d"));

    LinearizabilityChecker.create().check(history).requireValid();
  }

  @Test
  void theSameHistoryWithOneReadCorruptedIsNotLinearizable() {
    List<Operation> history = RandomRegisterHistory.generate(42, 5, 5000, List.of("x"));
    RandomRegisterHistory.Corruption corrupted = RandomRegisterHistory.staleRead(history, 7);

    long start = System.nanoTime();
    CheckResult result = LinearizabilityChecker.create().check(corrupted.history());
    long millis = (System.nanoTime() - start) / 1_000_000;

    System.out.println("5000 ops with a stale read: " + millis + " ms; " + result);
    assertEquals(Verdict.INVALID, result.verdict(), result.report());
    assertTrue(result.report().contains("> #" + corrupted.read().index() + " "), "the stale read is marked:\n" + result);
  }

  @Test
  void aSearchBeyondItsBudgetIsUnknownRatherThanHanging() {
    List<Operation> history = RandomRegisterHistory.generate(3, 5, 500, List.of("x"));

    CheckResult result = LinearizabilityChecker.withBudget(20).check(history);

    assertEquals(Verdict.UNKNOWN, result.verdict(), result.report());
    assertTrue(result.report().contains("unknown: search budget exhausted"), result.report());
  }

  @Test
  void operationsOfOtherWorkloadsAreIgnored() {
    s.transfer(1, "a", "b", 5).ok(done());
    s.written(1, "x", "a", 1);

    assertVerdict(Verdict.VALID, s.operations());
  }

  private static CheckResult assertVerdict(Verdict expected, List<Operation> history) {
    CheckResult result = LinearizabilityChecker.create().check(history);
    assertEquals(expected, result.verdict(), result.toString());
    return result;
  }
}
