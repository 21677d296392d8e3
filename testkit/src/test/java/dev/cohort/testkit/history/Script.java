package dev.cohort.testkit.history;

import java.util.List;

/**
 * Hand-made histories for the checker specifications: every recorded event is 1 ms after the
 * previous one, so the order of the calls in a test is the order of events in time.
 */
final class Script {
  private long now;
  private final History history = History.withClock(() -> now += 1_000_000);

  Invocation read(int process, String key) {
    return history.invoke(process, "n" + process, Op.read(key));
  }

  Invocation write(int process, String key, String value) {
    return history.invoke(process, "n" + process, Op.write(key, value));
  }

  Invocation cas(int process, String key, long expectedVersion, String value) {
    return history.invoke(process, "n" + process, Op.cas(key, expectedVersion, value));
  }

  Invocation delete(int process, String key) {
    return history.invoke(process, "n" + process, Op.delete(key));
  }

  Invocation transfer(int process, String from, String to, long amount) {
    return history.invoke(process, "n" + process, Op.transfer(from, to, amount));
  }

  Invocation readAll(int process) {
    return history.invoke(process, "n" + process, Op.readAll());
  }

  /** A write by {@code process} that completes at once, giving {@code version}. */
  void written(int process, String key, String value, long version) {
    write(process, key, value).ok(Result.written(version));
  }

  /** A read by {@code process} that completes at once, finding {@code value} at {@code version}. */
  void readSees(int process, String key, String value, long version) {
    read(process, key).ok(Result.value(value, version));
  }

  List<Operation> operations() {
    return history.snapshot();
  }
}
