package dev.cohort.node.internal.client;

import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PeerHosts;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;

/** Sends each attempt through this node's {@link ClientGateway} to the target node's partition host. */
final class GatewayTransport implements Transport {
  private final PeerHosts hosts;
  private final ActorRef<ClientGateway.Command> gateway;
  private final LongSupplier nanoClock;

  GatewayTransport(PeerHosts hosts, ActorRef<ClientGateway.Command> gateway, LongSupplier nanoClock) {
    this.hosts = hosts;
    this.gateway = gateway;
    this.nanoClock = nanoClock;
  }

  @Override
  public Optional<CompletionStage<Reply>> send(Target.Send target, Request request, Duration timeout) {
    return hosts.hostOf(target.node()).map(host -> {
      var answer = new CompletableFuture<Reply>();
      gateway.tell(new ClientGateway.Send(host, target, request, answer, nanoClock.getAsLong() + timeout.toNanos()));
      return answer;
    });
  }
}
