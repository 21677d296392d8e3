package dev.cohort.node.kv;

import static dev.cohort.node.kv.Kv.SETTINGS;
import static dev.cohort.node.kv.Kv.id;
import static dev.cohort.node.kv.Kv.v;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The replicated journal's part of a partition's state: events appended with contiguous sequence
 * numbers only, deletes that keep the highest sequence number, snapshots by criteria, retries
 * answered once, and all of it in the partition's state store and the log entry codec.
 */
class JournalStateTest {
  private static final JournalCommand.SnapshotCriteria ANY =
      new JournalCommand.SnapshotCriteria(0, Long.MAX_VALUE, 0, Long.MAX_VALUE);

  private static JournalCommand append(RequestId id, String pid, long first, String... events) {
    return new JournalCommand.AppendEvents(id, pid, first, List.of(events).stream().map(Kv::v).toList());
  }

  private static List<String> events(KvStateMachine machine, String pid) {
    return machine.journal().events(pid, 1, Long.MAX_VALUE, 100).stream()
        .map(e -> e.seqNr() + ":" + new String(e.bytes())).toList();
  }

  @Test
  void eventsThatContinueTheStreamAreAppended_andReadBackInOrder() {
    var machine = Kv.machine();

    assertEquals(new KvResult.Written(2, 1), machine.apply(1, append(id(1, 1), "a|1", 1, "x", "y")));
    assertEquals(new KvResult.Written(3, 2), machine.apply(2, append(id(1, 2), "a|1", 3, "z")));

    assertEquals(List.of("1:x", "2:y", "3:z"), events(machine, "a|1"));
    assertEquals(3, machine.journal().highestSeqNr("a|1"));
    assertEquals(0, machine.journal().highestSeqNr("a|2"));
    assertEquals(List.of("2:y"), machine.journal().events("a|1", 2, 3, 1).stream()
        .map(e -> e.seqNr() + ":" + new String(e.bytes())).toList());
  }

  @Test
  void givenTwoIncarnationsAtTheSameHighestSeqNr_theSecondAppendConflicts_andNothingOfItIsWritten() {
    var machine = Kv.machine();
    machine.apply(1, append(id(1, 1), "a|1", 1, "x"));

    machine.apply(2, append(id(1, 2), "a|1", 2, "new"));
    KvResult stale = machine.apply(3, append(id(2, 1), "a|1", 2, "old", "er"));

    assertEquals(new KvResult.Conflict(1, OptionalLong.of(2)), stale);
    assertEquals(List.of("1:x", "2:new"), events(machine, "a|1"));
    assertEquals(new KvResult.Conflict(4, OptionalLong.of(2)), machine.apply(4, append(id(2, 2), "a|1", 5, "gap")),
        "a gap in sequence numbers is refused too");
  }

  @Test
  void aRetriedAppendGetsItsFirstResult_andIsNotAppliedTwice() {
    var machine = Kv.machine();
    machine.apply(1, append(id(1, 1), "a|1", 1, "x"));

    assertEquals(new KvResult.Written(1, 1), machine.apply(2, append(id(1, 1), "a|1", 1, "x")));
    assertEquals(List.of("1:x"), events(machine, "a|1"));
  }

  @Test
  void deletingEventsKeepsTheHighestSeqNr_soTheNextAppendContinuesAfterIt() {
    var machine = Kv.machine();
    machine.apply(1, append(id(1, 1), "a|1", 1, "x", "y", "z"));

    assertEquals(new KvResult.Deleted(2), machine.apply(2, new JournalCommand.DeleteEvents(id(1, 2), "a|1", 99)));

    assertEquals(List.of(), events(machine, "a|1"));
    assertEquals(3, machine.journal().highestSeqNr("a|1"));
    assertEquals(new KvResult.Written(4, 3), machine.apply(3, append(id(1, 3), "a|1", 4, "w")));
  }

  @Test
  void theLatestSnapshotTheCriteriaSelectIsLoaded_andDeletesRemoveOnlyWhatTheySelect() {
    var machine = Kv.machine();
    machine.apply(1, new JournalCommand.SaveSnapshot(id(1, 1), "a|1", 5, 1000, v("s5")));
    machine.apply(2, new JournalCommand.SaveSnapshot(id(1, 2), "a|1", 9, 2000, v("s9")));

    assertEquals(9, machine.journal().latestSnapshot("a|1", ANY).orElseThrow().seqNr());
    assertEquals(5, machine.journal().latestSnapshot("a|1", new JournalCommand.SnapshotCriteria(0, 8, 0, Long.MAX_VALUE))
        .orElseThrow().seqNr());
    machine.apply(3, new JournalCommand.DeleteSnapshots(id(1, 3), "a|1", new JournalCommand.SnapshotCriteria(9, 9, 0,
        Long.MAX_VALUE)));
    assertEquals(5, machine.journal().latestSnapshot("a|1", ANY).orElseThrow().seqNr());
    assertTrue(machine.journal().latestSnapshot("b|1", ANY).isEmpty());
  }

