package dev.cohort.node.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of a partition's sequencer on its active, without I/O (DESIGN step 2): it assigns the
 * next seqs, groups pending entries into batches bounded by count and bytes, and remembers whom to
 * answer when the commit position passes their entry. The actor writes each batch to the local log
 * and to the replicas, and feeds the commit position back.
 *
 * <p>An entry is <em>pending</em> from {@link #submit} until {@link #drain} hands it out in a batch,
 * then <em>awaiting</em> until {@link #commitTo} passes it. Single-threaded.
 *
 * @param <R> how the actor answers a caller (a reply address and a request id, say)
 */
public final class Sequencer<R> {
  private final int maxBatchEntries;
  private final long maxBatchBytes;
  private final ArrayDeque<Pending<R>> pending = new ArrayDeque<>();
  private final ArrayDeque<Pending<R>> awaiting = new ArrayDeque<>();
  private long epoch;
  private long lastSeq;
  private long lastDrainedSeq;
  private long lastDrainedEpoch;
  private long pendingBytes;
  private long committedSeq;

  /**
   * A sequencer that continues a log.
   *
   * @param epoch this active's epoch
   * @param lastSeq the last seq in the log it continues (0 for an empty log)
   * @param lastEpoch the epoch of the entry at {@code lastSeq} (0 for an empty log)
   * @param committedSeq the commit position known when taking over
   * @param maxBatchEntries the most entries in one batch; at least 1
   * @param maxBatchBytes the most payload bytes in one batch; at least 1 (an entry larger than this
   *     travels alone)
   */
  public Sequencer(
      long epoch, long lastSeq, long lastEpoch, long committedSeq, int maxBatchEntries, long maxBatchBytes) {
    if (epoch < 1 || lastEpoch > epoch || lastSeq < 0 || (lastSeq == 0) != (lastEpoch == 0)) {
      throw new IllegalArgumentException(
          "cannot continue a log at seq " + lastSeq + " of epoch " + lastEpoch + " in epoch " + epoch);
    }
    if (committedSeq < 0 || committedSeq > lastSeq) {
      throw new IllegalArgumentException("committed seq " + committedSeq + " must be in [0, " + lastSeq + "]");
    }
    if (maxBatchEntries < 1 || maxBatchBytes < 1) {
      throw new IllegalArgumentException(
          "batch limits must be >= 1, got " + maxBatchEntries + " entries, " + maxBatchBytes + " bytes");
    }
    this.epoch = epoch;
    this.lastSeq = lastSeq;
    this.lastDrainedSeq = lastSeq;
    this.lastDrainedEpoch = lastEpoch;
    this.committedSeq = committedSeq;
    this.maxBatchEntries = maxBatchEntries;
    this.maxBatchBytes = maxBatchBytes;
  }

  /** Assigns the next seq to {@code payload}; {@code requester} is answered when it commits. */
  public long submit(byte[] payload, R requester) {
    if (requester == null) {
      throw new IllegalArgumentException("a requester is needed; use submitUnanswered for entries nobody waits for");
    }
    return add(payload, requester);
  }

  /**
   * Assigns the next seq to an entry nobody waits for, such as the entry a new active writes first
   * so that the entries it inherited can commit.
   */
  public long submitUnanswered(byte[] payload) {
    return add(payload, null);
  }

  private long add(byte[] payload, R requester) {
    lastSeq++;
    pending.add(new Pending<>(lastSeq, payload, requester));
    pendingBytes += payload.length;
    return lastSeq;
  }

  /** Whether the pending entries fill a batch by count or bytes, so the actor should drain now. */
  public boolean batchFull() {
    return pending.size() >= maxBatchEntries || pendingBytes >= maxBatchBytes;
  }

  /** Whether some entry waits to be drained. */
  public boolean hasPending() {
    return !pending.isEmpty();
  }

  /**
   * The next batch: pending entries in seq order up to the count and byte limits (at least one
   * entry), stamped with the current epoch. They now await commit. Call only if {@link #hasPending()}.
   */
  public Batch drain() {
    if (pending.isEmpty()) {
      throw new IllegalStateException("nothing pending to drain");
    }
    long prevSeq = lastDrainedSeq;
    long prevEpoch = lastDrainedEpoch;
    var entries = new ArrayList<Entry>();
    long bytes = 0;
    while (!pending.isEmpty() && entries.size() < maxBatchEntries) {
      Pending<R> next = pending.peek();
      if (!entries.isEmpty() && bytes + next.payload.length > maxBatchBytes) {
        break;
      }
      pending.poll();
      pendingBytes -= next.payload.length;
      bytes += next.payload.length;
      entries.add(new Entry(next.seq, next.payload));
      awaiting.add(next);
    }
    lastDrainedSeq = entries.get(entries.size() - 1).seq();
    lastDrainedEpoch = epoch;
    return new Batch(epoch, prevSeq, prevEpoch, List.copyOf(entries), bytes);
  }

  /**
   * Moves the commit position to {@code committed} (a lower value is ignored) and returns whom to
   * answer, in seq order: the awaiting entries it passed that have a requester.
   */
  public List<Answer<R>> commitTo(long committed) {
    if (committed > lastDrainedSeq) {
      throw new IllegalArgumentException(
          "cannot commit " + committed + ": only entries up to " + lastDrainedSeq + " were sent");
    }
    if (committed <= committedSeq) {
      return List.of();
    }
    committedSeq = committed;
    var answers = new ArrayList<Answer<R>>();
    while (!awaiting.isEmpty() && awaiting.peek().seq <= committed) {
      Pending<R> done = awaiting.poll();
      if (done.requester != null) {
        answers.add(new Answer<>(done.seq, done.requester));
      }
    }
    return List.copyOf(answers);
  }

  /**
   * Continues in a new epoch while staying the active (the in-sync set changed). Entries not yet
   * drained are stamped with it.
   */
  public void changeEpoch(long newEpoch) {
    if (newEpoch <= epoch) {
      throw new IllegalArgumentException("epoch must grow: " + epoch + " -> " + newEpoch);
    }
    epoch = newEpoch;
  }

  /**
   * Gives up the active role: returns, in seq order, everyone still waiting (pending or awaiting)
   * and forgets them. Their entries may yet commit under a new active, so they must be told "not
   * active" (their writes may or may not take effect), and a retry with the same request id is
   * answered from the state machine's request memory.
   */
  public List<R> abandon() {
    var waiting = new ArrayList<R>();
    for (Pending<R> p : awaiting) {
      if (p.requester != null) {
        waiting.add(p.requester);
      }
    }
    for (Pending<R> p : pending) {
      if (p.requester != null) {
        waiting.add(p.requester);
      }
    }
    awaiting.clear();
    pending.clear();
    pendingBytes = 0;
    return List.copyOf(waiting);
  }

  /** The current epoch. */
  public long epoch() {
    return epoch;
  }

  /** The last seq assigned. */
  public long lastSeq() {
    return lastSeq;
  }

  /** The commit position. */
  public long committedSeq() {
    return committedSeq;
  }

  /** How many entries are pending or awaiting commit: the sequencer's requests in flight. */
  public int inFlight() {
    return pending.size() + awaiting.size();
  }

  /**
   * A batch to write to the local log and send to the replicas.
   *
   * @param epoch the epoch the entries are written in
   * @param prevSeq the seq before the first entry
   * @param prevEpoch the epoch of the entry at {@code prevSeq} (0 if none)
   * @param entries the entries, contiguous from {@code prevSeq + 1}
   * @param bytes the total payload bytes
   */
  public record Batch(long epoch, long prevSeq, long prevEpoch, List<Entry> entries, long bytes) {
    /** The entries' ids, for an {@link AppendRequest}. */
    public List<EntryId> ids() {
      var ids = new ArrayList<EntryId>(entries.size());
      for (Entry entry : entries) {
        ids.add(new EntryId(epoch, entry.seq()));
      }
      return List.copyOf(ids);
    }

    /** The last seq in the batch. */
    public long lastSeq() {
      return entries.get(entries.size() - 1).seq();
    }
  }

  /**
   * One entry of a batch. The payload array is handed over, not copied: nobody may change it.
   *
   * @param seq its seq
   * @param payload its payload bytes
   */
  public record Entry(long seq, byte[] payload) {}

  /**
   * A caller to answer: its entry committed.
   *
   * @param seq the entry's seq; apply up to it first, then answer with that entry's result
   * @param requester whom to answer
   */
  public record Answer<R>(long seq, R requester) {}

  private record Pending<R>(long seq, byte[] payload, R requester) {}
}
