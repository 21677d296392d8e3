package dev.cohort.node.internal.client;

import dev.cohort.api.CohortException;
import dev.cohort.api.NodeName;
import dev.cohort.node.ClientSettings;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.partitioning.PartitionTable;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a request to its partition's active and brings back the answer, retrying across changes of
 * the active. The rules:
 *
 * <ul>
 *   <li>At most {@code max-in-flight} requests at once on this node; past it a request fails at once
 *       with {@link CohortException.Overloaded}, nothing sent.
 *   <li>Each attempt reads the newest table this node holds: the partition's active and epoch (or,
 *       for a replica read, this node's own copy). A partition the table marks unavailable fails at
 *       once with {@link CohortException.PartitionUnavailable} naming it and why.
 *   <li>An attempt waits at most {@code attempt-timeout}. On "not active", no answer in time, an
 *       active that is not a known member, or no table yet: wait {@code retry-backoff}, read the
 *       table again and retry, with the same request id, so the state machine applies a write at
 *       most once.
 *   <li>A quorum loss, a conflict or a refusal ends the request at once with its error.
 *   <li>When {@code request-timeout} has passed: {@link CohortException.Timeout} if any attempt was
 *       sent (the outcome is open), else {@link CohortException.PartitionUnavailable} with the last
 *       reason (nothing was sent, so nothing happened).
 * </ul>
 *
 * <p>Never blocks: answers and waits complete on the actor system's threads.
 */
final class Router {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final NodeName self;
  private final Supplier<PartitionTable> table;
  private final Transport transport;
  private final Delayer delayer;
  private final LongSupplier nanoClock;
  private final ClientSettings settings;
  private final Replies replies;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param self this node
   * @param table the newest table this node holds, read at every attempt
   * @param nanoClock {@link System#nanoTime()} or a test's clock
   */
  Router(NodeName self, Supplier<PartitionTable> table, Transport transport, Delayer delayer, LongSupplier nanoClock,
      ClientSettings settings, Replies replies) {
    this.self = self;
    this.table = table;
    this.transport = transport;
    this.delayer = delayer;
    this.nanoClock = nanoClock;
    this.settings = settings;
    this.replies = replies;
  }

  /** Sends {@code request}; the stage completes with the successful answer or fails as the class says. */
  CompletionStage<Reply> submit(Request request) {
    if (inFlight.incrementAndGet() > settings.maxInFlight()) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedStage(new CohortException.Overloaded(settings.maxInFlight()));
    }
    var call = new Call(request, Deadline.after(nanoClock.getAsLong(), settings.requestTimeout()));
    call.attempt();
    return call.result.minimalCompletionStage();
  }

  /** Requests in flight now. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * One request through its attempts. Attempts run one after another (the next starts from the
   * previous one's answer or from the scheduler), so the fields need no locking.
   */
  private final class Call {
    private final Request request;
    private final Deadline deadline;
    private final CompletableFuture<Reply> result = new CompletableFuture<>();
    private boolean sent;
    private boolean localRefused;
    private String lastReason = "no attempt was made";
    private int attempts;
    private boolean finished;

    Call(Request request, Deadline deadline) {
      this.request = request;
      this.deadline = deadline;
    }

    void attempt() {
      guarded(this::tryAttempt);
    }

    /**
     * Runs a step; if it throws (a bug, or a scheduler that refuses work while the system stops), the
     * caller still hears and the in-flight slot is freed.
     */
    private void guarded(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException e) {
        finish(null, e);
      }
    }

    private void tryAttempt() {
      long now = nanoClock.getAsLong();
      Target target = Target.of(table.get().entry(request.partition()), self, request, localRefused);
      if (target instanceof Target.Unavailable unavailable) {
        String maybe = sent ? "; an earlier attempt may have taken effect" : "";
        finish(null, new CohortException.PartitionUnavailable(request.partition(), unavailable.reason() + maybe));
        return;
      }
      if (target instanceof Target.NotYet notYet) {
        retryLater(notYet.reason());
        return;
      }
      var send = (Target.Send) target;
      Optional<Duration> timeout = deadline.attemptTimeout(now, settings.attemptTimeout());
      if (timeout.isEmpty()) {
        giveUp();
        return;
      }
      Optional<CompletionStage<Reply>> answer = transport.send(send, request, timeout.get());
      if (answer.isEmpty()) {
        retryLater(send.node() + ", named for " + request.partition() + " in epoch " + send.epoch()
            + ", is not a member this node knows");
        return;
      }
      sent = true;
      attempts++;
      PlainStage.of(answer.get()).whenComplete((reply, error) -> guarded(() -> onAnswer(send, reply, error)));
    }

    private void onAnswer(Target.Send send, Reply reply, Throwable error) {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
          retryLater("no answer from " + send.node() + " within the attempt timeout");
        } else {
          finish(null, cause);
        }
        return;
      }
      Verdict verdict = replies.judge(reply, request, send.node(), deadline.elapsed(nanoClock.getAsLong()));
      if (verdict instanceof Verdict.Done done) {
        finish(done.reply(), null);
      } else if (verdict instanceof Verdict.Fail fail) {
        finish(null, fail.error());
      } else if (send.local()) {
        // This node's copy is gone after all (the table moved on): the active answers at once.
        localRefused = true;
        lastReason = ((Verdict.Retry) verdict).reason();
        attempt();
      } else {
        retryLater(((Verdict.Retry) verdict).reason());
      }
    }

    private void retryLater(String reason) {
      lastReason = reason;
      Optional<Duration> wait = deadline.backoff(nanoClock.getAsLong(), settings.retryBackoff());
      if (wait.isEmpty()) {
        giveUp();
        return;
      }
      LOG.debug("retrying {} on {} after attempt {}: {}", request.getClass().getSimpleName(), request.partition(),
          attempts, reason);
      delayer.after(wait.get(), this::attempt);
    }

    private void giveUp() {
      if (sent) {
        LOG.debug("request on {} timed out after {} attempts; last: {}", request.partition(), attempts, lastReason);
        finish(null, new CohortException.Timeout(settings.requestTimeout()));
      } else {
        finish(null, new CohortException.PartitionUnavailable(request.partition(),
            lastReason + ", for " + settings.requestTimeout().toMillis() + " ms"));
      }
    }

    private void finish(Reply reply, Throwable error) {
      if (finished) {
        return;
      }
      finished = true;
      // Released before the caller hears, so a caller that sends again from its callback finds room.
      inFlight.decrementAndGet();
      if (error != null) {
        result.completeExceptionally(error);
      } else {
        result.complete(reply);
      }
    }
  }
}
