package dev.cohort.examples.ledger;

import dev.cohort.node.entity.ReplicatedEntities;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A transfer between two accounts, as a saga: a replicated entity of its own (keyed by the transfer
 * id) that records each step as an event before it takes the next. Debit the source; once that
 * is confirmed, credit the destination. A refused debit (the balance does not cover it) ends the
 * transfer with nothing moved; a credit is never refused, so there is nothing to compensate.
 *
 * <p>Why this holds when a node crashes in the middle: the saga's events are replicated before
 * they are confirmed, so after a failover it recovers on the new active in the step it had
 * reached and carries on ({@link RecoveryCompleted}); the accounts apply a transfer's debit and
 * credit at most once each (they remember its id), so repeating a step whose answer was lost
 * changes nothing. Money in flight is the debited amount of a transfer not yet credited; when no
 * transfer is in flight, the balances sum to the deposits.
 */
public final class Transfer extends EventSourcedBehavior<Transfer.Command, Transfer.Event, Transfer.State> {
  /** The entity type. */
  public static final EntityTypeKey<Command> TYPE = EntityTypeKey.create(Command.class, "Transfer");

  /** What a transfer is asked, and what it tells itself. */
  public sealed interface Command {}

  /**
   * Starts the transfer, or, if it started already with the same accounts and amount, waits for
   * its end; the answer comes when it has completed or been refused.
   */
  public record Start(String from, String to, long amount, ActorRef<Outcome> replyTo) implements Command {}

  /** The source account's answer (local only: never sent between nodes). */
  private record DebitAnswered(Account.DebitResult result, Throwable failure) implements Command {}

  /** The destination account's answer (local only). */
  private record CreditAnswered(Long balance, Throwable failure) implements Command {}

  /** Time to repeat the current step, whose answer did not come (local only). */
  private enum Retry implements Command { INSTANCE }

  /** How a transfer ended: {@code completed}, or refused and why. */
  public record Outcome(boolean completed, String reason) {}

  /** A step of the saga. */
  public sealed interface Event {}

  /** The transfer began: the source is to be debited. */
  public record Started(String from, String to, long amount) implements Event {}

  /** The source was debited: the destination is to be credited. */
  public record Debited() implements Event {}

  /** The destination was credited: done. */
  public record Credited() implements Event {}

  /** The source's balance did not cover the amount: nothing moved. */
  public record Refused(String reason) implements Event {}

  /** Where a transfer is. */
  public enum Phase { NEW, DEBITING, CREDITING, COMPLETED, REFUSED }

  /** The transfer's accounts, amount and phase (and, once refused, why). */
  public record State(String from, String to, long amount, Phase phase, String reason) {
    State in(Phase next) {
      return new State(from, to, amount, next, reason);
    }
  }

  private final String transferId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ReplicatedEntities<Account.Command> accounts;
  private final LedgerSettings settings;
  /** Callers waiting for the end; not persisted: a caller whose node crashed asks again. */
  private final List<ActorRef<Outcome>> waiting = new ArrayList<>();

  private Transfer(String transferId, ActorContext<Command> context, TimerScheduler<Command> timers,
      ReplicatedEntities<Account.Command> accounts, LedgerSettings settings) {
    super(PersistenceId.of(TYPE.name(), transferId));
    this.transferId = transferId;
    this.context = context;
    this.timers = timers;
    this.accounts = accounts;
    this.settings = settings;
  }

  /** The behavior of transfer {@code transferId} between {@code accounts}. */
  public static Behavior<Command> create(String transferId, ReplicatedEntities<Account.Command> accounts,
      LedgerSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Transfer(transferId, context, timers, accounts, settings)));
  }

  @Override
  public State emptyState() {
    return new State("", "", 0, Phase.NEW, null);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Start.class, this::start)
        .onCommand(DebitAnswered.class, this::onDebitAnswered)
        .onCommand(CreditAnswered.class, this::onCreditAnswered)
        .onCommand(Retry.class, (state, retry) -> {
          step(state);
          return Effect().none();
        })
        .build();
  }

  private Effect<Event, State> start(State state, Start start) {
    if (state.phase() == Phase.NEW) {
      if (start.amount() <= 0 || start.from().equals(start.to())) {
        return Effect().none().thenRun(s -> start.replyTo().tell(new Outcome(false,
            "a transfer moves a positive amount between two accounts")));
      }
      waiting.add(start.replyTo());
      return Effect().persist(new Started(start.from(), start.to(), start.amount())).thenRun(this::step);
    }
    if (!state.from().equals(start.from()) || !state.to().equals(start.to()) || state.amount() != start.amount()) {
      return Effect().none().thenRun(s -> start.replyTo().tell(new Outcome(false, "transfer " + transferId
          + " already moves " + state.amount() + " from " + state.from() + " to " + state.to())));
    }
    waiting.add(start.replyTo());
    return Effect().none().thenRun(this::answerIfEnded);
  }

  private Effect<Event, State> onDebitAnswered(State state, DebitAnswered answer) {
    if (state.phase() != Phase.DEBITING) {
      return Effect().none(); // an answer to a repeated step, after the saga moved on
    }
    if (answer.failure() != null) {
      return retryLater();
    }
    Event next = answer.result().debited() ? new Debited()
        : new Refused(state.from() + " holds " + answer.result().balance() + ", less than " + state.amount());
    return Effect().persist(next).thenRun(this::step);
  }

  private Effect<Event, State> onCreditAnswered(State state, CreditAnswered answer) {
    if (state.phase() != Phase.CREDITING) {
      return Effect().none();
    }
    return answer.failure() != null ? retryLater() : Effect().persist(new Credited()).thenRun(this::step);
  }

  private Effect<Event, State> retryLater() {
    timers.startSingleTimer(Retry.INSTANCE, settings.retryBackoff());
    return Effect().none();
  }

  /** Takes the step the state calls for: ask an account, or answer the callers if the saga ended. */
  private void step(State state) {
    if (state.phase() == Phase.DEBITING) {
      context.pipeToSelf(accounts.entityRefFor(state.from())
              .ask(replyTo -> new Account.Debit(transferId, state.amount(), replyTo), settings.askTimeout()),
          DebitAnswered::new);
    } else if (state.phase() == Phase.CREDITING) {
      context.pipeToSelf(accounts.entityRefFor(state.to())
              .ask(replyTo -> new Account.Credit(transferId, state.amount(), replyTo), settings.askTimeout()),
          CreditAnswered::new);
    } else {
      answerIfEnded(state);
    }
  }

  private void answerIfEnded(State state) {
    if (state.phase() == Phase.COMPLETED || state.phase() == Phase.REFUSED) {
      var outcome = new Outcome(state.phase() == Phase.COMPLETED, state.reason());
      waiting.forEach(caller -> caller.tell(outcome));
      waiting.clear();
    }
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Started.class, (state, e) -> new State(e.from(), e.to(), e.amount(), Phase.DEBITING, null))
        .onEvent(Debited.class, (state, e) -> state.in(Phase.CREDITING))
        .onEvent(Credited.class, (state, e) -> state.in(Phase.COMPLETED))
        .onEvent(Refused.class, (state, e) -> new State(state.from(), state.to(), state.amount(), Phase.REFUSED,
            e.reason()))
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // After a failover the saga carries on from the step its events reached.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::step).build();
  }
}
