package dev.cohort.testkit.example;

import dev.cohort.node.CohortNode;
import dev.cohort.testkit.TestCluster;
import dev.cohort.testkit.TestClusterExtension;
import dev.cohort.testkit.history.Checkers;
import dev.cohort.testkit.history.History;
import dev.cohort.testkit.history.Invocation;
import dev.cohort.testkit.history.Op;
import dev.cohort.testkit.history.Result;
import dev.cohort.testkit.nemesis.Nemesis;
import dev.cohort.testkit.nemesis.NemesisSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's example of a chaos test for a service of your own: clients on every node use the
 * service while a nemesis pauses nodes, every operation goes into a {@link History}, and the
 * checkers judge the history. The service here is a versioned register held by a Cluster
 * Singleton.
 */
class RegisterChaosExampleTest {

  /** The service: versioned registers by key, in one actor. Messages travel as JSON. */
  interface Message {}

  record Request(String key, String write, long expectedVersion, ActorRef<Reply> replyTo) implements Message {}

  record Reply(String value, long version, boolean applied) implements Message {}

  static Behavior<Request> registers(Map<String, Reply> state) {
    return Behaviors.receiveMessage(request -> {
      Reply current = state.getOrDefault(request.key(), new Reply(null, 0, true));
      if (request.write() == null) {
        request.replyTo().tell(current);
      } else if (request.expectedVersion() >= 0
          && (current.value() == null || request.expectedVersion() != current.version())) {
        request.replyTo().tell(new Reply(current.value(), current.version(), false));
      } else {
        Reply written = new Reply(request.write(), current.version() + 1, true);
        state.put(request.key(), written);
        request.replyTo().tell(written);
      }
      return Behaviors.same();
    });
  }

  @RegisterExtension
  final TestClusterExtension cluster = new TestClusterExtension(() -> TestCluster.builder()
      .node("node-a", "app").node("node-b", "app").node("node-c", "app")
      .config("cohort.clusters.main.node-groups = [app]")
      // Pauses here are shorter than the resolver waits, so the singleton's state survives them.
      .config("pekko.cluster.split-brain-resolver.stable-after = 60s")
      .config("pekko.actor.serialization-bindings { \"" + Message.class.getName() + "\" = jackson-json }"));

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theRegisterStaysLinearizableWhileNodesPause() throws Exception {
    TestCluster nodes = cluster.get();
    nodes.awaitTableAgreement();
    var history = History.create();
    var running = new AtomicBoolean(true);
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    List<ActorRef<Request>> services = new ArrayList<>();
    for (var node : nodes.nodes()) {
      ActorRef<Request> service = ClusterSingleton.get(node.system())
          .init(SingletonActor.of(Behaviors.setup(ctx -> registers(new HashMap<>())), "registers"));
      services.add(service);
      int id = services.size();
      clients.add(CompletableFuture.runAsync(() -> {
        var random = new Random(id);
        while (running.get()) {
          call(history, id, node, service, random);
        }
      }));
    }

    NemesisSchedule schedule = NemesisSchedule.random(2024, nodes.declaredNodes(),
        NemesisSchedule.Options.of(Duration.ofSeconds(12), 3).withKinds(EnumSet.of(NemesisSchedule.Kind.PAUSE)));
    new Nemesis(nodes, nodes, System.out::println).run(schedule);
    running.set(false);
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    // A last read of every key after the faults: every acknowledged write must show in it.
    for (String key : List.of("x", "y")) {
      read(history, key, nodes.node("node-a"), services.get(0));
    }

    Checkers.register().check(history.snapshot()).requireValid();
  }

  /** One random read, write or compare-and-set, recorded with its outcome. */
  private static void call(History history, int process, CohortNode node, ActorRef<Request> service, Random random) {
    String key = random.nextBoolean() ? "x" : "y";
    int kind = random.nextInt(3);
    String value = Integer.toString(random.nextInt(1000));
    long expected = kind == 2 ? 1 + random.nextInt(4) : -1;
    Op op = kind == 0 ? Op.read(key) : kind == 1 ? Op.write(key, value) : Op.cas(key, expected, value);
    record(history.invoke(process, node.name().value(), op), node, service, key, kind == 0 ? null : value, expected);
  }

  private static void read(History history, String key, CohortNode node, ActorRef<Request> service) {
    record(history.invoke(0, node.name().value(), Op.read(key)), node, service, key, null, -1);
  }

  /** Sends a request to the service and records its outcome: a timeout leaves it unknown. */
  private static void record(
      Invocation invocation, CohortNode node, ActorRef<Request> service, String key, String write, long expected) {
    try {
      Reply reply = AskPattern.<Request, Reply>ask(service,
              replyTo -> new Request(key, write, expected, replyTo), Duration.ofSeconds(1), node.system().scheduler())
          .toCompletableFuture().get(2, TimeUnit.SECONDS);
      if (write == null) {
        invocation.ok(reply.value() == null ? Result.absent() : Result.value(reply.value(), reply.version()));
      } else if (reply.applied()) {
        invocation.ok(Result.written(reply.version()));
      } else {
        invocation.fail("version " + reply.version() + " is current");
      }
    } catch (TimeoutException | ExecutionException e) {
      invocation.unknown(e.toString()); // the request may still take effect
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      invocation.unknown("interrupted");
    }
  }
}
