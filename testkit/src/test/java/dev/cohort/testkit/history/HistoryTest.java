package dev.cohort.testkit.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HistoryTest {
  @Test
  void concurrentRecordingFromSeveralThreadsKeepsEveryOperation() throws Exception {
    int threads = 8;
    int perThread = 2_000;
    History history = History.create();
    var start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      var done = new ArrayList<Future<?>>();
      for (int t = 0; t < threads; t++) {
        int process = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            history.invoke(process, "node", Op.write("k" + process, "v" + i)).ok(Result.written(i));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    List<Operation> ops = history.snapshot();
    assertEquals(threads * perThread, ops.size());
    for (int i = 0; i < ops.size(); i++) {
      assertEquals(i, ops.get(i).index(), "indexes follow invocation order");
      assertTrue(ops.get(i).isOk());
      if (i > 0) {
        assertTrue(ops.get(i - 1).invokedAt() <= ops.get(i).invokedAt(), "times follow invocation order");
      }
    }
    for (int t = 0; t < threads; t++) {
      int process = t;
      List<Operation> own = ops.stream().filter(op -> op.process() == process).toList();
      assertEquals(perThread, own.size());
      for (int i = 0; i < perThread; i++) {
        assertEquals(Op.write("k" + process, "v" + i), own.get(i).op(), "each client's operations in its order");
      }
    }
  }

  @Test
  void operationsNeverCompletedCountAsUnknown() {
    History history = History.create();
    history.invoke(1, "node-a", Op.write("x", "a"));
    history.invoke(2, "node-b", Op.read("x")).ok(Result.absent());

    Operation pending = history.snapshot().get(0);
    assertTrue(pending.isUnknown());
    assertEquals(new Outcome.Unknown("never completed"), pending.outcome());
    assertEquals(Operation.NEVER, pending.completedAt());
    assertTrue(history.snapshot().get(1).isOk());
  }

  @Test
  void timesComeFromTheInjectedClock() {
    var clock = new AtomicLong(1_000);
    History history = History.withClock(clock::get);
    Invocation write = history.invoke(1, "node-a", Op.write("x", "a"));
    clock.set(5_000);
    write.unknown("timeout");

    Operation op = history.snapshot().get(0);
    assertEquals(1_000, op.invokedAt());
    assertEquals(5_000, op.completedAt());
    assertEquals(new Outcome.Unknown("timeout"), op.outcome());
  }

  @Test
  void aSnapshotDoesNotChangeWhenTheHistoryGoesOn() {
    History history = History.create();
    Invocation write = history.invoke(1, "node-a", Op.write("x", "a"));
    List<Operation> before = history.snapshot();
    write.ok(Result.written(1));

    assertTrue(before.get(0).isUnknown());
    assertTrue(history.snapshot().get(0).isOk());
  }

  @Test
  void aProcessHasAtMostOneOperationInFlight() {
    History history = History.create();
    Invocation first = history.invoke(1, "node-a", Op.write("x", "a"));

    assertThrows(IllegalStateException.class, () -> history.invoke(1, "node-a", Op.read("x")));
    first.unknown("timeout");
    history.invoke(1, "node-a", Op.read("x")); // after an unknown outcome the client may go on
  }

  @Test
  void anOperationCompletesOnce() {
    History history = History.create();
    Invocation write = history.invoke(1, "node-a", Op.write("x", "a"));
    write.ok(Result.written(1));

    assertThrows(IllegalStateException.class, () -> write.fail("late"));
  }

  @Test
  void aResultThatCannotAnswerTheOperationIsRefused() {
    History history = History.create();
    Invocation write = history.invoke(1, "node-a", Op.write("x", "a"));

    assertThrows(IllegalArgumentException.class, () -> write.ok(Result.absent()));
  }

  @Test
  void anOperationPrintsCompactly() {
    var clock = new AtomicLong(2_000_000);
    History history = History.withClock(() -> clock.getAndAdd(1_500_000));
    history.invoke(2, "node-a", Op.cas("x", 3, "b")).ok(Result.written(4));

    Operation op = history.snapshot().get(0);
    assertEquals("#0 p2 cas x=\"b\" if v3 -> ok v4 @node-a", op.toString());
    assertEquals("#0          1.000      2.500  p2    cas x=\"b\" if v3                ok v4"
        + "                    @node-a", op.format(1_000_000));
  }
}
