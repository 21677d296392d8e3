package dev.cohort.testkit.history;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What a successful operation returned; which kinds fit which {@link Op} is said by {@link Op#accepts}. */
public sealed interface Result {
  /** A short printable form, e.g. {@code "a" v3}. */
  String describe();

  /** A read found the key holding {@code value} at {@code version}. */
  static Value value(String value, long version) {
    return new Value(value, version);
  }

  /** A read found no such key. */
  static Absent absent() {
    return Absent.INSTANCE;
  }

  /** A write or compare-and-set was applied and gave the key {@code version}. */
  static Written written(long version) {
    return new Written(version);
  }

  /** A delete or a transfer was applied. */
  static Done done() {
    return Done.INSTANCE;
  }

  /** A snapshot read of every account's balance. */
  static Balances balances(Map<String, Long> balances) {
    return new Balances(balances);
  }

  /** The value and version a read found: see {@link Result#value(String, long)}. */
  record Value(String value, long version) implements Result {
    /** @throws NullPointerException if {@code value} is null */
    public Value {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String describe() {
      return Text.quote(value) + " v" + version;
    }
  }

  /** What a read of a missing key returns: see {@link Result#absent()}. */
  enum Absent implements Result {
    /** The only instance. */
    INSTANCE;

    @Override
    public String describe() {
      return "absent";
    }
  }

  /** The version an applied write or CAS gave: see {@link Result#written(long)}. */
  record Written(long version) implements Result {
    @Override
    public String describe() {
      return "v" + version;
    }
  }

  /** An applied delete or transfer: see {@link Result#done()}. */
  enum Done implements Result {
    /** The only instance. */
    INSTANCE;

    @Override
    public String describe() {
      return "done";
    }
  }

  /**
   * Every account's balance in one snapshot: see {@link Result#balances(Map)}.
   *
   * @param balances every account's balance
   */
  record Balances(Map<String, Long> balances) implements Result {
    /** @throws NullPointerException if the map, an account or a balance is null */
    public Balances {
      balances = Map.copyOf(balances);
    }

    /** The sum of all balances. */
    public long total() {
      return balances.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String describe() {
      return new TreeMap<>(balances).toString();
    }
  }
}
