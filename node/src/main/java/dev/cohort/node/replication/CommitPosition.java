package dev.cohort.node.replication;

import dev.cohort.api.NodeName;
import dev.cohort.api.Placement;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The commit position of a partition on its active: a pure function of the copies' positions.
 *
 * <p>Inputs are monotone while one node stays active (durable and acknowledged seqs only grow), and
 * then so is the result, except when the in-sync set gains a member that is still behind. The
 * caller therefore keeps {@code committed = max(committed, CommitPosition.of(...))} and never lets
 * it go backwards.
 *
 * <p>Only acknowledgements received from replicas while this node is the active may be counted: a
 * replica acknowledges a seq only after it has checked that its log matches this active's log up to
 * there ({@link ReplicaAppend}).
 */
public final class CommitPosition {
  private CommitPosition() {}

  /**
   * The highest seq that is committed under {@code policy}, or {@code 0} if counting shows nothing
   * committed.
   *
   * @param policy the commit policy of the partition group
   * @param placement the partition's placement; its active is the node asking
   * @param inSync the in-sync replicas from the partition table (the active, if listed, is ignored);
   *     each must be a replica of {@code placement}
   * @param activeDurableSeq the highest seq durable in the active's own log
   * @param ackedSeqs per replica, the highest contiguous seq it acknowledged as durable in this
   *     active's tenure; a replica missing here has acknowledged nothing
   * @param firstOwnSeq the first seq this node wrote since it last became the active (the entries
   *     before it were inherited from earlier actives)
   * @throws IllegalArgumentException if a seq is negative or an in-sync node is not in the placement
   */
  public static long of(
      CommitPolicy policy,
      Placement placement,
      Set<NodeName> inSync,
      long activeDurableSeq,
      Map<NodeName, Long> ackedSeqs,
      long firstOwnSeq) {
    requireNonNegative("activeDurableSeq", activeDurableSeq);
    requireNonNegative("firstOwnSeq", firstOwnSeq);
    for (NodeName node : inSync) {
      if (!placement.contains(node)) {
        throw new IllegalArgumentException("in-sync node " + node + " is not in placement " + placement.nodes());
      }
    }
    if (policy == CommitPolicy.ALL_IN_SYNC) {
      return allInSync(placement, inSync, activeDurableSeq, ackedSeqs);
    }
    return majorityOfPlacement(placement, inSync, activeDurableSeq, ackedSeqs, firstOwnSeq);
  }

  private static long allInSync(
      Placement placement, Set<NodeName> inSync, long activeDurableSeq, Map<NodeName, Long> ackedSeqs) {
    long committed = activeDurableSeq;
    for (NodeName replica : placement.replicas()) {
      if (inSync.contains(replica)) {
        committed = Math.min(committed, acked(ackedSeqs, replica));
      }
    }
    return committed;
  }

  private static long majorityOfPlacement(
      Placement placement,
      Set<NodeName> inSync,
      long activeDurableSeq,
      Map<NodeName, Long> ackedSeqs,
      long firstOwnSeq) {
    var replicas = placement.replicas();
    long[] positions = new long[replicas.size() + 1];
    positions[0] = activeDurableSeq;
    for (int i = 0; i < replicas.size(); i++) {
      NodeName replica = replicas.get(i);
      positions[i + 1] = inSync.contains(replica) ? acked(ackedSeqs, replica) : 0;
    }
    Arrays.sort(positions);
    int majority = positions.length / 2 + 1;
    // The majority-th highest position: that many nodes hold everything up to it.
    long counted = positions[positions.length - majority];
    // As in Raft, only entries of this active's own tenure are committed by counting; inherited
    // ones commit with them. Otherwise a majority holding an old entry could still be overwritten by
    // a later active that lacks it but has a newer epoch at that seq.
    return counted >= firstOwnSeq ? counted : 0;
  }

  private static long acked(Map<NodeName, Long> ackedSeqs, NodeName replica) {
    Long seq = ackedSeqs.get(replica);
    if (seq == null) {
      return 0;
    }
    requireNonNegative("acked seq of " + replica, seq);
    return seq;
  }

  private static void requireNonNegative(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + value);
    }
  }
}
