package dev.cohort.node.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Log matching on a replica, as a table of cases: replica state + message → decision. */
class ReplicaAppendTest {

  record Case(String name, long promised, TestLog log, AppendRequest message, AppendDecision expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("a message of an older epoch is refused with the newer epoch",
            4, TestLog.of(1, 1), msg(3, 2, 1, 2, 3), new AppendDecision.StaleEpoch(4)),
        new Case("the first entries of an empty log",
            0, TestLog.of(), msg(1, 0, 0, 0, 1, 1), append(1, none(), 0, 2, 0)),
        new Case("entries that follow the log",
            1, TestLog.of(1, 1), msg(1, 2, 1, 2, 1, 1), append(1, none(), 0, 4, 2)),
        new Case("a heartbeat that matches: acknowledge its prevSeq",
            2, TestLog.of(1, 1, 2), msg(2, 3, 2, 3), append(2, none(), 0, 3, 3)),
        new Case("a heartbeat commits no further than it is known to match",
            2, TestLog.of(1, 1, 2, 2, 2), msg(2, 3, 2, 5), append(2, none(), 0, 3, 3)),
        new Case("a redelivered batch: nothing new, acknowledge its end",
            1, TestLog.of(1, 1, 1, 1), msg(1, 2, 1, 2, 1, 1), append(1, none(), 2, 4, 2)),
        new Case("a batch overlapping the log: append only the new part",
            1, TestLog.of(1, 1, 1), msg(1, 2, 1, 2, 1, 1), append(1, none(), 1, 4, 2)),
        new Case("an old batch arriving late: nothing new, acknowledge its (lower) end",
            1, TestLog.of(1, 1, 1, 1, 1, 1), msg(1, 0, 0, 5, 1, 1), append(1, none(), 2, 2, 2)),
        new Case("a batch beyond the log: ask for the gap",
            1, TestLog.of(1, 1), msg(1, 4, 1, 2, 1), new AppendDecision.Gap(1, 3)),
        new Case("a gap in a new epoch's first message still promises the new epoch",
            1, TestLog.of(1, 1), msg(2, 4, 1, 2, 2), new AppendDecision.Gap(2, 3)),
        new Case("a new epoch's first heartbeat: promise it, keep the tail until something overwrites it",
            3, TestLog.of(3, 3, 3, 3, 3, 3, 3, 3, 3, 3), msg(4, 7, 3, 7), append(4, none(), 0, 7, 7)),
        new Case("another epoch at prevSeq: drop it and its tail, say where the disagreeing run starts",
            3, TestLog.of(1, 1, 3, 3, 3), msg(4, 5, 2, 2, 4), new AppendDecision.Conflict(4, 4, 5, 3, 3)),
        new Case("an incoming entry with another epoch: truncate there and append the rest",
            3, TestLog.of(1, 1, 1, 3, 3), msg(4, 3, 1, 3, 2, 2, 4), append(4, OptionalLong.of(3), 0, 6, 3)),
        new Case("a later incoming entry with another epoch: skip the matching ones first",
            3, TestLog.of(1, 1, 1, 1, 3), msg(4, 2, 1, 2, 1, 1, 4), append(4, OptionalLong.of(4), 2, 5, 2)),
        new Case("entries up to the compacted base match without a look",
            2, TestLog.compacted(10, 2, 2, 2), msg(2, 5, 1, 12, 1, 1, 1, 1, 2, 2, 2, 2), append(2, none(), 7, 13, 12)),
        new Case("a prevSeq inside the compacted base matches",
            2, TestLog.compacted(10, 2, 2), msg(2, 4, 1, 4), append(2, none(), 0, 4, 4)),
        new Case("the disagreeing run stops at the compacted base",
            3, TestLog.compacted(4, 1, 3, 3), msg(4, 6, 2, 4), new AppendDecision.Conflict(4, 5, 6, 3, 5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decide(Case c) {
    assertEquals(c.expected, ReplicaAppend.decide(c.promised, c.log, c.message));
  }

  @Test
  void aMalformedMessageIsRefusedWhenBuilt() {
    assertThrows(IllegalArgumentException.class,
        () -> new AppendRequest(2, 3, 1, List.of(new EntryId(1, 5)), 0), "not contiguous");
    assertThrows(IllegalArgumentException.class,
        () -> new AppendRequest(2, 3, 2, List.of(new EntryId(1, 4)), 0), "epoch goes down");
    assertThrows(IllegalArgumentException.class,
        () -> new AppendRequest(2, 3, 1, List.of(new EntryId(3, 4)), 0), "entry newer than the message");
    assertThrows(IllegalArgumentException.class, () -> AppendRequest.heartbeat(2, 3, 0, 0), "prevSeq without epoch");
    assertThrows(IllegalArgumentException.class, () -> AppendRequest.heartbeat(2, 0, 1, 0), "epoch without prevSeq");
  }

  /** A message in {@code epoch} after (prevSeq, prevEpoch) whose entries have {@code epochs}. */
  static AppendRequest msg(long epoch, long prevSeq, long prevEpoch, long committed, long... epochs) {
    var entries = new ArrayList<EntryId>();
    for (int i = 0; i < epochs.length; i++) {
      entries.add(new EntryId(epochs[i], prevSeq + 1 + i));
    }
    return new AppendRequest(epoch, prevSeq, prevEpoch, entries, committed);
  }

  private static AppendDecision append(long promised, OptionalLong truncateAfter, int fromIndex, long ack, long commit) {
    return new AppendDecision.Append(promised, truncateAfter, fromIndex, ack, commit);
  }

  private static OptionalLong none() {
    return OptionalLong.empty();
  }
}
