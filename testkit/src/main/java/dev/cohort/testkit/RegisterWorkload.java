package dev.cohort.testkit;

import dev.cohort.api.CohortException;
import dev.cohort.api.KeyValueTable;
import dev.cohort.api.KvValue;
import dev.cohort.api.KvWrite;
import dev.cohort.node.Cohort;
import dev.cohort.node.CohortNode;
import dev.cohort.testkit.history.History;
import dev.cohort.testkit.history.Invocation;
import dev.cohort.testkit.history.Op;
import dev.cohort.testkit.history.Result;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Clients that use a key-value table as a set of registers while faults happen, recording every
 * operation in a {@link History} for the checkers: reads, writes, compare-and-sets and deletes of
 * a few keys, each sent from a node picked at random among those running.
 *
 * <p>Each client is one process of the history: it has one operation in flight at a time, so its
 * operations are ordered. An operation is recorded as failed only when Cohort guarantees it was not
 * applied (a version conflict or an overload refusal); any other error leaves it unknown, since an
 * earlier attempt of the same request may have taken effect.
 *
 * <pre>{@code
 * History history = History.create();
 * try (var workload = RegisterWorkload.start(cluster::nodes, "kv", RegisterWorkload.Options.defaults(), history)) {
 *   cluster.crash("node-a");
 *   ...
 * }
 * Checkers.register().check(history.snapshot()).requireValid();
 * }</pre>
 */
public final class RegisterWorkload implements AutoCloseable {
  private final Supplier<? extends Collection<Endpoint>> endpoints;
  private final Options options;
  private final History history;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong completed = new AtomicLong();
  private final List<CompletableFuture<Void>> clients = new ArrayList<>();

  /**
   * What the clients do.
   *
   * @param clients how many clients (history processes) run at once
   * @param keys how many keys they share: fewer keys, more contention
   * @param seed the seed of the clients' choices
   * @param pause how long each client waits between its operations
   */
  public record Options(int clients, int keys, long seed, Duration pause) {
    public Options {
      if (clients < 1 || keys < 1) {
        throw new IllegalArgumentException("clients and keys must be >= 1, got " + clients + " and " + keys);
      }
      Objects.requireNonNull(pause, "pause");
    }

    /** Six clients on eight keys, 5 ms between operations. */
    public static Options defaults() {
      return new Options(6, 8, 1, Duration.ofMillis(5));
    }

    /** These options with another seed. */
    public Options withSeed(long newSeed) {
      return new Options(clients, keys, newSeed, pause);
    }
  }

  /**
   * Where a client can send an operation: a node's name (for the history) and the table there.
   *
   * @param node the node's name
   * @param table the key-value table, through that node
   */
  public record Endpoint(String node, KeyValueTable table) {
    public Endpoint {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(table, "table");
    }

    /** Table {@code table} through the Java API of node {@code node}. */
    public static Endpoint of(CohortNode node, String table) {
      return new Endpoint(node.name().value(), Cohort.get(node.system()).keyValueTable(table));
    }
  }

  private RegisterWorkload(Supplier<? extends Collection<Endpoint>> endpoints, Options options, History history) {
    this.endpoints = endpoints;
    this.options = options;
    this.history = history;
  }

  /**
   * Starts the clients.
   *
   * @param nodes the nodes running now, asked before every operation
   * @param table a key-value table declared on every node
   */
  public static RegisterWorkload start(Supplier<? extends Collection<CohortNode>> nodes, String table, Options options,
      History history) {
    return startOn(() -> nodes.get().stream().map(node -> Endpoint.of(node, table)).toList(), options, history);
  }

  /**
   * Starts the clients on endpoints of any kind, such as {@link HttpKeyValueTable}s of node
   * processes.
   *
   * @param endpoints the endpoints usable now, asked before every operation
   */
  public static RegisterWorkload startOn(Supplier<? extends Collection<Endpoint>> endpoints, Options options,
      History history) {
    var workload = new RegisterWorkload(endpoints, options, history);
    for (int client = 1; client <= options.clients(); client++) {
      int process = client;
      workload.clients.add(CompletableFuture.runAsync(() -> workload.runClient(process)));
    }
    return workload;
  }

  /** Operations completed so far, whatever their outcome. */
  public long completed() {
    return completed.get();
  }

