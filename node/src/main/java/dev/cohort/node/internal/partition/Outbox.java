package dev.cohort.node.internal.partition;

import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.ToPartition;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/** What a partition's roles ask the world to do; the partition's actor carries it out. */
interface Outbox {
  /** Sends {@code message} (an append or a snapshot chunk) to the copy of the partition on node {@code replica}. */
  void toReplica(String replica, ToPartition message);

  /** Sends {@code answers} to the calling node {@code caller}. */
  void answer(ActorRef<Answers> caller, Answers answers);

  /** Tells the coordinator that {@code replica} holds every committed entry of the partition now. */
  void caughtUp(long epoch, String replica);

  /**
   * Tells the coordinator that {@code replicas} stopped keeping up, so commits stop waiting for them.
   *
   * @param why how far behind each is, for the log
   */
  void lagging(long epoch, Set<String> replicas, String why);

  /** Asks for a {@code Flush} after the messages already queued, so they share one batch. */
  void scheduleFlush();

  /** Asks for a confirmation round after the messages already queued, so queued reads share it. */
  void scheduleRound();
}
