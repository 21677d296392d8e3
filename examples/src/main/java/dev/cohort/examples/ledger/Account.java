package dev.cohort.examples.ledger;

import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * An account of the ledger: a replicated entity whose balance changes only by events, and never
 * goes below zero. Every change names the operation it belongs to (a deposit id, or a transfer id
 * and its side), and an operation already applied is answered again without applying it twice, so
 * callers and the transfer saga may retry freely.
 */
public final class Account extends EventSourcedBehavior<Account.Command, Account.Event, Account.State> {
  /** The entity type. */
  public static final EntityTypeKey<Command> TYPE = EntityTypeKey.create(Command.class, "Account");

  /** What an account is asked. */
  public sealed interface Command {}

  /** Adds {@code amount}; answers the balance after it. */
  public record Deposit(String depositId, long amount, ActorRef<Long> replyTo) implements Command {}

  /** Takes {@code amount} out for transfer {@code transferId}, if the balance covers it. */
  public record Debit(String transferId, long amount, ActorRef<DebitResult> replyTo) implements Command {}

  /** Puts {@code amount} in for transfer {@code transferId}; answers the balance after it. */
  public record Credit(String transferId, long amount, ActorRef<Long> replyTo) implements Command {}

  /** Answers the balance. */
  public record GetBalance(ActorRef<Long> replyTo) implements Command {}

  /** The answer to a {@link Debit}: whether the money was taken (now or by an earlier attempt), and the balance. */
  public record DebitResult(boolean debited, long balance) {}

  /** What happened to an account. */
  public sealed interface Event {}

  /** Money came in from outside the ledger. */
  public record Deposited(String depositId, long amount) implements Event {}

  /** Money left for a transfer. */
  public record Debited(String transferId, long amount) implements Event {}

  /** Money arrived from a transfer. */
  public record Credited(String transferId, long amount) implements Event {}

  /** The balance, and the operations applied (by kind and id), so that none applies twice. */
  public record State(long balance, Set<String> applied) {
    State apply(String operation, long delta) {
      Set<String> next = new HashSet<>(applied);
      next.add(operation);
      return new State(balance + delta, next);
    }
  }

  private Account(String accountId) {
    super(PersistenceId.of(TYPE.name(), accountId));
  }

  /** The behavior of account {@code accountId}. */
  public static Behavior<Command> create(String accountId) {
    return new Account(accountId);
  }

  @Override
  public State emptyState() {
    return new State(0, new HashSet<>());
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Deposit.class, this::deposit)
        .onCommand(Debit.class, this::debit)
        .onCommand(Credit.class, this::credit)
        .onCommand(GetBalance.class, (state, get) -> Effect().reply(get.replyTo(), state.balance()))
        .build();
  }

  private ReplyEffect<Event, State> deposit(State state, Deposit deposit) {
    if (deposit.amount() <= 0 || state.applied().contains(depositKey(deposit.depositId()))) {
      return Effect().reply(deposit.replyTo(), state.balance());
    }
    return Effect().persist(new Deposited(deposit.depositId(), deposit.amount()))
        .thenReply(deposit.replyTo(), State::balance);
  }

  private ReplyEffect<Event, State> debit(State state, Debit debit) {
    if (state.applied().contains(debitKey(debit.transferId()))) {
      return Effect().reply(debit.replyTo(), new DebitResult(true, state.balance()));
    }
    if (debit.amount() <= 0 || state.balance() < debit.amount()) {
      return Effect().reply(debit.replyTo(), new DebitResult(false, state.balance()));
    }
    return Effect().persist(new Debited(debit.transferId(), debit.amount()))
        .thenReply(debit.replyTo(), s -> new DebitResult(true, s.balance()));
  }

  private ReplyEffect<Event, State> credit(State state, Credit credit) {
    if (state.applied().contains(creditKey(credit.transferId()))) {
      return Effect().reply(credit.replyTo(), state.balance());
    }
    return Effect().persist(new Credited(credit.transferId(), credit.amount()))
        .thenReply(credit.replyTo(), State::balance);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Deposited.class, (state, e) -> state.apply(depositKey(e.depositId()), e.amount()))
        .onEvent(Debited.class, (state, e) -> state.apply(debitKey(e.transferId()), -e.amount()))
        .onEvent(Credited.class, (state, e) -> state.apply(creditKey(e.transferId()), e.amount()))
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  private static String depositKey(String id) {
    return "deposit:" + id;
  }

  private static String debitKey(String id) {
    return "debit:" + id;
  }

  private static String creditKey(String id) {
    return "credit:" + id;
  }
}
