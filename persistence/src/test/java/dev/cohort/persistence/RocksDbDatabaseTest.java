package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

class RocksDbDatabaseTest {
  private static final String FORMAT = "cohort-test/1";
  private static final int ROUNDS = 6;
  private static final int KEYS_PER_ROUND = 2_000;

  @TempDir Path dir;

  /**
   * Given write-ahead log files that RocksDB reuses once their data is flushed (so an old file still
   * holds older records past what was written to it last), when the process stops without closing
   * the database, then reopening its files finds exactly the writes made: none lost, none of the
   * reused file's old records replayed.
   */
  @Test
  void aDatabaseStoppedWithoutClosingOnReusedLogFilesRecoversExactlyItsWrites() throws Exception {
    Path live = dir.resolve("live");
    var expected = new TreeMap<String, String>();
    RocksDbDatabase database = RocksDbDatabase.open(live, FORMAT, "test database", false, 0);
    try (WriteOptions unsynced = new WriteOptions(); FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < KEYS_PER_ROUND; i++) {
          String key = "key-" + i;
          // Later rounds overwrite earlier ones and delete some keys: an old record replayed would show.
          if (round > 0 && i % 7 == round) {
            write(database, unsynced, key, null);
            expected.remove(key);
          } else {
            String value = "round-" + round + "-value-" + i;
            write(database, unsynced, key, value);
            expected.put(key, value);
          }
        }
        if (round < ROUNDS - 1) {
          database.db.flush(flush); // the memtable to a table file: its log file goes to the reuse list
        }
      }
      database.syncWal("sync the test's writes");
      assertTrue(Files.readString(live.resolve("LOG")).contains("reusing log"),
          "the last round's writes went to a reused log file");
      // What a process killed now leaves on the device: the files as they are, the database open.
      Path crashed = dir.resolve("crashed");
      copyFiles(live, crashed);

      RocksDbDatabase reopened = RocksDbDatabase.open(crashed, FORMAT, "test database", false, 0);
      try {
        assertEquals(expected, contents(reopened));
      } finally {
        reopened.close();
      }
    } finally {
      database.close();
    }
  }

  /**
   * Given a database that keeps memtable insert positions per key prefix, when appends to several
   * prefixes interleave (as the logs of many partitions do) among keys too short to have one, then
   * RocksDB took the option and every key reads back, in key order.
   */
  @Test
  void insertPositionsKeptPerPrefixLeaveEveryKeyInOrder() throws Exception {
    Path hinted = dir.resolve("hinted");
    var expected = new TreeMap<String, String>();
    RocksDbDatabase database = RocksDbDatabase.open(hinted, FORMAT, "test database", false, 5);
    try (WriteOptions unsynced = new WriteOptions()) {
      for (int seq = KEYS_PER_ROUND; seq > 0; seq--) {
        for (int log = 0; log < 3; log++) {
          // Each prefix's keys go in descending order here, so a kept position is always on the wrong side.
          String key = "log" + log + "|" + String.format("%08d", seq);
          write(database, unsynced, key, "entry-" + seq);
          expected.put(key, "entry-" + seq);
        }
        if (seq % 100 == 0) {
          write(database, unsynced, "s" + seq, "short");
          expected.put("s" + seq, "short");
        }
      }
      try (Stream<Path> files = Files.list(hinted)) {
        Path options = files.filter(file -> file.getFileName().toString().startsWith("OPTIONS-")).findFirst().orElseThrow();
        assertTrue(Files.readString(options).contains("memtable_insert_with_hint_prefix_extractor=rocksdb.FixedPrefix.5"),
            "the database's options file names the prefix");
      }
      var inOrder = new ArrayList<String>();
      contents(database, inOrder);
      assertEquals(new ArrayList<>(expected.keySet()), inOrder);
      assertEquals(expected, contents(database));
    } finally {
      database.close();
    }
  }

  private static void write(RocksDbDatabase database, WriteOptions options, String key, String value)
      throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
      if (value == null) {
        batch.delete(keyBytes);
      } else {
        batch.put(keyBytes, value.getBytes(StandardCharsets.UTF_8));
      }
      database.write(options, batch, "write " + key);
    }
  }

  private static TreeMap<String, String> contents(RocksDbDatabase database) {
    return contents(database, new ArrayList<>());
  }

  /** The database's pairs, but for its format marker; their keys also go to {@code keys} in the order read. */
  private static TreeMap<String, String> contents(RocksDbDatabase database, List<String> keys) {
    var found = new TreeMap<String, String>();
    try (RocksIterator it = database.db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (it.key().length == 1 && it.key()[0] == RocksDbDatabase.FORMAT_KEY[0]) {
          assertArrayEquals(FORMAT.getBytes(StandardCharsets.UTF_8), it.value());
          continue;
        }
        String key = new String(it.key(), StandardCharsets.UTF_8);
        keys.add(key);
        found.put(key, new String(it.value(), StandardCharsets.UTF_8));
      }
    }
    return found;
  }

  /** What a process killed now leaves of a database's directory: its files as they are, the database open. */
  static void copyFiles(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }
}
