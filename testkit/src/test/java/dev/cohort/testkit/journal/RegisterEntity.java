package dev.cohort.testkit.journal;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A versioned register as an ordinary event-sourced entity, so that the testkit's register
 * workload and checkers can drive replicated entities: a key's version is the sequence number of
 * the event that last changed it, which only grows, also across a delete.
 */
final class RegisterEntity extends EventSourcedBehavior<RegisterEntity.Command, RegisterEntity.Changed, RegisterEntity.State> {
  static final EntityTypeKey<Command> TYPE = EntityTypeKey.create(Command.class, "Register");

  sealed interface Command {}

  /** Sets the value. */
  record Put(String value, ActorRef<Reply> replyTo) implements Command {}

  /** Sets the value only if the register holds one at {@code expected}. */
  record Cas(long expected, String value, ActorRef<Reply> replyTo) implements Command {}

  /** Clears the value. */
  record Delete(ActorRef<Reply> replyTo) implements Command {}

  /** Reads the value. */
  record Get(ActorRef<Reply> replyTo) implements Command {}

  /** The register after a command; {@code conflict} if a compare-and-set found another version. */
  record Reply(String value, long version, boolean conflict) {}

  /** The event: the new value, null once deleted. */
  record Changed(String value) {}

  /** The state and snapshot: the value (null if none) and the version of the last change. */
  record State(String value, long version) {}

  private RegisterEntity(String entityId) {
    super(PersistenceId.of(TYPE.name(), entityId));
  }

  static Behavior<Command> create(String entityId) {
    return new RegisterEntity(entityId);
  }

  @Override
  public State emptyState() {
    return new State(null, 0);
  }

  @Override
  public CommandHandler<Command, Changed, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Put.class, (state, put) -> change(put.value(), put.replyTo()))
        .onCommand(Delete.class, (state, delete) -> change(null, delete.replyTo()))
        .onCommand(Cas.class, (state, cas) -> state.value() != null && state.version() == cas.expected()
            ? change(cas.value(), cas.replyTo())
            : Effect().reply(cas.replyTo(), new Reply(state.value(), state.version(), true)))
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), new Reply(state.value(), state.version(), false)))
        .build();
  }

  private org.apache.pekko.persistence.typed.javadsl.ReplyEffect<Changed, State> change(String value,
      ActorRef<Reply> replyTo) {
    return Effect().persist(new Changed(value)).thenReply(replyTo, s -> new Reply(s.value(), s.version(), false));
  }

  @Override
  public EventHandler<State, Changed> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Changed.class, (state, changed) -> new State(changed.value(), state.version() + 1))
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(20, 2);
  }
}
