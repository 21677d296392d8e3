package dev.cohort.testkit.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pruned search must agree with the definition: on small random histories, valid or not, it
 * finds a linearization exactly when trying every order and every subset of unknown operations
 * does.
 */
@Timeout(60)
class WglSearchTest {
  private static final String[] VALUES = {"a", "b"};

  @Test
  void theSearchAgreesWithTryingEveryOrderOnSmallRandomHistories() {
    var random = new Random(1);
    int linearizable = 0;
    int histories = 5_000;
    for (int i = 0; i < histories; i++) {
      List<WglSearch.Call> calls = randomHistory(random, 2 + random.nextInt(7));
      RegisterModel model = RegisterModel.of(calls);
      boolean expected = bruteForce(model, calls, new boolean[calls.size()], RegisterState.INITIAL);
      WglSearch.Found<RegisterState> found = WglSearch.run(model, calls, 1_000_000);
      assertEquals(expected, found instanceof WglSearch.Linearizable, () -> "history:\n" + describe(calls));
      linearizable += expected ? 1 : 0;
    }
    int valid = linearizable;
    assertTrue(valid > histories / 10 && valid < histories * 9 / 10, () -> "both kinds are exercised: " + valid);
  }

  /** Operations with random times, inputs and results, some unknown; mostly not linearizable. */
  private static List<WglSearch.Call> randomHistory(Random random, int size) {
    var calls = new ArrayList<WglSearch.Call>();
    for (int i = 0; i < size; i++) {
      long invoked = random.nextInt(20);
      long completed = invoked + random.nextInt(8);
      String value = VALUES[random.nextInt(VALUES.length)];
      long version = 1 + random.nextInt(4);
      Op op;
      Result result;
      switch (random.nextInt(4)) {
        case 0 -> {
          op = Op.read("k");
          result = random.nextInt(5) == 0 ? Result.absent() : Result.value(value, version);
        }
        case 1 -> {
          op = Op.write("k", value);
          result = Result.written(version);
        }
        case 2 -> {
          op = Op.cas("k", version, value);
          result = Result.written(version + 1 + random.nextInt(2));
        }
        default -> {
          op = Op.delete("k");
          result = Result.done();
        }
      }
      boolean unknown = random.nextInt(3) == 0 && !(op instanceof Op.Read);
      Outcome outcome = unknown ? new Outcome.Unknown("timeout") : new Outcome.Ok(result);
      var operation = new Operation(i, i, "n", op, invoked, completed, outcome);
      calls.add(new WglSearch.Call(operation, unknown ? null : result));
    }
    return calls;
  }

  /**
   * Linearizability by its definition: some order of all definite operations and some of the
   * unknown ones, each after every definite operation that completed before it was invoked.
   */
  private static boolean bruteForce(
      RegisterModel model, List<WglSearch.Call> calls, boolean[] taken, RegisterState state) {
    boolean allDefiniteTaken = true;
    for (int i = 0; i < calls.size(); i++) {
      allDefiniteTaken &= taken[i] || calls.get(i).result() == null;
    }
    if (allDefiniteTaken) {
      return true;
    }
    for (int i = 0; i < calls.size(); i++) {
      if (taken[i] || !mayGoNext(calls, taken, i)) {
        continue;
      }
      RegisterState after = model.step(state, calls.get(i).op(), calls.get(i).result());
      if (after != null) {
        taken[i] = true;
        boolean found = bruteForce(model, calls, taken, after);
        taken[i] = false;
        if (found) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean mayGoNext(List<WglSearch.Call> calls, boolean[] taken, int candidate) {
    for (int j = 0; j < calls.size(); j++) {
      boolean definite = calls.get(j).result() != null;
      if (!taken[j] && definite && calls.get(j).op().completedAt() < calls.get(candidate).op().invokedAt()) {
        return false;
      }
    }
    return true;
  }

  private static String describe(List<WglSearch.Call> calls) {
    var out = new StringBuilder();
    calls.forEach(c -> out.append(c.op().format(0)).append('\n'));
    return out.toString();
  }
}
