package dev.cohort.examples.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The ledger on three nodes: deposits, transfers across partitions, refusals and retries. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LedgerTest {
  private LedgerCluster ledgers;

  @BeforeAll
  void start() {
    ledgers = new LedgerCluster(3, 6, 1);
    ledgers.cluster().awaitTableAgreement();
  }

  @AfterAll
  void stop() {
    ledgers.close();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Two account ids on different partitions, so that a transfer between them crosses partitions. */
  private String[] onTwoPartitions(String prefix) {
    Ledger ledger = ledgers.ledger("node-a");
    String first = prefix + "-0";
    for (int i = 1; ; i++) {
      String other = prefix + "-" + i;
      if (!ledger.partitionOf(other).equals(ledger.partitionOf(first))) {
        return new String[] {first, other};
      }
    }
  }

  @Test
  void aTransferAcrossPartitionsMovesTheAmount_andTheSumStaysTheSame() throws Exception {
    String[] accounts = onTwoPartitions("alice");
    assertNotEquals(ledgers.ledger("node-a").partitionOf(accounts[0]), ledgers.ledger("node-a").partitionOf(accounts[1]));
    assertEquals(1000, await(ledgers.ledger("node-a").deposit(accounts[0], "open-" + accounts[0], 1000)));
    assertEquals(50, await(ledgers.ledger("node-b").deposit(accounts[1], "open-" + accounts[1], 50)));

    Transfer.Outcome outcome = await(ledgers.ledger("node-c").transfer("t-1", accounts[0], accounts[1], 300));

    assertTrue(outcome.completed(), "completed: " + outcome);
    assertEquals(700, await(ledgers.ledger("node-b").balance(accounts[0])));
    assertEquals(350, await(ledgers.ledger("node-a").balance(accounts[1])));
  }

  @Test
  void aTransferTheBalanceDoesNotCoverIsRefused_andMovesNothing() throws Exception {
    String[] accounts = onTwoPartitions("bob");
    await(ledgers.ledger("node-a").deposit(accounts[0], "open-" + accounts[0], 100));

    Transfer.Outcome outcome = await(ledgers.ledger("node-a").transfer("t-2", accounts[0], accounts[1], 101));

    assertFalse(outcome.completed());
    assertTrue(outcome.reason().contains("holds 100, less than 101"), outcome.reason());
    assertEquals(100, await(ledgers.ledger("node-c").balance(accounts[0])));
    assertEquals(0, await(ledgers.ledger("node-c").balance(accounts[1])));
  }

  @Test
  void aRetriedTransferOrDepositAppliesOnce_andATransferIdCannotBeReusedForAnotherTransfer() throws Exception {
    String[] accounts = onTwoPartitions("carol");
    await(ledgers.ledger("node-a").deposit(accounts[0], "open", 500));
    await(ledgers.ledger("node-b").deposit(accounts[0], "open", 500));

    await(ledgers.ledger("node-a").transfer("t-3", accounts[0], accounts[1], 200));
    Transfer.Outcome again = await(ledgers.ledger("node-b").transfer("t-3", accounts[0], accounts[1], 200));
    Transfer.Outcome other = await(ledgers.ledger("node-c").transfer("t-3", accounts[0], accounts[1], 10));

    assertTrue(again.completed(), "the retry answers the same outcome: " + again);
    assertFalse(other.completed());
    assertTrue(other.reason().contains("already moves 200"), other.reason());
    assertEquals(300, await(ledgers.ledger("node-c").balance(accounts[0])), "one deposit of 500, one debit of 200");
    assertEquals(200, await(ledgers.ledger("node-c").balance(accounts[1])));
  }
}
