package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.PartitionId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The behavioural suite of {@link PartitionLog} and {@link LogStorage}, written once and bound to
 * each implementation by a short subclass that says how to make a storage and how to restart it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class PartitionLogContract {
  protected static final PartitionId P = new PartitionId("accounts", 3);
  protected static final PartitionId Q = new PartitionId("accounts", 4);

  private LogStorage storage;
  private PartitionLog log;

  /** A new, empty storage; the suite closes it after each test. */
  protected abstract LogStorage newStorage();

  /**
   * The storage as a node restarted with its data finds it. The suite has closed every log handle of
   * {@code storage}; an implementation on disk closes it and opens a new one on the same files.
   */
  protected abstract LogStorage restart(LogStorage storage);

  @BeforeEach
  void openLog() {
    storage = newStorage();
    log = storage.open(P);
  }

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  // ---- helpers ----

  /** An entry whose payload names its seq and epoch, so that a mixed-up read shows. */
  protected static LogEntry entry(long epoch, long seq) {
    return new LogEntry(epoch, seq, ("e" + epoch + "s" + seq).getBytes(StandardCharsets.UTF_8));
  }

  /** Entries {@code fromSeq..toSeq} (inclusive) of one epoch. */
  protected static List<LogEntry> batch(long epoch, long fromSeq, long toSeq) {
    List<LogEntry> out = new ArrayList<>();
    for (long seq = fromSeq; seq <= toSeq; seq++) {
      out.add(entry(epoch, seq));
    }
    return out;
  }

  private static LogEntry sized(long epoch, long seq, int payloadBytes) {
    return new LogEntry(epoch, seq, new byte[payloadBytes]);
  }

  private List<LogEntry> readAll(long fromSeq) {
    return log.read(fromSeq, Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  private static <T extends Throwable> T assertFailsNaming(Class<T> type, Executable call, String... parts) {
    T error = assertThrows(type, call);
    for (String part : parts) {
      assertTrue(error.getMessage().contains(part), () -> "expected '" + part + "' in: " + error.getMessage());
    }
    return error;
  }

  private void assertBounds(long firstSeq, long lastSeq, long lastEpoch) {
    assertEquals(firstSeq, log.firstSeq(), "firstSeq");
    assertEquals(lastSeq, log.lastSeq(), "lastSeq");
    assertEquals(lastEpoch, log.lastEpoch(), "lastEpoch");
  }

  /** Closes the log, restarts the storage and opens the log again. */
  private void restartNode() {
    log.close();
    storage = restart(storage);
    log = storage.open(P);
  }

  // ---- a new log ----

  @Test
  void aNewLogIsEmptyWithItsBaseAtSeqZeroEpochZero() {
    assertEquals(P, log.partition());
    assertBounds(1, 0, 0);
    assertEquals(OptionalLong.of(0), log.epochAt(0));
    assertEquals(OptionalLong.empty(), log.epochAt(1));
    assertEquals(List.of(), log.read(1, 10, 1000));
    assertEquals(PartitionMeta.EMPTY, log.readMeta());
  }

  // ---- append and read ----

  @Test
  void appendedEntriesReadBackInOrderWithTheirBytes() {
    log.append(batch(1, 1, 3));
    log.append(batch(1, 4, 5));
    assertBounds(1, 5, 1);
    assertEquals(batch(1, 1, 5), readAll(1));
    assertEquals(batch(1, 3, 5), readAll(3));
    assertArrayEquals("e1s4".getBytes(StandardCharsets.UTF_8), readAll(4).get(0).payload());
    assertEquals(OptionalLong.of(1), log.epochAt(5));
    assertEquals(OptionalLong.empty(), log.epochAt(6));
  }

  @Test
  void appendingNothingChangesNothing() {
    log.append(batch(1, 1, 2));
    log.append(List.of());
    assertBounds(1, 2, 1);
  }

  @Test
  void epochsMayGrowWithinABatchAndAcrossBatches() {
    log.append(List.of(entry(1, 1), entry(1, 2), entry(2, 3)));
    log.append(List.of(entry(2, 4), entry(5, 5)));
    assertBounds(1, 5, 5);
    assertEquals(OptionalLong.of(1), log.epochAt(2));
    assertEquals(OptionalLong.of(2), log.epochAt(3));
    assertEquals(OptionalLong.of(5), log.epochAt(5));
  }

  @Test
  void theLogKeepsItsOwnCopyOfTheBatchAndOfEachPayload() {
    List<LogEntry> entries = new ArrayList<>(batch(1, 1, 3));
    log.append(entries);
    entries.clear();
    assertEquals(batch(1, 1, 3), readAll(1));

    List<LogEntry> read = readAll(1);
    assertThrows(UnsupportedOperationException.class, () -> read.add(entry(1, 4)));
    read.get(0).payload()[0] = 'X';
    assertEquals(entry(1, 1), readAll(1).get(0));
  }

  @Test
  void aReadListDoesNotChangeWithTheLog() {
    log.append(batch(1, 1, 3));
    List<LogEntry> before = readAll(1);
    log.append(batch(1, 4, 6));
    log.truncateAfter(2);
    assertEquals(batch(1, 1, 3), before);
  }

  // ---- contiguity and epochs ----

  @Test
  void theFirstAppendMustStartAtSeqOne() {
    assertFailsNaming(IllegalArgumentException.class, () -> log.append(batch(1, 2, 3)), "expected seq 1", "found seq 2");
    assertBounds(1, 0, 0);
  }

  @Test
  void aGapIsRefusedNamingTheExpectedAndFoundSeq() {
    log.append(batch(1, 1, 3));
    assertFailsNaming(IllegalArgumentException.class, () -> log.append(batch(1, 5, 6)), "expected seq 4", "found seq 5");
    assertBounds(1, 3, 1);
  }

  @Test
  void aRepeatedSeqIsRefused() {
    log.append(batch(1, 1, 3));
    assertFailsNaming(IllegalArgumentException.class, () -> log.append(batch(1, 3, 4)), "expected seq 4", "found seq 3");
    assertEquals(batch(1, 1, 3), readAll(1));
  }

  @Test
  void aBatchWithAHoleInsideIsRefusedWhole() {
    log.append(batch(1, 1, 2));
    List<LogEntry> holed = List.of(entry(1, 3), entry(1, 4), entry(1, 6));
    assertFailsNaming(IllegalArgumentException.class, () -> log.append(holed), "expected seq 5", "found seq 6");
    assertBounds(1, 2, 1);
    assertEquals(batch(1, 1, 2), readAll(1));
  }

  @Test
  void anEpochBelowTheLastEpochIsRefused() {
    log.append(List.of(entry(1, 1), entry(3, 2)));
    assertFailsNaming(IllegalArgumentException.class, () -> log.append(List.of(entry(2, 3))),
        "expected epoch 3", "found epoch 2");
    assertBounds(1, 2, 3);
  }

  @Test
  void anEpochFallingWithinABatchIsRefusedWhole() {
    log.append(batch(2, 1, 1));
    List<LogEntry> falling = List.of(entry(2, 2), entry(4, 3), entry(3, 4));
    assertFailsNaming(IllegalArgumentException.class, () -> log.append(falling), "expected epoch 4", "found epoch 3");
    assertBounds(1, 1, 2);
  }

  // ---- read limits ----

  @Test
  void aReadStopsAtMaxEntries() {
    log.append(batch(1, 1, 10));
    assertEquals(batch(1, 3, 6), log.read(3, 4, Long.MAX_VALUE));
    assertEquals(batch(1, 10, 10), log.read(10, 4, Long.MAX_VALUE));
  }

  @Test
  void aReadStopsAtMaxBytesCountingEachEntrysSize() {
    log.append(List.of(sized(1, 1, 100), sized(1, 2, 100), sized(1, 3, 100), sized(1, 4, 100)));
    long entrySize = 100 + LogEntry.HEADER_BYTES;
    assertEquals(entrySize, log.read(1, 1, Long.MAX_VALUE).get(0).sizeInBytes());
    assertEquals(2, log.read(1, 100, 2 * entrySize).size());
    assertEquals(2, log.read(1, 100, 3 * entrySize - 1).size());
    assertEquals(3, log.read(1, 100, 3 * entrySize).size());
    assertEquals(2, log.read(2, 2, 10 * entrySize).size(), "the smaller limit wins");
  }

  @Test
  void aReadReturnsTheFirstEntryEvenWhenItIsLargerThanMaxBytes() {
    log.append(List.of(sized(1, 1, 5000), sized(1, 2, 1)));
    List<LogEntry> read = log.read(1, 10, 100);
    assertEquals(1, read.size());
    assertEquals(5000, read.get(0).payloadLength());
  }

  @Test
  void aBatchOfThousandsIsAppendedAtOnceAndReadBackInPages() {
    log.append(batch(1, 1, 1));
    log.append(batch(2, 2, 5_001));
    assertBounds(1, 5_001, 2);
    long next = 2;
    while (next <= 5_001) {
      List<LogEntry> page = log.read(next, 1_000, 8 * 1024);
      assertTrue(page.size() > 1 && page.size() <= 1_000, "a page within both limits: " + page.size());
      assertEquals(batch(2, next, next + page.size() - 1), page);
      next += page.size();
    }
  }

  @Test
  void aReadSpansTheBatchesItWasAppendedIn() {
    for (long seq = 1; seq <= 20; seq += 4) {
      log.append(batch(1, seq, seq + 3));
    }
    assertEquals(batch(1, 3, 17), log.read(3, 15, Long.MAX_VALUE));
  }

  @Test
  void aReadPastTheEndIsEmpty() {
    log.append(batch(1, 1, 3));
    assertEquals(List.of(), log.read(4, 10, 1000));
    assertEquals(List.of(), log.read(100, 10, 1000));
  }

  @Test
  void aReadWithALimitOrSeqBelowOneIsRefused() {
    log.append(batch(1, 1, 3));
    assertFailsNaming(IllegalArgumentException.class, () -> log.read(0, 10, 1000), "fromSeq 0");
    assertFailsNaming(IllegalArgumentException.class, () -> log.read(1, 0, 1000), "maxEntries 0");
    assertFailsNaming(IllegalArgumentException.class, () -> log.read(1, 10, 0), "maxBytes 0");
  }

  // ---- truncateAfter: a replica drops the tail the new active lacks ----

  @Test
  void truncateAfterDropsTheTailAndTheLogContinuesInTheNewEpoch() {
    log.append(batch(1, 1, 4));
    log.append(batch(2, 5, 8)); // written by an active that then lost its role
    log.truncateAfter(5);
    assertBounds(1, 5, 2);
    assertEquals(OptionalLong.empty(), log.epochAt(6));

    log.append(batch(3, 6, 7)); // the new active's entries, epoch 3
    assertBounds(1, 7, 3);
    assertEquals(List.of(entry(1, 4), entry(2, 5), entry(3, 6), entry(3, 7)), readAll(4));
  }

  @Test
  void truncateAfterTakesTheLastEpochBackToTheRemainingEntry() {
    log.append(batch(1, 1, 3));
    log.append(batch(2, 4, 5));
    log.truncateAfter(3);
    assertBounds(1, 3, 1);
    log.append(batch(1, 4, 4)); // epoch 1 is allowed again: the epoch-2 tail is gone
    assertEquals(OptionalLong.of(1), log.epochAt(4));
  }

  @Test
  void truncateAfterTheEndOrBeyondChangesNothing() {
    log.append(batch(1, 1, 3));
    log.truncateAfter(3);
    log.truncateAfter(10);
    assertBounds(1, 3, 1);
    assertEquals(batch(1, 1, 3), readAll(1));
  }

  @Test
  void truncateAfterZeroEmptiesANewLog() {
    log.append(batch(2, 1, 3));
    log.truncateAfter(0);
    assertBounds(1, 0, 0);
    log.append(batch(1, 1, 1));
    assertEquals(batch(1, 1, 1), readAll(1));
  }

  @Test
  void truncateAfterDownToTheCompactionPointEmptiesTheLogButKeepsTheBase() {
    log.append(batch(1, 1, 5));
    log.append(batch(2, 6, 8));
    log.compactUpTo(5);
    log.truncateAfter(5);
    assertBounds(6, 5, 1);
    assertEquals(OptionalLong.of(1), log.epochAt(5));
  }

  @Test
  void truncateAfterBelowTheCompactionPointIsRefused() {
    log.append(batch(1, 1, 10));
    log.compactUpTo(6);
    LogCompactedException error = assertFailsNaming(LogCompactedException.class, () -> log.truncateAfter(4),
        "seq 4", "compacted", "snapshot");
    assertEquals(P, error.partition());
    assertEquals(4, error.seq());
    assertEquals(7, error.firstSeq());
    assertBounds(7, 10, 1);
  }

  @Test
  void truncateAfterNeverDropsARecordedCommittedEntry() {
    log.append(batch(1, 1, 10));
    log.writeMeta(new PartitionMeta(1, 7));
    assertFailsNaming(IllegalStateException.class, () -> log.truncateAfter(6), "committed", "seq 7");
    assertBounds(1, 10, 1);
    log.truncateAfter(7);
    assertBounds(1, 7, 1);
  }

  @Test
  void truncateAfterANegativeSeqIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> log.truncateAfter(-1));
  }

  // ---- compactUpTo: a snapshot covers a prefix ----

  @Test
  void compactUpToDropsThePrefixAndKeepsTheEpochOfItsLastEntry() {
    log.append(batch(1, 1, 4));
    log.append(batch(2, 5, 10));
    log.compactUpTo(6);
    assertBounds(7, 10, 2);
    assertEquals(OptionalLong.of(2), log.epochAt(6), "the entry just before the first retained one");
    assertEquals(OptionalLong.empty(), log.epochAt(5));
    assertEquals(batch(2, 7, 10), readAll(7));

    log.compactUpTo(4); // already compacted: nothing happens
    assertBounds(7, 10, 2);
    log.compactUpTo(6);
    assertBounds(7, 10, 2);
  }

  @Test
  void readingACompactedRangeFailsSayingASnapshotIsNeeded() {
    log.append(batch(1, 1, 10));
    log.compactUpTo(5);
    LogCompactedException error = assertFailsNaming(LogCompactedException.class, () -> log.read(3, 10, 1000),
        "seq 3", "compacted", "snapshot", "seq 6");
    assertEquals(P, error.partition());
    assertEquals(3, error.seq());
    assertEquals(6, error.firstSeq());
    assertEquals(entry(1, 6), log.read(6, 1, 1000).get(0));
  }

  @Test
  void compactingEverythingLeavesAnEmptyLogThatContinuesWhereItEnded() {
    log.append(batch(3, 1, 5));
    log.compactUpTo(5);
    assertBounds(6, 5, 3);
    assertEquals(OptionalLong.of(3), log.epochAt(5));
    assertEquals(List.of(), log.read(6, 10, 1000));
    assertFailsNaming(IllegalArgumentException.class, () -> log.append(List.of(entry(2, 6))),
        "expected epoch 3", "found epoch 2");
    assertFailsNaming(IllegalArgumentException.class, () -> log.append(List.of(entry(3, 7))),
        "expected seq 6", "found seq 7");
    log.append(batch(3, 6, 8));
    assertEquals(batch(3, 6, 8), readAll(6));
  }

  @Test
  void compactUpToPastTheEndIsRefused() {
    log.append(batch(1, 1, 3));
    assertFailsNaming(IllegalArgumentException.class, () -> log.compactUpTo(4), "seq 4", "last seq 3", "resetTo");
    assertThrows(IllegalArgumentException.class, () -> log.compactUpTo(-1));
    assertBounds(1, 3, 1);
  }

  @Test
  void repeatedCompactionsAndAppendsKeepPositionsRight() {
    long seq = 0;
    for (int round = 1; round <= 50; round++) {
      log.append(batch(round, seq + 1, seq + 20));
      seq += 20;
      log.compactUpTo(seq - 5);
      assertBounds(seq - 4, seq, round);
      assertEquals(batch(round, seq - 4, seq), readAll(seq - 4));
      assertEquals(OptionalLong.of(round), log.epochAt(seq - 5));
    }
  }

  @Test
  void cutsInsideLargeBatchesKeepEveryOtherEntryAlsoAcrossARestart() {
    List<LogEntry> expected = new ArrayList<>(batch(1, 1, 1_000));
    for (long seq = 1_001; seq <= 1_040; seq++) {
      byte[] payload = new byte[5_000]; // large entries: a storage that groups entries by bytes groups few
      payload[0] = (byte) seq;
      payload[payload.length - 1] = (byte) (seq >> 8);
      expected.add(new LogEntry(2, seq, payload));
    }
    log.append(expected.subList(0, 1_000));
    log.append(expected.subList(1_000, 1_040));
    log.compactUpTo(300);
    log.truncateAfter(1_020);
    expected = new ArrayList<>(expected.subList(300, 1_020));
    expected.addAll(batch(3, 1_021, 1_030));
    log.append(batch(3, 1_021, 1_030));
    assertHoldsExactly(expected, 300, 1);
    restartNode();
    assertHoldsExactly(expected, 300, 1);
  }

  @Test
  void compactingThousandsOfSmallBatchesAtOnceKeepsTheRestAlsoAcrossARestart() {
    for (long seq = 1; seq <= 3_000; seq++) {
      log.append(List.of(entry(1, seq)));
    }
    log.compactUpTo(2_500);
    assertHoldsExactly(batch(1, 2_501, 3_000), 2_500, 1);
    restartNode();
    assertHoldsExactly(batch(1, 2_501, 3_000), 2_500, 1);
  }

  /** The log holds exactly {@code entries}, contiguous, after a base at {@code baseSeq} of {@code baseEpoch}. */
  private void assertHoldsExactly(List<LogEntry> entries, long baseSeq, long baseEpoch) {
    LogEntry last = entries.get(entries.size() - 1);
    assertBounds(baseSeq + 1, last.seq(), last.epoch());
    assertEquals(entries, readAll(baseSeq + 1));
    for (int from = 0; from < entries.size(); from += 97) {
      assertEquals(entries.subList(from, Math.min(from + 10, entries.size())), log.read(entries.get(from).seq(), 10, Long.MAX_VALUE));
    }
    for (LogEntry entry : entries) {
      assertEquals(OptionalLong.of(entry.epoch()), log.epochAt(entry.seq()), "epoch at seq " + entry.seq());
    }
    assertEquals(OptionalLong.of(baseEpoch), log.epochAt(baseSeq));
    assertEquals(OptionalLong.empty(), log.epochAt(baseSeq - 1));
    assertEquals(OptionalLong.empty(), log.epochAt(last.seq() + 1));
    assertThrows(LogCompactedException.class, () -> log.read(baseSeq, 1, Long.MAX_VALUE));
    assertEquals(List.of(), log.read(last.seq() + 1, 1, Long.MAX_VALUE));
  }

  // ---- resetTo: a replica installs a snapshot ----

  @Test
  void resetToAheadOfTheLogInstallsTheSnapshotPoint() {
    log.append(batch(1, 1, 10));
    log.resetTo(100, 3);
    assertBounds(101, 100, 3);
    assertEquals(OptionalLong.of(3), log.epochAt(100), "the previous-entry check after the snapshot");
    assertEquals(OptionalLong.empty(), log.epochAt(5));
    assertThrows(LogCompactedException.class, () -> log.read(5, 10, 1000));
    assertEquals(List.of(), log.read(101, 10, 1000));

    assertFailsNaming(IllegalArgumentException.class, () -> log.append(List.of(entry(2, 101))),
        "expected epoch 3", "found epoch 2");
    log.append(batch(3, 101, 102));
    assertEquals(batch(3, 101, 102), readAll(101));
  }

  @Test
  void resetToBelowTheLogDropsEveryEntry() {
    log.append(batch(4, 1, 10));
    log.resetTo(6, 2);
    assertBounds(7, 6, 2);
    assertEquals(OptionalLong.of(2), log.epochAt(6));
    assertEquals(OptionalLong.empty(), log.epochAt(7));
    log.append(batch(2, 7, 7));
    assertEquals(batch(2, 7, 7), readAll(7));
  }

  @Test
  void resetToZeroMakesTheLogNewButKeepsTheMeta() {
    log.append(batch(1, 1, 3));
    log.writeMeta(new PartitionMeta(4, 0));
    log.resetTo(0, 0);
    assertBounds(1, 0, 0);
    assertEquals(OptionalLong.of(0), log.epochAt(0));
    assertEquals(new PartitionMeta(4, 0), log.readMeta());
  }

  @Test
  void resetToAPointThatCannotBeIsRefused() {
    log.append(batch(1, 1, 3));
    assertThrows(IllegalArgumentException.class, () -> log.resetTo(0, 1));
    assertThrows(IllegalArgumentException.class, () -> log.resetTo(5, 0));
    assertThrows(IllegalArgumentException.class, () -> log.resetTo(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> log.resetTo(5, -1));
    assertBounds(1, 3, 1);
  }

  // ---- meta ----

  @Test
  void metaRoundTrips() {
    log.writeMeta(new PartitionMeta(3, 17));
    assertEquals(new PartitionMeta(3, 17), log.readMeta());
    log.writeMeta(new PartitionMeta(3, 12)); // the committed seq is a lower bound; it may be rewritten lower
    assertEquals(new PartitionMeta(3, 12), log.readMeta());
  }

  @Test
  void thePromisedEpochNeverGoesDown() {
    log.writeMeta(new PartitionMeta(5, 0));
    assertFailsNaming(IllegalArgumentException.class, () -> log.writeMeta(new PartitionMeta(4, 0)),
        "expected 5 or more", "found 4");
    assertEquals(new PartitionMeta(5, 0), log.readMeta());
  }

  @Test
  void anAppendWithMetaWritesBoth_andSurvivesARestart() {
    log.append(batch(1, 1, 3), new PartitionMeta(1, 2));
    log.append(List.of(), new PartitionMeta(1, 3));

    restartNode();

    assertBounds(1, 3, 1);
    assertEquals(new PartitionMeta(1, 3), log.readMeta());
  }

  @Test
  void anAppendWithAMetaThatLowersThePromiseIsRefused_andAppendsNothing() {
    log.writeMeta(new PartitionMeta(5, 0));

    assertFailsNaming(IllegalArgumentException.class, () -> log.append(batch(5, 1, 2), new PartitionMeta(4, 1)),
        "expected 5 or more", "found 4");

    assertEquals(0, log.lastSeq());
    assertEquals(new PartitionMeta(5, 0), log.readMeta());
  }

  // ---- durability across a restart ----

  @Test
  void entriesBaseAndMetaSurviveARestart() {
    log.append(batch(1, 1, 6));
    log.append(batch(2, 7, 9));
    log.compactUpTo(4);
    log.truncateAfter(8);
    log.writeMeta(new PartitionMeta(2, 6));

    restartNode();

    assertBounds(5, 8, 2);
    assertEquals(OptionalLong.of(1), log.epochAt(4));
    assertEquals(List.of(entry(1, 5), entry(1, 6), entry(2, 7), entry(2, 8)), readAll(5));
    assertEquals(new PartitionMeta(2, 6), log.readMeta());
    log.append(batch(3, 9, 9));
    assertBounds(5, 9, 3);
  }

  @Test
  void aResetLogSurvivesARestart() {
    log.append(batch(1, 1, 3));
    log.resetTo(50, 4);
    restartNode();
    assertBounds(51, 50, 4);
    assertEquals(OptionalLong.of(4), log.epochAt(50));
  }

  // ---- handles and storage ----

  @Test
  void aClosedLogRefusesUseAndClosingTwiceIsHarmless() {
    log.append(batch(1, 1, 1));
    log.close();
    log.close();
    assertFailsNaming(IllegalStateException.class, () -> log.read(1, 1, 100), "closed");
    assertThrows(IllegalStateException.class, () -> log.append(batch(1, 2, 2)));
    assertThrows(IllegalStateException.class, log::lastSeq);
    assertThrows(IllegalStateException.class, log::readMeta);
    assertEquals(P, log.partition());
  }

  @Test
  void aLogHasOneOpenHandleAtATime() {
    assertFailsNaming(IllegalStateException.class, () -> storage.open(P), "already open");
    log.append(batch(1, 1, 2));
    log.close();
    PartitionLog again = storage.open(P);
    assertNotSame(log, again);
    assertEquals(batch(1, 1, 2), again.read(1, 10, 1000));
    log = again;
  }

  @Test
  void theStorageListsItsPartitionsAndDeletesOne() {
    PartitionLog q = storage.open(Q);
    q.append(batch(1, 1, 2));
    q.close();
    assertEquals(Set.of(P, Q), storage.partitions());

    storage.delete(Q);
    assertEquals(Set.of(P), storage.partitions());
    storage.delete(Q); // absent: nothing happens

    PartitionLog reopened = storage.open(Q);
    assertEquals(1, reopened.firstSeq());
    assertEquals(0, reopened.lastSeq());
    assertEquals(PartitionMeta.EMPTY, reopened.readMeta());
    reopened.close();
  }

  @Test
  void anOpenLogCannotBeDeleted() {
    assertFailsNaming(IllegalStateException.class, () -> storage.delete(P), "open");
    assertTrue(storage.partitions().contains(P));
  }

  @Test
  void partitionsHaveSeparateLogs() {
    PartitionLog q = storage.open(Q);
    log.append(batch(1, 1, 3));
    q.append(batch(7, 1, 1));
    q.writeMeta(new PartitionMeta(7, 1));
    assertBounds(1, 3, 1);
    assertEquals(PartitionMeta.EMPTY, log.readMeta());
    assertEquals(batch(7, 1, 1), q.read(1, 10, 1000));
    q.close();
  }

  @Test
  void closingTheStorageClosesItsLogs() {
    storage.close();
    assertThrows(IllegalStateException.class, log::lastSeq);
    assertThrows(IllegalStateException.class, () -> storage.open(Q));
  }

  // ---- load and concurrency ----

  @Test
  void manySmallBatchesStayFast() {
    // 100,000 appends of one entry each, every one read back, the log compacted every 1,000 appends
    // to a window of 50,000. Linear work takes a fraction of a second; a log that copies its retained
    // entries per append (100,000 x ~40,000) takes several seconds and fails the budget.
    assertTimeoutPreemptively(manySmallBatchesBudget(), this::appendAndReadManySmallBatches);
  }

  /**
   * The time {@link #manySmallBatchesStayFast} may take: generous (the in-memory log needs about a
   * tenth of it), so that it fails on a complexity mistake, not on a busy machine. A binding whose
   * writes cost more, such as one on disk, may give more.
   */
  protected Duration manySmallBatchesBudget() {
    return Duration.ofSeconds(3);
  }

  private void appendAndReadManySmallBatches() {
    int total = 100_000;
    int window = 50_000;
    for (long seq = 1; seq <= total; seq++) {
      LogEntry next = entry(1 + seq / 30_000, seq);
      log.append(List.of(next));
      assertEquals(next, log.read(seq, 4, Long.MAX_VALUE).get(0));
      if (seq % 1_000 == 0 && seq > window) {
        log.compactUpTo(seq - window);
      }
    }
    assertBounds(total - window + 1, total, 4);
    long expected = total - window + 1;
    for (long from = expected; from <= total; ) {
      List<LogEntry> page = log.read(from, 512, 64 * 1024);
      for (LogEntry e : page) {
        assertEquals(expected++, e.seq());
      }
      from += page.size();
    }
    assertEquals(total + 1, expected);
    assertEquals(OptionalLong.of(2), log.epochAt(total - window));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void readersOnOtherThreadsSeeWholeBatchesInOrderWhileTheWriterAppendsAndCompacts() throws Exception {
    // The writer compacts after every batch, so readers starting at firstSeq() race it all the time.
    int total = 200_000;
    int batchSize = 8;
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService readers = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        results.add(readers.submit(() -> readWhileWriting(writing, batchSize)));
      }
      for (long seq = 1; seq <= total; seq += batchSize) {
        log.append(batch(1 + seq / 10_000, seq, seq + batchSize - 1));
        if (seq > 2_000) {
          log.compactUpTo(seq - 1_000);
        }
      }
      writing.set(false);
      for (Future<Integer> result : results) {
        assertTrue(result.get() > 0, "each reader read something");
      }
    } finally {
      // If the writer failed, the readers still need telling to stop.
      writing.set(false);
      readers.shutdown();
      assertTrue(readers.awaitTermination(10, TimeUnit.SECONDS), "readers stopped");
    }
    assertEquals(total, log.lastSeq());
  }

  /** Reads from the first retained seq until the writer is done; checks order, content and batch ends. */
  private int readWhileWriting(AtomicBoolean writing, int batchSize) {
    int reads = 0;
    boolean lastRound = false;
    while (!lastRound) {
      lastRound = !writing.get();
      try {
        long from = log.firstSeq();
        List<LogEntry> page = log.read(from, 1_000, Long.MAX_VALUE);
        for (int i = 0; i < page.size(); i++) {
          LogEntry e = page.get(i);
          assertEquals(from + i, e.seq(), "entries in seq order without gaps");
          assertEquals(entry(1 + (e.seq() - (e.seq() - 1) % batchSize) / 10_000, e.seq()), e, "content of seq " + e.seq());
        }
        if (page.size() < 1_000 && !page.isEmpty()) {
          // A short page ends at the log's end, which is always the end of a whole batch.
          assertEquals(0, page.get(page.size() - 1).seq() % batchSize, "a read never sees half a batch");
        }
        reads++;
      } catch (LogCompactedException raced) {
        // The writer compacted between firstSeq() and read(): allowed by the contract; try again.
      }
    }
    return reads;
  }
}
