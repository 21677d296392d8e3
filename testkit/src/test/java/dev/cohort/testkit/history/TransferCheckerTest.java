package dev.cohort.testkit.history;

import static dev.cohort.testkit.history.Result.balances;
import static dev.cohort.testkit.history.Result.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.testkit.history.CheckResult.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TransferCheckerTest {
  private final Script s = new Script();
  private final TransferChecker checker = TransferChecker.withTotal(100);

  @Test
  void readsThatConserveTheTotalAreValid() {
    s.readAll(3).ok(balances(Map.of("a", 50L, "b", 50L)));
    var transfer = s.transfer(1, "a", "b", 10);
    s.readAll(3).ok(balances(Map.of("a", 40L, "b", 60L)));
    transfer.ok(done());
    s.transfer(2, "b", "a", 60).fail("insufficient funds");
    s.readAll(3).ok(balances(Map.of("a", 40L, "b", 60L)));

    assertVerdict(Verdict.VALID);
  }

  @Test
  void aReadWithAChangedTotalIsInvalid() {
    s.readAll(3).ok(balances(Map.of("a", 50L, "b", 50L)));
    s.transfer(1, "a", "b", 5).ok(done());
    var transfer = s.transfer(1, "a", "b", 10);
    s.readAll(3).ok(balances(Map.of("a", 35L, "b", 55L)));
    transfer.ok(done());

    String report = assertVerdict(Verdict.INVALID);
    assertTrue(report.contains("read-all #3 sums to 90 instead of 100; transfers concurrent with it: 1"), report);
    assertTrue(report.contains("transfer a->b 10"), "the concurrent transfer is shown:\n" + report);
    assertTrue(!report.contains("transfer a->b 5 "), "the earlier one is not:\n" + report);
  }

  @Test
  void aNegativeBalanceIsInvalid() {
    s.transfer(1, "a", "b", 70).ok(done());
    s.readAll(3).ok(balances(Map.of("a", -20L, "b", 120L)));

    String report = assertVerdict(Verdict.INVALID);
    assertTrue(report.contains("shows negative balances {a=-20}"), report);
  }

  @Test
  void transfersWithoutAnyReadAreUnchecked() {
    s.transfer(1, "a", "b", 10).ok(done());

    assertVerdict(Verdict.UNKNOWN);
  }

  private String assertVerdict(Verdict expected) {
    CheckResult result = checker.check(s.operations());
    assertEquals(expected, result.verdict(), result.toString());
    return result.report();
  }
}
