package dev.cohort.node.internal.client;

import static dev.cohort.node.internal.client.Fixtures.A;
import static dev.cohort.node.internal.client.Fixtures.B;
import static dev.cohort.node.internal.client.Fixtures.C;
import static dev.cohort.node.internal.client.Fixtures.CLIENT;
import static dev.cohort.node.internal.client.Fixtures.LEDGER;
import static dev.cohort.node.internal.client.Fixtures.MAX_VALUE;
import static dev.cohort.node.internal.client.Fixtures.TABLE;
import static dev.cohort.node.internal.client.Fixtures.entry;
import static dev.cohort.node.internal.client.Fixtures.partition;
import static dev.cohort.node.internal.client.Fixtures.refused;
import static dev.cohort.node.internal.client.Fixtures.reply;
import static dev.cohort.node.internal.client.Fixtures.table;
import static dev.cohort.node.internal.client.Fixtures.unavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.CohortException;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.api.ReadConsistency;
import dev.cohort.node.ClientSettings;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.RequestId;
import dev.cohort.partitioning.PartitionTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The router's retry loop over a scripted transport and a clock moved by hand: no cluster, no sleeping. */
class RouterTest {
  private static final Duration BACKOFF = CLIENT.retryBackoff();
  private static final Reply NOT_ACTIVE = refused(Outcome.NOT_ACTIVE, "not-active", "stepped down");

  private final ManualTime time = new ManualTime();
  private final Transport0 transport = new Transport0();
  private final AtomicReference<PartitionTable> table = new AtomicReference<>(table(1, entry(1, 3, A, B)));
  private final Router router = router(CLIENT);

  /** Records every attempt; the test answers it. Nodes in {@code unknown} are not members. */
  private static final class Transport0 implements Transport {
    record Sent(Target.Send target, Request request, Duration timeout, CompletableFuture<Reply> answer) {}

    final List<Sent> sent = new ArrayList<>();
    final Set<NodeName> unknown = new HashSet<>();

    @Override
    public Optional<CompletionStage<Reply>> send(Target.Send target, Request request, Duration timeout) {
      if (unknown.contains(target.node())) {
        return Optional.empty();
      }
      var answer = new CompletableFuture<Reply>();
      sent.add(new Sent(target, request, timeout, answer));
      return Optional.of(answer);
    }

    Sent last() {
      return sent.get(sent.size() - 1);
    }
  }

  private Router router(ClientSettings settings) {
    return new Router(C, table::get, transport, time, time, settings,
        new Replies(Set.of(TABLE), MAX_VALUE, node -> Optional.of(LEDGER)));
  }

