package dev.cohort.node.internal.cli;

import dev.cohort.node.internal.cli.DemoKvHttp.Versioned;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end of {@code cohort demo}: every acknowledged write must still be readable. Reads every key
 * the workload got an acknowledgement for (linearizable GET) from the surviving nodes and compares
 * with the acknowledged write of the highest version ({@link #staleness}).
 */
final class DemoCheck {
  /** Reads in flight at once. */
  private static final int WINDOW = 32;
  /** Each read may be retried this often, at the next node (a node answering "timeout", say). */
  private static final int ATTEMPTS = 5;
  private static final Duration BACKOFF = Duration.ofMillis(200);
  /** The whole check gives up after this long: every key is read a few times at most. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private DemoCheck() {}

  /**
   * The read-back of every acknowledged key.
   *
   * @param keys keys with an acknowledged write
   * @param readable keys whose read showed the acknowledged write or a newer one
   * @param problems the other keys, each with what was wrong, in key order
   */
  record Result(int keys, int readable, SortedMap<String, String> problems) {
    /** Whether writes were acknowledged and every one of them was read back. */
    boolean passed() {
      return keys > 0 && readable == keys && problems.isEmpty();
    }
  }

  /**
   * Null if {@code read} (null: the key was not found) shows the acknowledged write {@code acked}
   * (null: none) or a newer one: a higher version, or the same version with the same value. Else
   * what is wrong, for a person.
   */
  static String staleness(String key, Versioned acked, Versioned read) {
    if (acked == null) {
      return null;
    }
    if (read == null) {
      return String.format("%s: not found, but version %d (%s) was acknowledged", key, acked.version(),
          acked.value());
    }
    if (read.version() < acked.version()) {
      return String.format("%s: read version %d (%s), older than the acknowledged version %d (%s)", key,
          read.version(), read.value(), acked.version(), acked.value());
    }
    if (read.version() == acked.version() && !read.value().equals(acked.value())) {
      return String.format("%s: version %d holds %s, but the acknowledged write of that version was %s", key,
          read.version(), read.value(), acked.value());
    }
    return null;
  }

  /**
   * Reads every key of {@code acked} from the nodes {@code readFrom}, round-robin, {@value #WINDOW}
   * at a time; a read that fails is retried up to {@value #ATTEMPTS} times at the next node before
   * the key counts as unreadable.
   */
  static Result run(DemoKvHttp kv, SortedMap<String, Versioned> acked, List<String> readFrom, PrintStream out)
      throws InterruptedException {
    ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "demo-check-retries");
      thread.setDaemon(true);
      return thread;
    });
    try {
      var reads = new Reads(kv, readFrom, retries);
      int next = 0;
      for (Map.Entry<String, Versioned> key : acked.entrySet()) {
        reads.window.acquire();
        reads.read(key.getKey(), key.getValue(), readFrom.get(next++ % readFrom.size()), 1);
      }
      if (!reads.window.tryAcquire(WINDOW, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        out.printf("check: %d reads still unanswered after %d s%n", WINDOW - reads.window.availablePermits(),
            TIMEOUT.toSeconds());
      }
      return new Result(acked.size(), reads.readable.get(), new TreeMap<>(reads.problems));
    } finally {
      retries.shutdownNow();
    }
  }

  /** The reads of one check and what they found. */
  private static final class Reads {
    final DemoKvHttp kv;
    final List<String> readFrom;
    final ScheduledExecutorService retries;
    final Semaphore window = new Semaphore(WINDOW);
    final AtomicInteger readable = new AtomicInteger();
    final Map<String, String> problems = new ConcurrentSkipListMap<>();

    Reads(DemoKvHttp kv, List<String> readFrom, ScheduledExecutorService retries) {
      this.kv = kv;
      this.readFrom = readFrom;
      this.retries = retries;
    }

    /** Reads {@code key} at {@code node}; the outcome frees a slot of the window, a retry keeps it. */
    void read(String key, Versioned acked, String node, int attempt) {
      kv.get(node, key).whenComplete((response, failure) -> {
        String error = failure != null ? DemoKvHttp.failureKind(failure)
            : DemoKvHttp.answered(response) ? null : DemoKvHttp.errorCode(response);
        if (error != null && attempt < ATTEMPTS) {
          String other = readFrom.get((readFrom.indexOf(node) + 1) % readFrom.size());
          retries.schedule(() -> read(key, acked, other, attempt + 1), BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
          return;
        }
        String problem;
        try {
          problem = error != null
              ? String.format("%s: unreadable, %d reads failed, the last with %s (acknowledged: version %d, %s)", key,
                  attempt, error, acked.version(), acked.value())
              : staleness(key, acked, DemoKvHttp.found(response));
        } catch (RuntimeException e) {
          problem = key + ": an answer the check cannot read (" + e.getMessage() + ")";
        }
        if (problem == null) {
          readable.incrementAndGet();
        } else {
          problems.put(key, problem);
        }
        window.release();
      });
    }
  }
}
