package dev.cohort.node.internal.client;

import static dev.cohort.node.internal.client.Fixtures.A;
import static dev.cohort.node.internal.client.Fixtures.TABLE;
import static dev.cohort.node.internal.client.Fixtures.partition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.ReadConsistency;
import dev.cohort.node.internal.partition.PartitionHost;
import dev.cohort.node.internal.partition.PartitionProtocol.Answer;
import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.Requests;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.RequestId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ClientGatewayTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration CHECK = Duration.ofMillis(20);
  private static final Target.Send AT_A = new Target.Send(A, 7, true, false);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static ActorRef<ClientGateway.Command> gateway(long maxBatchBytes) {
    return KIT.spawn(ClientGateway.create(maxBatchBytes, CHECK, System::nanoTime));
  }

  private static Request.Write put(long sequence, int valueBytes) {
    return Request.Write.of(partition(1),
        new KvCommand.Put(new RequestId(9, sequence), TABLE, "k" + sequence, new byte[valueBytes]));
  }

  private static long inOneSecond() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
  }

  @Test
  void requestsSentTogetherTravelAsOneMessage_andEachCallerGetsItsOwnAnswer() throws Exception {
    TestProbe<PartitionHost.Command> host = KIT.createTestProbe();
    // Synchronous, so that all three are queued before the gateway's flush, as under load.
    var gateway = BehaviorTestKit.create(ClientGateway.create(1 << 20, CHECK, System::nanoTime));
    var first = new CompletableFuture<Reply>();
    var second = new CompletableFuture<Reply>();
    var read = new CompletableFuture<Reply>();

    gateway.run(new ClientGateway.Send(host.getRef(), AT_A, put(1, 10), first, inOneSecond()));
    gateway.run(new ClientGateway.Send(host.getRef(), AT_A, put(2, 10), second, inOneSecond()));
    gateway.run(new ClientGateway.Send(host.getRef(), AT_A,
        new Request.Read(partition(1), TABLE, "k1", ReadConsistency.LINEARIZABLE), read, inOneSecond()));
    gateway.runOne(); // the one flush the first of them asked for

    var requests = host.expectMessageClass(Requests.class);
    assertEquals(2, requests.writes().size(), "both writes in one message");
    assertEquals(1, requests.reads().size(), "and the read with them");
    assertEquals(7, requests.writes().get(0).epoch(), "tagged with the epoch the target names");
    host.expectNoMessage(Duration.ofMillis(50));

    // Answered out of order, in two messages: each reaches the attempt it numbers.
    var written = new Reply(Outcome.WRITTEN, null, 1, 5, null, null);
    var found = new Reply(Outcome.FOUND, new byte[] {1}, 1, 5, null, null);
    requests.caller().tell(new Answers(List.of(new Answer(requests.reads().get(0).number(), found),
        new Answer(requests.writes().get(1).number(), written))));
    requests.caller().tell(new Answers(List.of(new Answer(requests.writes().get(0).number(), written))));
    gateway.runOne();
    gateway.runOne();

    assertEquals(written, first.get(3, TimeUnit.SECONDS));
    assertEquals(written, second.get(3, TimeUnit.SECONDS));
    assertEquals(found, read.get(3, TimeUnit.SECONDS));
  }

  @Test
  void aBatchThatWouldPassTheByteLimitIsSplit() {
    TestProbe<PartitionHost.Command> host = KIT.createTestProbe();
    var gateway = BehaviorTestKit.create(ClientGateway.create(1000, CHECK, System::nanoTime));

    for (int i = 0; i < 3; i++) {
      gateway.run(new ClientGateway.Send(host.getRef(), AT_A, put(i, 300), new CompletableFuture<>(), inOneSecond()));
    }
    gateway.runOne(); // the flush

    // Two 300-byte writes with their overhead fit under 1000 bytes; a third does not.
    assertEquals(2, host.expectMessageClass(Requests.class).writes().size());
    assertEquals(1, host.expectMessageClass(Requests.class).writes().size());
    host.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void anAttemptWithNoAnswerByItsDeadlineFailsWithATimeout_andALateAnswerIsDropped() throws Exception {
    TestProbe<PartitionHost.Command> host = KIT.createTestProbe();
    ActorRef<ClientGateway.Command> gateway = gateway(1 << 20);
    var answer = new CompletableFuture<Reply>();

    gateway.tell(new ClientGateway.Send(host.getRef(), AT_A, put(1, 10), answer,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100)));
    var requests = host.expectMessageClass(Requests.class);

    var failure = assertThrows(ExecutionException.class,
        () -> answer.get(3, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, failure.getCause());
    requests.caller().tell(new Answers(List.of(new Answer(requests.writes().get(0).number(),
        new Reply(Outcome.WRITTEN, null, 1, 5, null, null)))));

    var next = new CompletableFuture<Reply>();
    gateway.tell(new ClientGateway.Send(host.getRef(), AT_A, put(2, 10), next, inOneSecond()));
    var nextRequests = host.expectMessageClass(Requests.class);
    assertTrue(nextRequests.writes().get(0).number() != requests.writes().get(0).number(), "every attempt has its own number");
    var written = new Reply(Outcome.WRITTEN, null, 2, 6, null, null);
    nextRequests.caller().tell(new Answers(List.of(new Answer(nextRequests.writes().get(0).number(), written))));
    assertEquals(written, next.get(3, TimeUnit.SECONDS), "the gateway serves on after the late answer");
  }
}
