package dev.cohort.node.replication;

import dev.cohort.api.NodeName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The active's record of its replicas' acknowledgements, and the two questions it answers for the
 * coordinator: which in-sync replicas lag so badly that the active should ask for their removal
 * from the in-sync set (DESIGN step 5), and whether a catching-up replica may be proposed for it
 * (step 7). The active never changes the in-sync set itself.
 *
 * <p>Single-threaded (the active's actor owns it); the time is passed in as {@code nowNanos} from a
 * monotonic clock, never read here. Thresholds are parameters; their settings come with the
 * partition group's configuration.
 */
public final class InSyncTracker {
  private final long maxLagEntries;
  private final long maxSilenceNanos;
  private final Map<NodeName, Progress> progress = new HashMap<>();

  /**
   * @param maxLagEntries a replica lags when its acknowledged seq is more than this many entries
   *     behind the active's last seq; at least 1
   * @param maxSilenceNanos a replica lags when it has not acknowledged anything (heartbeats
   *     included) for longer than this; at least 1
   */
  public InSyncTracker(long maxLagEntries, long maxSilenceNanos) {
    if (maxLagEntries < 1 || maxSilenceNanos < 1) {
      throw new IllegalArgumentException(
          "thresholds must be >= 1, got maxLagEntries " + maxLagEntries + ", maxSilenceNanos " + maxSilenceNanos);
    }
    this.maxLagEntries = maxLagEntries;
    this.maxSilenceNanos = maxSilenceNanos;
  }

  /**
   * Starts watching {@code replica}, as if it had acknowledged seq 0 at {@code nowNanos}; its
   * silence counts from here. Until it answers, where its log ends is unknown, so it lags only by
   * silence: a new active of a long log would otherwise find every in-sync replica far behind.
   * Does nothing if it is already watched.
   */
  public void watch(NodeName replica, long nowNanos) {
    progress.putIfAbsent(replica, new Progress(0, nowNanos, false));
  }

  /** Stops watching {@code replica} (it left the placement). */
  public void forget(NodeName replica) {
    progress.remove(replica);
  }

  /**
   * Records an acknowledgement. Any acknowledgement shows the replica is alive; its seq counts only
   * if higher than the one recorded, since messages may be redelivered out of order.
   */
  public void onAck(NodeName replica, long ackedSeq, long nowNanos) {
    if (ackedSeq < 0) {
      throw new IllegalArgumentException("acked seq must be >= 0, got " + ackedSeq);
    }
    Progress before = progress.get(replica);
    long seq = before == null ? ackedSeq : Math.max(before.ackedSeq, ackedSeq);
    progress.put(replica, new Progress(seq, nowNanos, true));
  }

  /**
   * Records that {@code replica}'s log ends before {@code nextSeq} (it answered an append with a gap):
   * what it acknowledged past that is gone, because its node came back without it. It is alive, but
   * counts as holding only what its log holds, for commits and for being caught up.
   */
  public void onGap(NodeName replica, long nextSeq, long nowNanos) {
    if (nextSeq < 1) {
      throw new IllegalArgumentException("next seq must be >= 1, got " + nextSeq);
    }
    Progress before = progress.get(replica);
    long seq = before == null ? nextSeq - 1 : Math.min(before.ackedSeq, nextSeq - 1);
    progress.put(replica, new Progress(seq, nowNanos, true));
  }

  /**
   * The active itself could not run for {@code nanos} (a GC pause, a starved CPU): no answer could
   * be heard meanwhile, so that time does not count as any replica's silence.
   */
  public void excuse(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("nanos must be >= 0, got " + nanos);
    }
    progress.replaceAll((replica, p) -> new Progress(p.ackedSeq, p.lastAckNanos + nanos, p.answered));
  }

  /** The highest seq {@code replica} has acknowledged, 0 if none or not watched. */
  public long ackedSeq(NodeName replica) {
    Progress p = progress.get(replica);
    return p == null ? 0 : p.ackedSeq;
  }

  /** The acknowledged seq of every watched replica, for {@link CommitPosition#of}. */
  public Map<NodeName, Long> ackedSeqs() {
    var result = new HashMap<NodeName, Long>();
    progress.forEach((node, p) -> result.put(node, p.ackedSeq));
    return Map.copyOf(result);
  }

  /**
   * The members of {@code inSync} that lag, in the given order, with the facts the request to the
   * coordinator (and its log line) should carry. A member that is not watched lags as if silent
   * forever.
   *
   * @param inSync the in-sync replicas, in placement order
   * @param activeLastSeq the active's last appended seq
   * @param nowNanos the current time of the same clock as the acknowledgements'
   */
  public List<Lagging> lagging(Collection<NodeName> inSync, long activeLastSeq, long nowNanos) {
    var result = new ArrayList<Lagging>();
    for (NodeName replica : inSync) {
      Progress p = progress.get(replica);
      if (p == null) {
        result.add(new Lagging(replica, activeLastSeq, Long.MAX_VALUE));
        continue;
      }
      long behind = Math.max(0, activeLastSeq - p.ackedSeq);
      long silent = nowNanos - p.lastAckNanos;
      if ((p.answered && behind > maxLagEntries) || silent > maxSilenceNanos) {
        result.add(new Lagging(replica, behind, silent));
      }
    }
    return List.copyOf(result);
  }

  /**
   * Whether a catching-up replica may be proposed for the in-sync set: it has acknowledged at least
   * the commit position as it is at the moment of asking, and it answered within a quarter of the
   * silence that makes a replica lag. An old acknowledgement of an idle partition's commit position
   * is not enough: a silent replica proposed on it would be reported lagging right after joining,
   * again and again. It may fall a little behind again before the coordinator's table change
   * lands; from then on commits wait for it.
   */
  public boolean caughtUp(NodeName replica, long committedSeq, long nowNanos) {
    Progress p = progress.get(replica);
    return p != null && p.ackedSeq >= committedSeq && nowNanos - p.lastAckNanos <= maxSilenceNanos / 4;
  }

  /**
   * An in-sync replica that lags.
   *
   * @param replica the replica
   * @param entriesBehind how far its acknowledged seq is behind the active's last seq
   * @param silentNanos how long since its last acknowledgement ({@code Long.MAX_VALUE} if never watched)
   */
  public record Lagging(NodeName replica, long entriesBehind, long silentNanos) {}

  /** @param answered whether the replica answered since it was watched, so that its seq is known */
  private record Progress(long ackedSeq, long lastAckNanos, boolean answered) {}
}
