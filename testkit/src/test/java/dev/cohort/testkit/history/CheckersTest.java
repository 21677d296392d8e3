package dev.cohort.testkit.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.testkit.history.CheckResult.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CheckersTest {
  private static final Checker VALID = history -> CheckResult.valid("a", "fine");
  private static final Checker UNKNOWN = history -> CheckResult.unknown("b", "undecided");
  private static final Checker INVALID = history -> CheckResult.invalid("c", "broken");

  @Test
  void anInvalidResultOutweighsUnknownAndValidOnes() {
    CheckResult result = Checkers.all(VALID, UNKNOWN, INVALID).check(List.of());

    assertEquals(Verdict.INVALID, result.verdict());
    assertEquals("a + b + c", result.checker());
    assertTrue(result.report().contains("undecided") && result.report().contains("broken"), result.report());
  }

  @Test
  void anUnknownResultOutweighsValidOnes() {
    assertEquals(Verdict.UNKNOWN, Checkers.all(VALID, UNKNOWN).check(List.of()).verdict());
    assertEquals(Verdict.VALID, Checkers.all(VALID, VALID).check(List.of()).verdict());
  }

  @Test
  void theRegisterCheckersCatchALostWriteTwice() {
    var s = new Script();
    s.written(1, "x", "a", 1);
    s.written(1, "x", "b", 2);
    s.readSees(2, "x", "a", 1);

    CheckResult result = Checkers.register().check(s.operations());

    assertEquals(Verdict.INVALID, result.verdict());
    assertTrue(result.report().contains("lost writes: INVALID"), result.report());
    assertTrue(result.report().contains("linearizability: INVALID"), result.report());
  }

  @Test
  void requireValidFailsWithTheReport() {
    AssertionError error = assertThrows(AssertionError.class, () -> INVALID.check(List.of()).requireValid());

    assertTrue(error.getMessage().contains("broken"), error.getMessage());
  }
}
