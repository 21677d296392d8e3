package dev.cohort.testkit.journal;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * An ordinary event-sourced entity for the journal tests: it adds amounts, answers once an addition
 * is persisted, and snapshots (and deletes events) as its retention criteria say: by default a
 * snapshot every {@value #SNAPSHOT_EVERY} events.
 */
final class Counter extends EventSourcedBehavior<Counter.Command, Counter.Added, Counter.Total> {
  static final int SNAPSHOT_EVERY = 5;

  sealed interface Command {}

  /** Adds {@code amount}; the answer is the new total, sent once the event is persisted. */
  record Add(int amount, ActorRef<Total> replyTo) implements Command {}

  /** Answers the total. */
  record Get(ActorRef<Total> replyTo) implements Command {}

  /** Stops the entity, as a passivation would. */
  record Stop() implements Command {}

  /** The event: bound to cohort-kryo in the tests' config. */
  record Added(int amount) {}

  /** The state, also the snapshot: the sum and how many additions made it. */
  record Total(long sum, long additions) {}

  private final RetentionCriteria retention;

  private Counter(String entityId, RetentionCriteria retention) {
    super(PersistenceId.of("Counter", entityId));
    this.retention = retention;
  }

  static Behavior<Command> create(String entityId) {
    return create(entityId, RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2));
  }

  static Behavior<Command> create(String entityId, RetentionCriteria retention) {
    return new Counter(entityId, retention);
  }

  @Override
  public Total emptyState() {
    return new Total(0, 0);
  }

  @Override
  public CommandHandler<Command, Added, Total> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Add.class, (state, add) -> Effect().persist(new Added(add.amount())).thenReply(add.replyTo(), s -> s))
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
        .onCommand(Stop.class, (state, stop) -> Effect().stop())
        .build();
  }

  @Override
  public EventHandler<Total, Added> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Added.class, (state, added) -> new Total(state.sum() + added.amount(), state.additions() + 1))
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return retention;
  }
}