  @Test
  void eventsOverTheLargestValueAreRefused_withTheSizeAndTheLimit() {
    var machine = Kv.machine();

    assertEquals(new KvResult.Rejected(new Rejection.TooLarge(10, 8)), machine.apply(1, append(id(1, 1), "a|1", 1,
        "12345", "67890")));
    assertEquals(0, machine.journal().highestSeqNr("a|1"));
  }

  @Test
  void theJournalIsInThePartitionsStore_andAMachineReopenedOverItReadsTheSame() {
    var store = Kv.store();
    var machine = new KvStateMachine(SETTINGS, store);
    machine.apply(1, append(id(1, 1), "a|1", 1, "x", "y"));
    machine.apply(2, new JournalCommand.SaveSnapshot(id(1, 2), "a|1", 2, 1000, v("s")));
    machine.apply(3, append(id(1, 3), "b|7", 1, "z"));
    machine.apply(4, new JournalCommand.DeleteEvents(id(1, 4), "a|1", 1));
    machine.flush();

    KvStateMachine reopened = new KvStateMachine(SETTINGS, store);

    assertEquals(List.of("2:y"), events(reopened, "a|1"));
    assertEquals(2, reopened.journal().highestSeqNr("a|1"));
    assertEquals(List.of("1:z"), events(reopened, "b|7"));
    assertArrayEquals(v("s"), reopened.journal().latestSnapshot("a|1", ANY).orElseThrow().bytes());
    assertEquals(new KvResult.Written(2, 1), reopened.apply(5, append(id(1, 1), "a|1", 1, "x", "y")), "retry remembered");
  }

  @Test
  void readsWithinABatchSeeTheBatch_soAnAppendAfterAnotherInTheSameBatchFollowsIt() {
    var machine = Kv.machine();
    machine.apply(1, append(id(1, 1), "a|1", 1, "x"));
    machine.apply(2, append(id(1, 2), "a|1", 2, "y"));
    machine.apply(3, new JournalCommand.DeleteEvents(id(1, 3), "a|1", 1));

    assertEquals(new KvResult.Conflict(1, OptionalLong.of(2)), machine.apply(4, append(id(1, 4), "a|1", 2, "stale")));
    assertEquals(List.of("2:y"), events(machine, "a|1"), "nothing flushed yet");
    machine.flush();
    assertEquals(List.of("2:y"), events(machine, "a|1"));
  }

  @Test
  void everyJournalCommandRoundTripsThroughTheLogEntryCodec() {
    List<JournalCommand> commands = List.of(
        (JournalCommand) append(id(7, 1), "Account|alice", 3, "e1", "e2"),
        new JournalCommand.DeleteEvents(id(7, 2), "Account|alice", 2),
        new JournalCommand.SaveSnapshot(id(7, 3), "Account|alice", 4, 1234, v("state")),
        new JournalCommand.DeleteSnapshots(id(7, 4), "Account|alice", new JournalCommand.SnapshotCriteria(1, 2, 3, 4)));
    for (JournalCommand command : commands) {
      byte[] payload = PartitionCommand.encode(command);
      JournalCommand decoded = (JournalCommand) PartitionCommand.decode(payload);
      assertArrayEquals(payload, PartitionCommand.encode(decoded), command.toString());
      assertEquals(command.persistenceId(), decoded.persistenceId());
      assertEquals(command.requestId(), decoded.requestId());
    }
  }

  @Test
  void aTruncatedOrUnknownJournalCommandIsRefused_sayingWhatIsWrong() {
    byte[] payload = PartitionCommand.encode(append(id(7, 1), "Account|alice", 3, "e1"));
    byte[] truncated = java.util.Arrays.copyOf(payload, payload.length - 1);
    byte[] unknownKind = payload.clone();
    unknownKind[1] = 9;

    assertTrue(assertThrows(MalformedPayloadException.class, () -> PartitionCommand.decode(truncated)).getMessage()
        .contains("truncated"));
    assertTrue(assertThrows(MalformedPayloadException.class, () -> PartitionCommand.decode(unknownKind)).getMessage()
        .contains("unknown journal command kind 9"));
  }
}
