package dev.cohort.node.internal.client;

import dev.cohort.node.internal.partition.PartitionHost;
import dev.cohort.node.internal.partition.PartitionProtocol;
import dev.cohort.node.internal.partition.PartitionProtocol.Answer;
import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.Requests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * This node's one way out to the partitions' actives: gathers the attempts its callers send at
 * about the same time into one {@link Requests} message per node (DESIGN: batching on every hop),
 * and matches the {@link Answers} that come back to the attempts waiting for them.
 *
 * <p>Gathering costs no wait: the first attempt for a node asks for a flush behind the messages
 * already queued here, so a lone attempt leaves at once and a burst leaves together. An attempt that
 * gets no answer by its deadline fails with {@link TimeoutException}; the {@link Router} then retries.
 */
final class ClientGateway extends AbstractBehavior<ClientGateway.Command> {
  /** What a request costs besides its command or key, generously: its fields in Protobuf. */
  private static final int REQUEST_OVERHEAD_BYTES = 128;

  /** The gateway's protocol. */
  sealed interface Command {}

  /**
   * One attempt of {@code request} at {@code host}, in the epoch {@code target} names.
   *
   * @param answer completed with the answer, or with {@link TimeoutException} once {@code deadlineNanos} passed
   */
  record Send(ActorRef<PartitionHost.Command> host, Target.Send target, Request request, CompletableFuture<Reply> answer,
      long deadlineNanos) implements Command {}

  private record Answered(Answers answers) implements Command {}

  private enum Internal implements Command {
    FLUSH,
    CHECK_TIMEOUTS
  }

  /** What goes to one node at the next flush. */
  private static final class Outgoing {
    final List<PartitionProtocol.Write> writes = new ArrayList<>();
    final List<PartitionProtocol.Read> reads = new ArrayList<>();
    long bytes;
  }

  private record Pending(CompletableFuture<Reply> answer, long deadlineNanos) {}

  private final ActorRef<Answers> inbox;
  private final long maxBatchBytes;
  private final LongSupplier nanoClock;
  private final Map<ActorRef<PartitionHost.Command>, Outgoing> outgoing = new LinkedHashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextNumber;
  private boolean flushScheduled;

  /**
   * @param maxBatchBytes the most bytes one {@link Requests} carries, roughly (a larger command goes alone)
   * @param timeoutCheckInterval how often attempts past their deadline are failed
   */
  static Behavior<Command> create(long maxBatchBytes, Duration timeoutCheckInterval, LongSupplier nanoClock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Internal.CHECK_TIMEOUTS, timeoutCheckInterval);
      return new ClientGateway(context, maxBatchBytes, nanoClock);
    }));
  }

  private ClientGateway(ActorContext<Command> context, long maxBatchBytes, LongSupplier nanoClock) {
    super(context);
    this.inbox = context.messageAdapter(Answers.class, Answered::new);
    this.maxBatchBytes = maxBatchBytes;
    this.nanoClock = nanoClock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Send.class, this::onSend)
        .onMessage(Answered.class, this::onAnswered)
        .onMessageEquals(Internal.FLUSH, this::flush)
        .onMessageEquals(Internal.CHECK_TIMEOUTS, this::failOverdue)
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private Behavior<Command> onSend(Send send) {
    long number = nextNumber++;
    pending.put(number, new Pending(send.answer(), send.deadlineNanos()));
    Outgoing out = outgoing.computeIfAbsent(send.host(), host -> new Outgoing());
    long size = size(send.request());
    if (out.bytes > 0 && out.bytes + size > maxBatchBytes) {
      sendTo(send.host(), out);
    }
    if (send.request() instanceof Request.Write write) {
      out.writes.add(new PartitionProtocol.Write(write.partition(), send.target().epoch(), number,
          write.command().requestId(), write.payload()));
    } else {
      var read = (Request.Read) send.request();
      out.reads.add(new PartitionProtocol.Read(read.partition(), send.target().epoch(), number, read.table(), read.key(),
          send.target().linearizable()));
    }
    out.bytes += size;
    if (!flushScheduled) {
      flushScheduled = true;
      getContext().getSelf().tell(Internal.FLUSH);
    }
    return this;
  }

  private static long size(Request request) {
    return REQUEST_OVERHEAD_BYTES
        + (request instanceof Request.Write write ? write.payload().length : ((Request.Read) request).key().length());
  }

  private Behavior<Command> flush() {
    flushScheduled = false;
    outgoing.forEach(this::sendTo);
    outgoing.clear();
    return this;
  }

  private void sendTo(ActorRef<PartitionHost.Command> host, Outgoing out) {
    if (out.writes.isEmpty() && out.reads.isEmpty()) {
      return;
    }
    host.tell(new Requests(inbox, List.copyOf(out.writes), List.copyOf(out.reads)));
    out.writes.clear();
    out.reads.clear();
    out.bytes = 0;
  }

  private Behavior<Command> onAnswered(Answered answered) {
    for (Answer answer : answered.answers().answers()) {
      Pending waiting = pending.remove(answer.number());
      if (waiting != null) { // else it timed out before: the router has moved on
        waiting.answer().complete(answer.reply());
      }
    }
    return this;
  }

  private Behavior<Command> failOverdue() {
    long now = nanoClock.getAsLong();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending waiting = it.next();
      if (now - waiting.deadlineNanos() >= 0) {
        it.remove();
        waiting.answer().completeExceptionally(new TimeoutException("no answer by the attempt's deadline"));
      }
    }
    return this;
  }

  private Behavior<Command> onStop() {
    pending.values().forEach(waiting -> waiting.answer().completeExceptionally(
        new TimeoutException("the node's client gateway stopped before the answer came")));
    pending.clear();
    return this;
  }
}