  /** Waits until {@code operations} operations have completed, whatever their outcome. */
  public void awaitCompleted(long operations) {
    Await.until(operations + " completed operations", TestCluster.DEFAULT_TIMEOUT,
        () -> completed.get() >= operations ? true : null);
  }

  /**
   * Stops the clients after their current operation, then reads every key once more through
   * {@code reader}, so that every acknowledged write must show in the history's last reads.
   */
  public void stopAndReadAll(Endpoint reader) {
    stop();
    for (int key = 0; key < options.keys(); key++) {
      Invocation read = history.invoke(0, reader.node(), Op.read(key(key)));
      record(read, reader.table().get(key(key)).thenApply(RegisterWorkload::readResult));
    }
  }

  /** Stops the clients after their current operation (the await is bounded by the request timeout). */
  public void stop() {
    running.set(false);
    try {
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the workload's clients did not stop", e);
    }
  }

  @Override
  public void close() {
    if (running.get()) {
      stop();
    }
  }

  private void runClient(int process) {
    var random = new Random(options.seed() * 1_000_003L + process);
    long written = 0;
    var lastSeen = new HashMap<String, Long>();
    while (running.get()) {
      List<Endpoint> up = List.copyOf(endpoints.get());
      if (up.isEmpty()) {
        sleep(options.pause().multipliedBy(10));
        continue;
      }
      Endpoint node = up.get(random.nextInt(up.size()));
      String key = key(random.nextInt(options.keys()));
      String value = "p" + process + "-" + ++written;
      int kind = random.nextInt(10);
      try {
        KeyValueTable kv = node.table();
        Result result;
        if (kind < 4) {
          Invocation read = history.invoke(process, node.node(), Op.read(key));
          result = record(read, kv.get(key).thenApply(RegisterWorkload::readResult));
        } else if (kind < 7) {
          Invocation write = history.invoke(process, node.node(), Op.write(key, value));
          result = record(write, kv.put(key, bytes(value)).thenApply(RegisterWorkload::writeResult));
        } else if (kind < 9) {
          // Expect the version this client last saw the key at: it succeeds unless another wrote since.
          long expected = lastSeen.getOrDefault(key, 1L);
          Invocation cas = history.invoke(process, node.node(), Op.cas(key, expected, value));
          result = record(cas, kv.compareAndSet(key, expected, bytes(value)).thenApply(RegisterWorkload::writeResult));
        } else {
          Invocation delete = history.invoke(process, node.node(), Op.delete(key));
          result = record(delete, kv.delete(key).thenApply(write -> Result.done()));
        }
        if (result instanceof Result.Value seen) {
          lastSeen.put(key, seen.version());
        } else if (result instanceof Result.Written seen) {
          lastSeen.put(key, seen.version());
        }
      } catch (RuntimeException e) {
        // The node stopped between the pick and the call; nothing was recorded for it.
      }
      sleep(options.pause());
    }
  }

  /** Waits for the answer (bounded by the client's request timeout), records it and returns it (null if none). */
  private Result record(Invocation invocation, CompletionStage<Result> answer) {
    try {
      Result result = answer.toCompletableFuture().get(60, TimeUnit.SECONDS);
      invocation.ok(result);
      return result;
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (definitelyNotApplied(cause)) {
        invocation.fail(cause.getMessage());
      } else {
        invocation.unknown(cause.toString());
      }
    } catch (TimeoutException e) {
      invocation.unknown("no answer in 60 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      invocation.unknown("interrupted");
    } finally {
      completed.incrementAndGet();
    }
    return null;
  }

  /** Refusals Cohort gives before anything is sequenced, whatever earlier attempts did. */
  private static boolean definitelyNotApplied(Throwable cause) {
    return cause instanceof CohortException.VersionConflict || cause instanceof CohortException.Overloaded
        || (cause instanceof HttpKeyValueTable.HttpRefusal refusal && refusal.code().equals("overloaded"));
  }

  private static Result readResult(Optional<KvValue> value) {
    return value.map(v -> (Result) Result.value(new String(v.value(), StandardCharsets.UTF_8), v.version()))
        .orElseGet(Result::absent);
  }

  private static Result writeResult(KvWrite write) {
    return Result.written(write.version());
  }

  private static String key(int index) {
    return "r" + index;
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
