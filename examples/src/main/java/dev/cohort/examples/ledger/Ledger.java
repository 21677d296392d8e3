package dev.cohort.examples.ledger;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.node.Cohort;
import dev.cohort.node.entity.ReplicatedEntities;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A small payments ledger on Cohort: {@link Account}s and {@link Transfer} sagas are replicated
 * entities, so every confirmed deposit and transfer step is on the in-sync replicas, and the
 * entities carry on at the new active after a crash. Start it on every node with {@link #start},
 * after the node, with {@link #config()} in the node's configuration.
 *
 * <pre>{@code
 * CohortNode node = CohortNode.start(myConfig.withFallback(Ledger.config()));
 * Ledger ledger = Ledger.start(node.system());
 * ledger.deposit("alice", "salary-2026-11", 1000).thenCompose(b -> ledger.transfer("t-1", "alice", "bob", 250));
 * }</pre>
 */
public final class Ledger {
  private final ReplicatedEntities<Account.Command> accounts;
  private final ReplicatedEntities<Transfer.Command> transfers;
  private final LedgerSettings settings;

  private Ledger(ReplicatedEntities<Account.Command> accounts, ReplicatedEntities<Transfer.Command> transfers,
      LedgerSettings settings) {
    this.accounts = accounts;
    this.transfers = transfers;
    this.settings = settings;
  }

  /** The configuration the ledger needs on every node: the journal, its settings, and its messages' serializers. */
  public static Config config() {
    return ConfigFactory.parseResources(Ledger.class.getClassLoader(), "ledger.conf");
  }

  /** Registers the ledger's entities on the Cohort node of {@code system}; call it on every node. */
  public static Ledger start(ActorSystem<?> system) {
    var settings = LedgerSettings.fromConfig(system.settings().config());
    Cohort cohort = Cohort.get(system);
    ReplicatedEntities<Account.Command> accounts =
        cohort.entities(settings.partitionGroup(), Account.TYPE, Account::create);
    ReplicatedEntities<Transfer.Command> transfers = cohort.entities(settings.partitionGroup(), Transfer.TYPE,
        id -> Transfer.create(id, accounts, settings));
    return new Ledger(accounts, transfers, settings);
  }

  /** Deposits {@code amount} into {@code account} once per {@code depositId}; the stage gives the balance. */
  public CompletionStage<Long> deposit(String account, String depositId, long amount) {
    Objects.requireNonNull(depositId, "depositId");
    return accounts.entityRefFor(account)
        .ask(replyTo -> new Account.Deposit(depositId, amount, replyTo), settings.askTimeout());
  }

  /**
   * Moves {@code amount} from {@code from} to {@code to} as transfer {@code transferId}; asking again
   * with the same id waits for the same transfer instead of starting another. The stage completes
   * when the transfer has completed or been refused; if it fails (a timeout), the transfer may still
   * complete: ask again.
   */
  public CompletionStage<Transfer.Outcome> transfer(String transferId, String from, String to, long amount) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    return transfers.entityRefFor(transferId)
        .ask(replyTo -> new Transfer.Start(from, to, amount, replyTo), settings.askTimeout().multipliedBy(3));
  }

  /** The balance of {@code account}. */
  public CompletionStage<Long> balance(String account) {
    return accounts.entityRefFor(account).ask(Account.GetBalance::new, settings.askTimeout());
  }

  /** The partition an account or transfer id lives on. */
  public dev.cohort.api.PartitionId partitionOf(String id) {
    return accounts.partitionOf(id);
  }
}