  private static Request.Write put(long sequence) {
    return Request.Write.of(partition(1), new KvCommand.Put(new RequestId(9, sequence), TABLE, "k", new byte[] {1}));
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    var future = stage.toCompletableFuture();
    assertTrue(future.isCompletedExceptionally(), "failed: " + future);
    try {
      future.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void aWriteGoesToTheActiveInItsEpoch_andCompletesWithTheAnswer() {
    Request.Write write = put(0);
    CompletionStage<Reply> result = router.submit(write);

    assertEquals(1, transport.sent.size());
    var sent = transport.last();
    assertEquals(new Target.Send(A, 3, true, false), sent.target());
    assertSame(write, sent.request());
    assertEquals(CLIENT.attemptTimeout(), sent.timeout());
    assertFalse(result.toCompletableFuture().isDone());

    Reply written = reply(Outcome.WRITTEN, 12, 12);
    sent.answer().complete(written);

    assertSame(written, result.toCompletableFuture().join());
    assertEquals(0, router.inFlight());
  }

  @Test
  void givenNotActive_thenAfterTheBackoffItRetriesAtTheNewActive_withTheSameRequest() {
    Request.Write write = put(0);
    CompletionStage<Reply> result = router.submit(write);
    table.set(table(2, entry(1, 4, B, A)));

    transport.last().answer().complete(NOT_ACTIVE);
    assertEquals(1, transport.sent.size(), "no retry before the backoff");
    time.advance(BACKOFF.minusMillis(1));
    assertEquals(1, transport.sent.size(), "no retry before the backoff");
    time.advance(Duration.ofMillis(1));

    assertEquals(2, transport.sent.size());
    var retry = transport.last();
    assertEquals(new Target.Send(B, 4, true, false), retry.target(), "the new active, in the new epoch");
    assertSame(write, retry.request(), "the same request id and payload");
    retry.answer().complete(reply(Outcome.WRITTEN, 20, 20));
    assertEquals(20, result.toCompletableFuture().join().seq());
  }

  @Test
  void givenNoAnswerWithinTheAttemptTimeout_thenItRetriesWithTheSameRequest() {
    Request.Write write = put(0);
    CompletionStage<Reply> result = router.submit(write);

    transport.last().answer().completeExceptionally(new TimeoutException("ask timed out"));
    time.advance(BACKOFF);

    assertEquals(2, transport.sent.size());
    assertSame(write, transport.last().request());
    transport.last().answer().complete(reply(Outcome.WRITTEN, 5, 5));
    assertEquals(5, result.toCompletableFuture().join().version());
  }

  @Test
  void givenNoActiveAnswersUntilTheRequestTimeout_thenItTimesOut_withTheLastAttemptCutToTheTimeLeft() {
    var settings = new ClientSettings(Duration.ofMillis(1000), 10, Duration.ofMillis(100), Duration.ofMillis(300),
        Duration.ofMillis(20));
    Router short0 = router(settings);
    CompletionStage<Reply> result = short0.submit(put(0));

    // Attempts at 0, 400, 800 (each 300 ms of silence, then 100 ms of backoff); the third has 200 ms left.
    for (int attempt = 0; attempt < 3; attempt++) {
      time.advance(Duration.ofMillis(300));
      transport.last().answer().completeExceptionally(new TimeoutException());
      time.advance(Duration.ofMillis(100));
    }
    assertEquals(List.of(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(200)),
        transport.sent.stream().map(Transport0.Sent::timeout).toList());
    time.advance(Duration.ofMillis(1000));

    var timeout = assertInstanceOf(CohortException.Timeout.class, failureOf(result));
    assertEquals(Duration.ofMillis(1000), timeout.after());
    assertEquals(0, short0.inFlight());
  }

  @Test
  void aQuorumLossFailsAtOnce_withoutRetrying() {
    String message = new CohortException.QuorumLost(NodeGroup.of("ledger"), 1, 2).getMessage();
    CompletionStage<Reply> result = router.submit(put(0));

    transport.last().answer().complete(refused(Outcome.QUORUM_LOST, "quorum-lost", message));

    var lost = assertInstanceOf(CohortException.QuorumLost.class, failureOf(result));
    assertEquals(1, lost.seen());
    time.advance(Duration.ofSeconds(10));
    assertEquals(1, transport.sent.size());
  }

  @Test
  void aConflictFailsAtOnceNamingTheCurrentVersion() {
    var cas = Request.Write.of(partition(1),
        new KvCommand.CompareAndSet(new RequestId(9, 0), TABLE, "k", 3, new byte[] {1}));
    CompletionStage<Reply> result = router.submit(cas);

    transport.last().answer().complete(new Reply(Outcome.CONFLICT, null, 7, 0, "version-conflict", "x"));

    var conflict = assertInstanceOf(CohortException.VersionConflict.class, failureOf(result));
    assertEquals(Optional.of(7L), conflict.current());
  }

  @Test
  void anUnavailablePartitionFailsAtOnce_namingItAndWhy_withNothingSent() {
    table.set(table(2, unavailable(1, 5, A)));

    var error = assertInstanceOf(CohortException.PartitionUnavailable.class, failureOf(router.submit(put(0))));

    assertEquals(partition(1), error.partition());
    assertEquals("partition kvg#1 is unavailable: no node holding its data is live; it was last in sync on [node-a]"
        + " (epoch 5)", error.getMessage());
    assertEquals(0, transport.sent.size());
    assertEquals(0, router.inFlight());
  }

  @Test
  void aPartitionThatBecomesUnavailableWhileRetryingSaysAnEarlierAttemptMayHaveTakenEffect() {
    CompletionStage<Reply> result = router.submit(put(0));
    transport.last().answer().completeExceptionally(new TimeoutException());
    table.set(table(2, unavailable(1, 4, A)));
    time.advance(BACKOFF);

    var error = assertInstanceOf(CohortException.PartitionUnavailable.class, failureOf(result));
    assertTrue(error.getMessage().endsWith("an earlier attempt may have taken effect"), error.getMessage());
  }

  @Test
  void withoutATableYetItWaitsForOne() {
    table.set(PartitionTable.EMPTY);
    CompletionStage<Reply> result = router.submit(put(0));
    assertEquals(0, transport.sent.size());

    table.set(table(1, entry(1, 1, B)));
    time.advance(BACKOFF);

    assertEquals(new Target.Send(B, 1, true, false), transport.last().target());
    transport.last().answer().complete(reply(Outcome.WRITTEN, 1, 1));
    assertEquals(1, result.toCompletableFuture().join().seq());
  }

  @Test
  void givenNothingCouldBeSentUntilTheTimeout_thenThePartitionIsUnavailable_notTimedOut() {
    transport.unknown.add(A);
    CompletionStage<Reply> result = router.submit(put(0));

    time.advance(CLIENT.requestTimeout());

    var error = assertInstanceOf(CohortException.PartitionUnavailable.class, failureOf(result));
    assertTrue(error.getMessage().contains("node-a, named for kvg#1 in epoch 3, is not a member this node knows"),
        error.getMessage());
    assertEquals(0, transport.sent.size());
  }

  @Test
  void pastMaxInFlightACallFailsAtOnceWithOverloaded_andRoomReturnsWhenOneEnds() {
    for (int i = 0; i < CLIENT.maxInFlight(); i++) {
      router.submit(put(i));
    }

    var overloaded = assertInstanceOf(CohortException.Overloaded.class, failureOf(router.submit(put(99))));
    assertEquals(3, overloaded.limit());
    assertEquals(3, transport.sent.size(), "nothing sent for the refused call");

    transport.sent.get(0).answer().complete(reply(Outcome.WRITTEN, 1, 1));
    assertEquals(2, router.inFlight());
    router.submit(put(100));
    assertEquals(4, transport.sent.size());
  }

  @Test
  void aReplicaReadIsAnsweredByThisNodesCopy_andByTheActiveIfTheCopyIsGone() {
    table.set(table(1, entry(1, 3, A, C)));
    var read = new Request.Read(partition(1), TABLE, "k", ReadConsistency.ANY_REPLICA);
    CompletionStage<Reply> result = router.submit(read);
    assertEquals(new Target.Send(C, 3, false, true), transport.last().target());

    transport.last().answer().complete(refused(Outcome.NOT_ACTIVE, "not-active", "node-c holds no copy of kvg#1"));

    assertEquals(new Target.Send(A, 3, false, false), transport.last().target(), "at once, without a backoff");
    Reply absent = reply(Outcome.ABSENT, -1, 42);
    transport.last().answer().complete(absent);
    assertSame(absent, result.toCompletableFuture().join());
  }

  @Test
  void anUnexpectedFailureOfTheTransportEndsTheCall() {
    CompletionStage<Reply> result = router.submit(put(0));

    transport.last().answer().completeExceptionally(new IllegalStateException("serialization failed"));

    assertEquals("serialization failed", failureOf(result).getMessage());
    assertEquals(0, router.inFlight());
  }

  @Test
  void givenTheSchedulerRefusesTheRetry_thenTheCallFailsAndFreesItsSlot() {
    Delayer stopped = (delay, task) -> {
      throw new IllegalStateException("scheduler stopped");
    };
    var router = new Router(C, table::get, transport, stopped, time, CLIENT,
        new Replies(Set.of(TABLE), MAX_VALUE, node -> Optional.of(LEDGER)));
    CompletionStage<Reply> result = router.submit(put(0));

    transport.last().answer().complete(NOT_ACTIVE);

    assertEquals("scheduler stopped", failureOf(result).getMessage());
    assertEquals(0, router.inFlight());
  }
}
