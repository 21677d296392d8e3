package dev.cohort.node.replication;

import java.util.ArrayList;
import java.util.List;

/** An in-memory log of epochs for tests: entries {@code base + 1 ..} with their epochs. */
final class TestLog implements LogView {
  private long base;
  private long baseEpoch;
  private final List<Long> epochs = new ArrayList<>();

  private TestLog(long base, long baseEpoch, long... epochs) {
    this.base = base;
    this.baseEpoch = baseEpoch;
    for (long epoch : epochs) {
      this.epochs.add(epoch);
    }
  }

  /** A log from seq 1 whose entries have these epochs. */
  static TestLog of(long... epochs) {
    return new TestLog(0, 0, epochs);
  }

  /** A log whose entries up to {@code base} (the last of epoch {@code baseEpoch}) are compacted away. */
  static TestLog compacted(long base, long baseEpoch, long... epochs) {
    return new TestLog(base, baseEpoch, epochs);
  }

  TestLog copy() {
    var copy = new TestLog(base, baseEpoch);
    copy.epochs.addAll(epochs);
    return copy;
  }

  @Override
  public long baseSeq() {
    return base;
  }

  @Override
  public long lastSeq() {
    return base + epochs.size();
  }

  @Override
  public long epochAt(long seq) {
    if (seq == base) {
      return baseEpoch;
    }
    if (seq < base || seq > lastSeq()) {
      throw new IllegalArgumentException("seq " + seq + " is outside [" + base + ", " + lastSeq() + "]");
    }
    return epochs.get((int) (seq - base - 1));
  }

  void append(long epoch) {
    epochs.add(epoch);
  }

  void truncateAfter(long seq) {
    if (seq < base) {
      throw new IllegalArgumentException("cannot truncate into the compacted prefix: " + seq + " < " + base);
    }
    while (lastSeq() > seq) {
      epochs.remove(epochs.size() - 1);
    }
  }

  /** Replaces everything by a snapshot at {@code seq} of epoch {@code epoch}. */
  void installSnapshot(long seq, long epoch) {
    epochs.clear();
    base = seq;
    baseEpoch = epoch;
  }

  /** Carries out an {@link AppendDecision.Append} of {@code message}. */
  void apply(AppendDecision.Append decision, AppendRequest message) {
    decision.truncateAfter().ifPresent(this::truncateAfter);
    List<EntryId> entries = message.entries();
    for (int i = decision.fromIndex(); i < entries.size(); i++) {
      EntryId entry = entries.get(i);
      if (entry.seq() != lastSeq() + 1) {
        throw new AssertionError("entry " + entry + " would not follow the log's last seq " + lastSeq());
      }
      append(entry.epoch());
    }
  }

  /** The message an active with this log sends: entries {@code prevSeq + 1 .. prevSeq + count}. */
  AppendRequest message(long epoch, long prevSeq, int count, long committedSeq) {
    var entries = new ArrayList<EntryId>();
    for (long seq = prevSeq + 1; seq <= Math.min(lastSeq(), prevSeq + count); seq++) {
      entries.add(new EntryId(epochAt(seq), seq));
    }
    return new AppendRequest(epoch, prevSeq, epochAt(prevSeq), entries, committedSeq);
  }

  @Override
  public String toString() {
    return "log(base " + base + "@" + baseEpoch + ", " + epochs + ")";
  }
}
