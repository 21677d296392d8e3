package dev.cohort.node.internal.client;

import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Carries one attempt of a request to a node's partition host and brings its answer back. */
interface Transport {

  /**
   * Sends {@code request} for {@code target}.
   *
   * @param timeout how long to wait for the answer
   * @return the answer, failing with {@link java.util.concurrent.TimeoutException} if none came in
   *     time; empty if {@code target.node()} is not a member this node knows, so nothing was sent
   */
  Optional<CompletionStage<Reply>> send(Target.Send target, Request request, Duration timeout);
}
