package dev.cohort.node.internal.client;

import dev.cohort.node.internal.partition.PartitionHost;
import dev.cohort.node.internal.partition.PartitionProtocol;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PeerHosts;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** Asks the partition host of the target node, found through membership. */
final class PekkoTransport implements Transport {
  private final PeerHosts hosts;
  private final Scheduler scheduler;

  PekkoTransport(PeerHosts hosts, Scheduler scheduler) {
    this.hosts = hosts;
    this.scheduler = scheduler;
  }

  @Override
  public Optional<CompletionStage<Reply>> send(Target.Send target, Request request, Duration timeout) {
    return hosts.hostOf(target.node()).map(host -> AskPattern.<PartitionHost.Command, Reply>ask(
        host, replyTo -> message(target, request, replyTo), timeout, scheduler));
  }

  private static PartitionHost.Command message(Target.Send target, Request request, ActorRef<Reply> replyTo) {
    if (request instanceof Request.Write write) {
      return new PartitionProtocol.Write(write.partition(), target.epoch(), write.command().requestId(), write.payload(),
          replyTo);
    }
    var read = (Request.Read) request;
    return new PartitionProtocol.Read(read.partition(), target.epoch(), read.table(), read.key(), target.linearizable(),
        replyTo);
  }
}
