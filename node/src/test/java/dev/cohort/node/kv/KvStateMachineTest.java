package dev.cohort.node.kv;

import static dev.cohort.node.kv.Kv.SETTINGS;
import static dev.cohort.node.kv.Kv.cas;
import static dev.cohort.node.kv.Kv.delete;
import static dev.cohort.node.kv.Kv.id;
import static dev.cohort.node.kv.Kv.put;
import static dev.cohort.node.kv.Kv.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cohort.api.CohortException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sequences of applied entries and the results and reads they give. */
class KvStateMachineTest {
  private final KvStateMachine machine = Kv.machine();

  /** One applied entry and the result it must give. */
  private record Step(long seq, KvCommand command, KvResult expected) {}

  private void play(Step... steps) {
    for (Step step : steps) {
      assertEquals(step.expected, machine.apply(step.seq, step.command), "seq " + step.seq + ": " + step.command);
    }
  }

  private static KvResult written(long seq) {
    return new KvResult.Written(seq, seq);
  }

  private static KvResult conflict(long expected, long current) {
    return new KvResult.Conflict(expected, OptionalLong.of(current));
  }

  @Test
  void aKeysVersionIsTheSeqOfTheEntryThatLastWroteIt() {
    play(
        new Step(3, put(id(1, 1), "k", "a"), written(3)),
        new Step(4, put(id(1, 2), "other", "x"), written(4)),
        new Step(7, put(id(1, 3), "k", "b"), written(7)));

    assertEquals(new KvRead.Found(v("b"), 7, 7), machine.read("t", "k"));
    assertEquals(new KvRead.Found(v("x"), 4, 7), machine.read("t", "other"));
    assertEquals(new KvRead.Absent(7), machine.read("t", "nothing"));
    assertEquals(new KvRead.Absent(7), machine.read("u", "k"), "tables are separate");
    assertEquals(7, machine.lastAppliedSeq());
  }

  @Test
  void compareAndSetWritesOnlyAtExactlyTheExpectedVersion() {
    play(
        new Step(1, put(id(1, 1), "k", "a"), written(1)),
        new Step(2, cas(id(1, 2), "k", 0, "b"), conflict(0, 1)),
        new Step(3, cas(id(1, 3), "k", 2, "b"), conflict(2, 1)),
        new Step(4, cas(id(1, 4), "k", 1, "c"), written(4)),
        new Step(5, cas(id(1, 5), "k", 1, "d"), conflict(1, 4)),
        new Step(6, cas(id(1, 6), "absent", 1, "e"), new KvResult.Conflict(1, OptionalLong.empty())));

    assertEquals(new KvRead.Found(v("c"), 4, 6), machine.read("t", "k"));
    assertEquals(new KvRead.Absent(6), machine.read("t", "absent"));
  }

  @Test
  void deleteThenPutGivesAHigherVersion_soAnOldVersionNeverMatchesAgain() {
    play(
        new Step(1, put(id(1, 1), "k", "a"), written(1)),
        new Step(2, delete(id(1, 2), "k"), new KvResult.Deleted(2)),
        new Step(3, cas(id(1, 3), "k", 1, "stale"), new KvResult.Conflict(1, OptionalLong.empty())),
        new Step(4, put(id(1, 4), "k", "b"), written(4)),
        new Step(5, cas(id(1, 5), "k", 1, "stale"), conflict(1, 4)),
        new Step(6, delete(id(1, 6), "never-there"), new KvResult.Deleted(6)));

    assertEquals(new KvRead.Found(v("b"), 4, 6), machine.read("t", "k"));
  }

  @Test
  void anUnknownTableOrATooLargeValueIsRejectedAndWritesNothing() {
    var unknown = new KvResult.Rejected(new Rejection.UnknownTable("nope"));
    play(
        new Step(1, new KvCommand.Put(id(1, 1), "nope", "k", v("a")), unknown),
        new Step(2, new KvCommand.Delete(id(1, 2), "nope", "k"), unknown),
        new Step(3, put(id(1, 3), "k", "12345678"), written(3)),
        new Step(4, put(id(1, 4), "k", "123456789"), new KvResult.Rejected(new Rejection.TooLarge(9, 8))),
        new Step(5, cas(id(1, 5), "k", 99, "123456789"), new KvResult.Rejected(new Rejection.TooLarge(9, 8))));

    assertEquals(new KvRead.Found(v("12345678"), 3, 5), machine.read("t", "k"));
    assertEquals(new KvRead.Rejected(new Rejection.UnknownTable("nope")), machine.read("nope", "k"));
  }

