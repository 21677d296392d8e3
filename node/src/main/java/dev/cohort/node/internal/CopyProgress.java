package dev.cohort.node.internal;

import dev.cohort.node.http.TableJson.SnapshotJson;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How far this node's copy of a partition is, as its actor last published it (every heartbeat):
 * for {@code GET /partitions} and tests.
 *
 * @param active whether this node sequences the partition
 * @param committedSeq the commit position it knows
 * @param replicaSeqs on the active: each replica's acknowledged seq, showing how far a catching-up
 *     replica has come; empty on a replica
 * @param replicaSnapshots on the active: the replicas it is sending a snapshot to, and how far;
 *     empty on a replica
 * @param restoredSeq the last seq of the log it found in storage when it started (0 if none)
 * @param receivedEntries log entries that came to it from actives since the node started, repeats included
 * @param receivedSnapshotBytes bytes of snapshots from actives it has installed since the node started
 */
public record CopyProgress(boolean active, long committedSeq,
    SortedMap<String, Long> replicaSeqs, SortedMap<String, SnapshotJson> replicaSnapshots, long restoredSeq,
    long receivedEntries,
    long receivedSnapshotBytes) {
  public CopyProgress {
    replicaSeqs = Collections.unmodifiableSortedMap(new TreeMap<>(replicaSeqs));
    replicaSnapshots = Collections.unmodifiableSortedMap(new TreeMap<>(replicaSnapshots));
  }
}
