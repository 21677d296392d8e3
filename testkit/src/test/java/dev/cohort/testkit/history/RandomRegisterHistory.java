package dev.cohort.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Histories of a correct register under random concurrency, for the checkers to accept: clients
 * interleave invocations, effects and completions at random, and each operation takes effect on a
 * simulated sequential store at one instant between its invocation and completion. Some outcomes
 * are unknown (taking effect before, after or never), some operations never complete, and a CAS on
 * a stale version fails.
 */
final class RandomRegisterHistory {
  /** A history with one read made stale, and that read. */
  record Corruption(List<Operation> history, Operation read) {}

  private enum Fate { OK, UNKNOWN_APPLIED, UNKNOWN_NOT_APPLIED, UNKNOWN_APPLIED_LATE, NEVER_COMPLETED }

  private record Versioned(String value, long version) {}

  private final Random random;
  private final List<String> keys;
  private final Map<String, Versioned> store = new HashMap<>();
  private final List<Op> late = new ArrayList<>();
  private long nextVersion = 1;
  private int nextValue;
  private long now;
  private final History history = History.withClock(() -> now += 1_000);

  private final int unknownPercent;

  private RandomRegisterHistory(long seed, List<String> keys, int unknownPercent) {
    this.random = new Random(seed);
    this.keys = keys;
    this.unknownPercent = unknownPercent;
  }

  /** A history where one operation in ten has an unknown outcome. */
  static List<Operation> generate(long seed, int clients, int operations, List<String> keys) {
    return generate(seed, clients, operations, keys, 10);
  }

  /** A history where {@code unknownPercent} of the operations have an unknown outcome. */
  static List<Operation> generate(long seed, int clients, int operations, List<String> keys, int unknownPercent) {
    return new RandomRegisterHistory(seed, keys, unknownPercent).run(clients, operations);
  }

  /**
   * The same history with one read, chosen by {@code seed}, returning what an earlier write wrote
   * although a later acknowledged write completed in between: values are unique, so it is stale.
   */
  static Corruption staleRead(List<Operation> history, long seed) {
    var random = new Random(seed);
    int start = history.size() / 4 + random.nextInt(history.size() / 2);
    for (int i = start; i < history.size(); i++) {
      Operation read = history.get(i);
      if (!(read.op() instanceof Op.Read r && read.isOk() && read.result() instanceof Result.Value)) {
        continue;
      }
      Optional<Operation> newer = latestWrite(history, r.key(), read.invokedAt());
      Optional<Operation> older = newer.flatMap(w -> latestWrite(history, r.key(), w.invokedAt()));
      if (older.isPresent()) {
        Operation w = older.get();
        String value = w.op() instanceof Op.Write write ? write.value() : ((Op.Cas) w.op()).value();
        long version = ((Result.Written) w.result()).version();
        var stale = new Operation(read.index(), read.process(), read.node(), read.op(), read.invokedAt(),
            read.completedAt(), new Outcome.Ok(Result.value(value, version)));
        var corrupted = new ArrayList<>(history);
        corrupted.set(i, stale);
        return new Corruption(List.copyOf(corrupted), stale);
      }
    }
    throw new IllegalStateException("no read to corrupt");
  }

  /** The acknowledged write or CAS of {@code key} that completed last before {@code before}. */
  private static Optional<Operation> latestWrite(List<Operation> history, String key, long before) {
    return history.stream()
        .filter(op -> op.isOk() && op.completedAt() < before)
        .filter(op -> op.op() instanceof Op.Write w && w.key().equals(key) || op.op() instanceof Op.Cas c && c.key().equals(key))
        .max(Comparator.comparingLong(Operation::completedAt));
  }

  private final class Client {
    int process;
    /** The version this client last saw of each key: what a real client would CAS on. */
    final Map<String, Long> lastSeen = new HashMap<>();
    Invocation pending;
    Fate fate;
    boolean applied;
    Result result;

    Client(int process) {
      this.process = process;
    }
  }

  private List<Operation> run(int clientCount, int operations) {
    var clients = new ArrayList<Client>();
    for (int i = 0; i < clientCount; i++) {
      clients.add(new Client(i));
    }
    int invoked = 0;
    while (invoked < operations || clients.stream().anyMatch(c -> c.pending != null)) {
      if (!late.isEmpty() && random.nextInt(20) == 0) {
        apply(late.remove(random.nextInt(late.size())));
      }
      Client c = clients.get(random.nextInt(clientCount));
      if (c.pending == null) {
        if (invoked < operations) {
          invoke(c);
          invoked++;
        }
      } else if (!c.applied) {
        takeEffect(c);
      } else {
        complete(c, clientCount);
      }
    }
    return history.snapshot();
  }

  private void invoke(Client c) {
    String key = keys.get(random.nextInt(keys.size()));
    int kind = random.nextInt(100);
    Op op;
    if (kind < 45) {
      op = Op.read(key);
    } else if (kind < 75) {
      op = Op.write(key, "v" + nextValue++);
    } else if (kind < 95) {
      op = Op.cas(key, c.lastSeen.getOrDefault(key, 1L), "v" + nextValue++);
    } else {
      op = Op.delete(key);
    }
    int fate = random.nextInt(100);
    c.fate = fate >= unknownPercent ? Fate.OK
        : random.nextInt(10) == 0 ? Fate.NEVER_COMPLETED
        : List.of(Fate.UNKNOWN_APPLIED, Fate.UNKNOWN_NOT_APPLIED, Fate.UNKNOWN_APPLIED_LATE).get(random.nextInt(3));
    c.pending = history.invoke(c.process, "n" + random.nextInt(3), op);
    c.applied = false;
  }

  private void takeEffect(Client c) {
    switch (c.fate) {
      case OK, UNKNOWN_APPLIED, NEVER_COMPLETED -> c.result = apply(c.pending.op());
      case UNKNOWN_APPLIED_LATE -> late.add(c.pending.op());
      case UNKNOWN_NOT_APPLIED -> { }
    }
    c.applied = true;
  }

  private void complete(Client c, int clientCount) {
    if (c.fate == Fate.OK) {
      if (c.result == null) {
        c.pending.fail("version mismatch");
      } else {
        c.pending.ok(c.result);
        String key = ((Op.RegisterOp) c.pending.op()).key();
        if (c.result instanceof Result.Value v) {
          c.lastSeen.put(key, v.version());
        } else if (c.result instanceof Result.Written w) {
          c.lastSeen.put(key, w.version());
        }
      }
    } else if (c.fate == Fate.NEVER_COMPLETED) {
      c.process += clientCount; // the client gives up on it and carries on as a new process
    } else {
      c.pending.unknown("timeout");
    }
    c.pending = null;
    c.result = null;
  }

  /** Applies {@code op} to the sequential store; null if a CAS finds another version. */
  private Result apply(Op op) {
    if (op instanceof Op.Read read) {
      Versioned current = store.get(read.key());
      return current == null ? Result.absent() : Result.value(current.value(), current.version());
    }
    if (op instanceof Op.Write write) {
      store.put(write.key(), new Versioned(write.value(), nextVersion));
      return Result.written(nextVersion++);
    }
    if (op instanceof Op.Cas cas) {
      Versioned current = store.get(cas.key());
      if (current == null || current.version() != cas.expectedVersion()) {
        return null;
      }
      store.put(cas.key(), new Versioned(cas.value(), nextVersion));
      return Result.written(nextVersion++);
    }
    store.remove(((Op.Delete) op).key());
    return Result.done();
  }
}
