package dev.cohort.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Whatever their size, keys and values put through a thread's {@link BatchBuffers} reach the database
 * as given: small ones through the direct buffers (which grow as needed), ones over {@link
 * BatchBuffers#MAX_BUFFERED_BYTES} the {@code byte[]} way.
 */
class BatchBuffersTest {
  @TempDir Path dir;

  private static byte[] bytes(int size, int seed) {
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (seed + i * 31);
    }
    return out;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everySizeOfKeyAndValueIsWrittenAsGivenAndDeletesReachTheirKey() throws Exception {
    byte[] prefix = utf8("p/");
    byte[] small = bytes(10, 1);
    byte[] grown = bytes(100_000, 2); // past the buffers' first size
    byte[] huge = bytes(BatchBuffers.MAX_BUFFERED_BYTES + 1, 3);
    byte[] encoded = bytes(70_000, 4);
    byte[] hugeEncoded = bytes(BatchBuffers.MAX_BUFFERED_BYTES + 10, 5);
    byte[] hugeKeyRest = bytes(BatchBuffers.MAX_BUFFERED_BYTES, 6);
    RocksDbDatabase database = RocksDbDatabase.open(dir.resolve("db"), "cohort-test/1", "test database", false, 0);
    try (WriteOptions options = new WriteOptions()) {
      BatchBuffers buffers = BatchBuffers.ofThisThread();
      try (WriteBatch batch = new WriteBatch(BatchBuffers.batchBytes(8, 1_000_000))) {
        buffers.put(batch, prefix, utf8("small"), small);
        buffers.put(batch, prefix, utf8("grown"), grown);
        buffers.put(batch, prefix, utf8("huge"), huge);
        buffers.put(batch, prefix, hugeKeyRest, small);
        buffers.put(batch, utf8("p/encoded"), encoded.length, out -> out.put(encoded));
        buffers.put(batch, utf8("p/huge-encoded"), hugeEncoded.length, out -> out.put(hugeEncoded));
        buffers.put(batch, utf8("p/whole"), small);
        buffers.put(batch, prefix, utf8("gone"), small);
        buffers.delete(batch, prefix, utf8("gone"));
        database.write(options, batch, "write the test's batch");
      }
      assertArrayEquals(small, database.get(utf8("p/small"), "read"));
      assertArrayEquals(grown, database.get(utf8("p/grown"), "read"));
      assertArrayEquals(huge, database.get(utf8("p/huge"), "read"));
      assertArrayEquals(small, database.get(RocksDbDatabase.concat(prefix, hugeKeyRest), "read"));
      assertArrayEquals(encoded, database.get(utf8("p/encoded"), "read"));
      assertArrayEquals(hugeEncoded, database.get(utf8("p/huge-encoded"), "read"));
      assertArrayEquals(small, database.get(utf8("p/whole"), "read"));
      assertNull(database.get(utf8("p/gone"), "read"));

      try (WriteBatch batch = new WriteBatch()) {
        buffers.delete(batch, prefix, hugeKeyRest);
        buffers.put(batch, prefix, utf8("small"), Arrays.copyOf(small, 3)); // a shorter value after a longer one
        database.write(options, batch, "write the test's second batch");
      }
      assertNull(database.get(RocksDbDatabase.concat(prefix, hugeKeyRest), "read"));
      assertArrayEquals(Arrays.copyOf(small, 3), database.get(utf8("p/small"), "read"));
    } finally {
      database.close();
    }
  }
}
