package dev.cohort.node.internal.client;

import dev.cohort.node.internal.partition.PartitionProtocol.Reply;

/** What an answer from a partition means for the request that got it. */
sealed interface Verdict {

  /** The request is done; {@code reply} is its answer. */
  record Done(Reply reply) implements Verdict {}

  /** The node is not (or no longer) the one to ask: look at the table again and retry, same request id. */
  record Retry(String reason) implements Verdict {}

  /** The request failed for good with {@code error}, a {@link dev.cohort.api.CohortException} but for bugs. */
  record Fail(RuntimeException error) implements Verdict {}
}
