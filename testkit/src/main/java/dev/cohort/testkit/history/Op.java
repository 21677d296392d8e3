package dev.cohort.testkit.history;

import java.util.Objects;

/**
 * What a client asked for: the input of one operation, recorded at its invocation.
 *
 * <p>Two workloads are modelled. A <b>versioned register</b> per key ({@link Read}, {@link Write},
 * {@link Cas}, {@link Delete}), as in Cohort's record tables: every applied write or CAS gives the
 * key a new version, greater than any version the key ever had, even before a delete (a log
 * position is such a version); a compare-and-set applies only if the key exists at the expected
 * version; a read returns the value and its version. A key starts absent. A <b>bank</b> ({@link
 * Transfer}, {@link ReadAll}) whose total must never change.
 *
 * <p>Values and keys are strings so that histories print readably; encode richer values as text.
 */
public sealed interface Op {
  /** Whether {@code result} is a possible answer to this operation (e.g. a version for a write). */
  boolean accepts(Result result);

  /** A short printable form, e.g. {@code write x="a"}. */
  String describe();

  /** An operation on one key of a versioned register; registers of different keys are independent. */
  sealed interface RegisterOp extends Op permits Read, Write, Cas, Delete {
    /** The key this operation reads or writes. */
    String key();
  }

  /** Reads a key: answered by {@link Result#value(String, long)} or {@link Result#absent()}. */
  static Read read(String key) {
    return new Read(key);
  }

  /** Writes {@code value} whatever the current version: answered by {@link Result#written(long)}. */
  static Write write(String key, String value) {
    return new Write(key, value);
  }

  /**
   * Writes {@code value} only if the key exists at {@code expectedVersion}: answered by {@link
   * Result#written(long)}. A CAS refused for a version mismatch should be recorded as a failure.
   */
  static Cas cas(String key, long expectedVersion, String value) {
    return new Cas(key, expectedVersion, value);
  }

  /** Deletes a key (a no-op if it is absent): answered by {@link Result#done()}. */
  static Delete delete(String key) {
    return new Delete(key);
  }

  /** Moves {@code amount} from one account to another: answered by {@link Result#done()}. */
  static Transfer transfer(String from, String to, long amount) {
    return new Transfer(from, to, amount);
  }

  /** Reads every balance in one snapshot: answered by {@link Result#balances(java.util.Map)}. */
  static ReadAll readAll() {
    return new ReadAll();
  }

  /** A read of one key: see {@link Op#read(String)}. */
  record Read(String key) implements RegisterOp {
    /** @throws NullPointerException if {@code key} is null */
    public Read {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean accepts(Result result) {
      return result instanceof Result.Value || result instanceof Result.Absent;
    }

    @Override
    public String describe() {
      return "read " + key;
    }
  }

  /** An unconditional write of one key: see {@link Op#write(String, String)}. */
  record Write(String key, String value) implements RegisterOp {
    /** @throws NullPointerException if an argument is null */
    public Write {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean accepts(Result result) {
      return result instanceof Result.Written;
    }

    @Override
    public String describe() {
      return "write " + key + "=" + Text.quote(value);
    }
  }

  /** A compare-and-set on the version of one key: see {@link Op#cas(String, long, String)}. */
  record Cas(String key, long expectedVersion, String value) implements RegisterOp {
    /** @throws NullPointerException if {@code key} or {@code value} is null */
    public Cas {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean accepts(Result result) {
      return result instanceof Result.Written;
    }

    @Override
    public String describe() {
      return "cas " + key + "=" + Text.quote(value) + " if v" + expectedVersion;
    }
  }

  /** A delete of one key: see {@link Op#delete(String)}. */
  record Delete(String key) implements RegisterOp {
    /** @throws NullPointerException if {@code key} is null */
    public Delete {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean accepts(Result result) {
      return result instanceof Result.Done;
    }

    @Override
    public String describe() {
      return "delete " + key;
    }
  }

  /** A move of money between two accounts: see {@link Op#transfer(String, String, long)}. */
  record Transfer(String from, String to, long amount) implements Op {
    /** @throws NullPointerException if an account is null */
    public Transfer {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    @Override
    public boolean accepts(Result result) {
      return result instanceof Result.Done;
    }

    @Override
    public String describe() {
      return "transfer " + from + "->" + to + " " + amount;
    }
  }

  /** A snapshot read of every balance: see {@link Op#readAll()}. */
  record ReadAll() implements Op {
    @Override
    public boolean accepts(Result result) {
      return result instanceof Result.Balances;
    }

    @Override
    public String describe() {
      return "read-all";
    }
  }
}
