package dev.cohort.examples.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cohort.node.CohortNode;
import dev.cohort.testkit.Await;
import dev.cohort.testkit.TestCluster;
import dev.cohort.testkit.history.CheckResult;
import dev.cohort.testkit.history.History;
import dev.cohort.testkit.history.Invocation;
import dev.cohort.testkit.history.Op;
import dev.cohort.testkit.history.Result;
import dev.cohort.testkit.history.TransferChecker;
import dev.cohort.testkit.nemesis.Nemesis;
import dev.cohort.testkit.nemesis.NemesisSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ledger's invariant under a seeded nemesis (crashes, pauses and cuts of a minority): clients
 * transfer money between accounts on different partitions from any node while faults happen; once
 * the faults are healed and every transfer begun has ended, the balances sum to the deposits and
 * none is negative ({@link TransferChecker}).
 *
 * <p>For a soak: {@code mvn -B verify -pl examples -am -Dtest=LedgerNemesisTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dledger.chaos.seeds=1,2,3 -Dledger.chaos.length=90s}.
 */
@Tag("chaos")
class LedgerNemesisTest {
  private static final String DEFAULT_SEEDS = "3";
  private static final Duration DEFAULT_LENGTH = Duration.ofSeconds(30);
  private static final int ACCOUNTS = 8;
  private static final long OPENING_BALANCE = 1000;
  private static final int CLIENTS = 4;

  /** A transfer a client began: asked again at the end until it has ended. */
  private record Begun(String id, String from, String to, long amount) {}

  static List<Long> seeds() {
    return Arrays.stream(System.getProperty("ledger.chaos.seeds", DEFAULT_SEEDS).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void underASeededNemesis_transfersNeitherCreateNorDestroyMoney(long seed) throws Exception {
    Duration length = System.getProperty("ledger.chaos.length") == null
        ? DEFAULT_LENGTH : Duration.parse("PT" + System.getProperty("ledger.chaos.length").toUpperCase());
    try (var ledgers = new LedgerCluster(5, 12, 2)) {
      TestCluster cluster = ledgers.cluster();
      cluster.awaitTableAgreement();
      List<String> accounts = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        String account = "acct-" + i;
        accounts.add(account);
        askUntilAnswered(() -> ledgers.anyLedger().deposit(account, "opening", OPENING_BALANCE));
      }
      var history = History.create();
      var begun = new ConcurrentLinkedQueue<Begun>();
      var running = new AtomicBoolean(true);
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 1; c <= CLIENTS; c++) {
        int process = c;
        clients.add(CompletableFuture.runAsync(() -> transferUntilStopped(process, seed, ledgers, accounts, history,
            begun, running)));
      }

      var options = new NemesisSchedule.Options(length, 100, Duration.ofSeconds(8), Duration.ofSeconds(12),
          Duration.ofSeconds(2), Duration.ofSeconds(7), EnumSet.allOf(NemesisSchedule.Kind.class));
      NemesisSchedule schedule = NemesisSchedule.random(seed, cluster.declaredNodes(), options);
      new Nemesis(cluster, cluster, System.out::println).run(schedule);
      running.set(false);
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
      cluster.awaitTableAgreement(Duration.ofSeconds(90));

      // Every transfer begun ends (its saga carries on after faults); then the balances are read.
      for (Begun transfer : begun) {
        askUntilAnswered(() -> ledgers.anyLedger().transfer(transfer.id(), transfer.from(), transfer.to(),
            transfer.amount()));
      }
      Invocation readAll = history.invoke(0, "any", Op.readAll());
      Map<String, Long> balances = new TreeMap<>();
      for (String account : accounts) {
        balances.put(account, askUntilAnswered(() -> ledgers.anyLedger().balance(account)));
      }
      readAll.ok(Result.balances(balances));

      CheckResult result = TransferChecker.withTotal(ACCOUNTS * OPENING_BALANCE).check(history.snapshot());
      System.out.println("seed " + seed + ", " + schedule.faultCount() + " faults, " + begun.size()
          + " transfers begun, balances " + balances + "\n" + result);
      result.requireValid();
      assertEquals(cluster.declaredNodes(), cluster.runningNodes(), "every node runs again");
    }
  }

  private static void transferUntilStopped(int process, long seed, LedgerCluster ledgers, List<String> accounts,
      History history, ConcurrentLinkedQueue<Begun> begun, AtomicBoolean running) {
    var random = new Random(seed * 1_000_003L + process);
    int n = 0;
    while (running.get()) {
      List<CohortNode> awake = ledgers.cluster().nodes().stream()
          .filter(node -> !ledgers.cluster().pausedNodes().contains(node.name().value())).toList();
      if (awake.isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        continue;
      }
      String node = awake.get(random.nextInt(awake.size())).name().value();
      String from = accounts.get(random.nextInt(accounts.size()));
      String to = accounts.get(random.nextInt(accounts.size()));
      if (from.equals(to)) {
        continue;
      }
      var transfer = new Begun("c" + process + "-" + ++n, from, to, 1 + random.nextInt(300));
      begun.add(transfer);
      Invocation invocation = history.invoke(process, node, Op.transfer(from, to, transfer.amount()));
      try {
        Transfer.Outcome outcome = ledgers.ledger(node)
            .transfer(transfer.id(), from, to, transfer.amount()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (outcome.completed()) {
          invocation.ok(Result.done());
        } else {
          invocation.fail(outcome.reason());
        }
      } catch (Exception e) {
        invocation.unknown(e.toString()); // the saga may still complete: it is asked again at the end
      }
    }
  }

  /** Asks until an answer comes: after the faults, an entity may take a few attempts to start on its new active. */
  private static <T> T askUntilAnswered(Supplier<CompletionStage<T>> ask) {
    return Await.until("an answer from the ledger", TestCluster.DEFAULT_TIMEOUT, () -> {
      try {
        return ask.get().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }
}