  @Test
  void aRetriedRequestGetsItsFirstResultAndChangesNothing() {
    play(
        new Step(1, put(id(1, 1), "k", "a"), written(1)),
        new Step(2, cas(id(2, 1), "k", 1, "b"), written(2)),
        new Step(3, cas(id(2, 2), "k", 1, "c"), conflict(1, 2)),
        // Retries, sequenced again after a failover: the first results, not new writes.
        new Step(4, put(id(1, 1), "k", "a"), written(1)),
        new Step(5, cas(id(2, 1), "k", 1, "b"), written(2)),
        new Step(6, cas(id(2, 2), "k", 1, "c"), conflict(1, 2)));

    assertEquals(new KvRead.Found(v("b"), 2, 6), machine.read("t", "k"));
  }

  @Test
  void rejectionsAreRememberedToo_soARetryIsDecidedOnce() {
    var tooLarge = new KvResult.Rejected(new Rejection.TooLarge(9, 8));
    play(
        new Step(1, put(id(1, 1), "k", "123456789"), tooLarge),
        new Step(2, put(id(1, 1), "k", "123456789"), tooLarge));

    assertEquals(new KvRead.Absent(2), machine.read("t", "k"));
  }

  @Test
  void aRetryOlderThanEverythingRememberedForItsClientIsRefusedAsExpired() {
    // 4 results per client are remembered (SETTINGS).
    for (long sequence = 1; sequence <= 5; sequence++) {
      machine.apply(sequence, put(id(1, sequence), "k" + sequence, "v"));
    }

    assertEquals(new KvResult.Rejected(new Rejection.RequestExpired(id(1, 1), 2)),
        machine.apply(6, put(id(1, 1), "k1", "again")));
    assertEquals(written(2), machine.apply(7, put(id(1, 2), "k2", "again")), "still remembered");
    assertEquals(new KvRead.Found(v("v"), 1, 7), machine.read("t", "k1"));
    assertEquals(written(8), machine.apply(8, put(id(2, 1), "k", "v")), "another client is not affected");
  }

  @Test
  void aSequenceInsideTheWindowThatWasNeverSeenIsANewRequest() {
    machine.apply(1, put(id(1, 10), "a", "v"));
    machine.apply(2, put(id(1, 12), "b", "v"));

    assertEquals(written(3), machine.apply(3, put(id(1, 11), "c", "v")));
  }

  @Test
  void theLeastRecentClientIsForgottenBeyondTheLimit() {
    // 3 clients are remembered (SETTINGS).
    machine.apply(1, put(id(1, 1), "a", "1"));
    machine.apply(2, put(id(2, 1), "b", "2"));
    machine.apply(3, put(id(3, 1), "c", "3"));
    machine.apply(4, put(id(1, 2), "a", "1b"));
    machine.apply(5, put(id(4, 1), "d", "4"));

    // Client 2 was the least recent: its retry cannot be recognised and is applied again.
    assertEquals(written(6), machine.apply(6, put(id(2, 1), "b", "2")));
    assertEquals(written(1), machine.apply(7, put(id(1, 1), "a", "1")), "client 1 is still remembered");
  }

  @Test
  void entriesForOtherStateMachinesAreSkipped_andEntriesMustComeInOrder() {
    machine.apply(1, put(id(1, 1), "k", "a"));
    machine.skip(2);

    assertEquals(new KvRead.Found(v("a"), 1, 2), machine.read("t", "k"));
    assertThrows(IllegalArgumentException.class, () -> machine.apply(2, put(id(1, 2), "k", "b")));
    assertThrows(IllegalArgumentException.class, () -> machine.skip(1));
  }

  @Test
  void resultsTurnIntoTheApisErrors() {
    var conflict = new KvResult.Conflict(3, OptionalLong.of(5)).toException();
    assertEquals("version-conflict", conflict.code());
    assertEquals(Optional.of(5L), conflict.current());
    assertEquals(Optional.empty(), new KvResult.Conflict(3, OptionalLong.empty()).toException().current());

    CohortException.UnknownTable unknown = new Rejection.UnknownTable("x").toException(Set.of("t", "u"));
    assertEquals("unknown-table", unknown.code());
    assertEquals("unknown table 'x'; declared tables: [t, u]", unknown.getMessage());
    assertEquals(9, new Rejection.TooLarge(9, 8).toException().size());
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new KvSettings(Set.of(" "), 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new KvSettings(Set.of("t"), -1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new KvSettings(Set.of("t"), 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new KvSettings(Set.of("t"), 1, 1, 0));
  }
}
