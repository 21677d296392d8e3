package dev.cohort.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Reads back loaded keys and checks each against the value {@link KeyValueScheme} gave it: found,
 * with the same bytes. A read that fails (an error, not an absent key) is not tried again: once the
 * cluster is settled, none should.
 */
final class SampleCheck {
  /** Reads in flight at once: enough to hide one read's latency, few enough to leave the nodes' CPU to them. */
  private static final int WINDOW = 16;
  /** How long the reads of one check may take in all; a few thousand reads take seconds. */
  private static final Duration LIMIT = Duration.ofSeconds(120);
  /** Keys of failed checks named in the result. */
  private static final int EXAMPLES = 5;

  /**
   * What one check found.
   *
   * @param reader whose reads, for people
   * @param checked the keys read
   * @param missing keys found absent
   * @param wrong keys found with other bytes than their value
   * @param failed reads that failed, by kind (the exception's simple class name)
   * @param examples some keys that were missing, wrong or failed, with what happened
   */
  record Result(String reader, int checked, int missing, int wrong, Map<String, Long> failed, List<String> examples) {
    /** Keys missing, wrong or whose read failed. */
    long failures() {
      return missing + wrong + failed.values().stream().mapToLong(Long::longValue).sum();
    }

    boolean passed() {
      return failures() == 0;
    }

    String describe() {
      if (passed()) {
        return String.format(Locale.ROOT, "%s: %,d keys read, every one found with its value", reader, checked);
      }
      return String.format(Locale.ROOT, "%s: %,d keys read; FAILED: %d missing, %d with a wrong value, %d reads "
          + "failed %s; e.g. %s", reader, checked, missing, wrong, failures() - missing - wrong, failed, examples);
    }
  }

  private final KeyValueScheme data;
  private final AtomicInteger missing = new AtomicInteger();
  private final AtomicInteger wrong = new AtomicInteger();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final Queue<String> examples = new ConcurrentLinkedQueue<>();

  private SampleCheck(KeyValueScheme data) {
    this.data = data;
  }

  /**
   * {@code count} distinct indexes drawn at random among {@code keys} (all of them if fewer), the
   * same ones for the same {@code seed}.
   */
  static int[] sample(int keys, int count, long seed) {
    return new SplittableRandom(seed).ints(0, keys).distinct().limit(Math.min(count, keys)).toArray();
  }

  /**
   * Reads the keys of {@code indexes} with {@code read} and checks each.
   *
   * @param reader whose reads, for the result
   * @param read one read of a key: the value found, empty if the key is absent; must not block
   * @throws IllegalStateException if the reads are not all answered within two minutes
   */
  static Result run(String reader, int[] indexes, Function<String, CompletionStage<Optional<byte[]>>> read,
      KeyValueScheme data) throws InterruptedException {
    var check = new SampleCheck(data);
    var slots = new Semaphore(WINDOW);
    long deadline = System.nanoTime() + LIMIT.toNanos();
    for (int index : indexes) {
      check.await(slots, 1, deadline, reader);
      String key = KeyValueScheme.key(index);
      CompletionStage<Optional<byte[]>> answer;
      try {
        answer = read.apply(key);
      } catch (RuntimeException e) {
        check.failed(key, e);
        slots.release();
        continue;
      }
      answer.whenComplete((found, error) -> {
        if (error == null) {
          check.found(key, found);
        } else {
          check.failed(key, error);
        }
        slots.release();
      });
    }
    check.await(slots, WINDOW, deadline, reader); // every read answered
    var byKind = new TreeMap<String, Long>();
    check.failed.forEach((kind, count) -> byKind.put(kind, count.sum()));
    return new Result(reader, indexes.length, check.missing.get(), check.wrong.get(), byKind,
        List.copyOf(check.examples));
  }

  private void await(Semaphore slots, int permits, long deadline, String reader) throws InterruptedException {
    if (!slots.tryAcquire(permits, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException(reader + ": reads still unanswered after " + LIMIT.toSeconds() + " s");
    }
  }

  private void found(String key, Optional<byte[]> value) {
    if (value.isEmpty()) {
      missing.incrementAndGet();
      example(key + " missing");
    } else if (!Arrays.equals(value.get(), data.valueOf(key))) {
      wrong.incrementAndGet();
      example(key + " has a " + value.get().length + "-byte value that is not the one written");
    }
  }

  private void failed(String key, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    failed.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
    example(key + " failed: " + cause);
  }

  private void example(String what) {
    if (examples.size() < EXAMPLES) { // a race may add one or two more: harmless
      examples.add(what);
    }
  }
}
