package dev.cohort.persistence;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Direct buffers through which the frequent writes (appends, state applies) put keys and values into a
 * {@link WriteBatch}. RocksJava copies a {@code byte[]} key or value into a native allocation of its
 * own for every put and frees it afterwards; a direct buffer it reads in place, copying once, into the
 * batch. One pair per thread, reused by every write made on it; a key or value larger than {@link
 * #MAX_BUFFERED_BYTES} goes the {@code byte[]} way rather than growing the buffers for good.
 */
final class BatchBuffers {
  /** Largest key or value put through a buffer: a whole chunk of the log fits. */
  static final int MAX_BUFFERED_BYTES = 256 * 1024;

  private static final int INITIAL_BYTES = 4 * 1024;
  /** A write batch's header: its sequence number and count. */
  private static final int BATCH_HEADER_BYTES = Long.BYTES + Integer.BYTES;
  /** The most a batch adds to a put's key and value: its type and two length varints. */
  private static final int RECORD_OVERHEAD_BYTES = 1 + 5 + 5;
  private static final byte[] NOTHING = new byte[0];
  private static final ThreadLocal<BatchBuffers> PER_THREAD = ThreadLocal.withInitial(BatchBuffers::new);

  private ByteBuffer key = ByteBuffer.allocateDirect(INITIAL_BYTES);
  private ByteBuffer value = ByteBuffer.allocateDirect(INITIAL_BYTES);

  private BatchBuffers() {}

  /** The buffers of the calling thread. */
  static BatchBuffers ofThisThread() {
    return PER_THREAD.get();
  }

  /**
   * The bytes a write batch of {@code records} puts holding {@code keyAndValueBytes} needs at most: a
   * batch made with that room is allocated once instead of grown by copying as it fills.
   */
  static int batchBytes(int records, long keyAndValueBytes) {
    return (int) Math.min(Integer.MAX_VALUE, BATCH_HEADER_BYTES + (long) records * RECORD_OVERHEAD_BYTES + keyAndValueBytes);
  }

  /** Puts {@code key} with {@code value} into {@code batch}. */
  void put(WriteBatch batch, byte[] key, byte[] value) throws RocksDBException {
    put(batch, key, NOTHING, value);
  }

  /** Puts the key {@code keyPrefix} followed by {@code keyRest} with {@code value} into {@code batch}. */
  void put(WriteBatch batch, byte[] keyPrefix, byte[] keyRest, byte[] value) throws RocksDBException {
    if (keyPrefix.length + keyRest.length > MAX_BUFFERED_BYTES || value.length > MAX_BUFFERED_BYTES) {
      batch.put(RocksDbDatabase.concat(keyPrefix, keyRest), value);
    } else {
      batch.put(key(keyPrefix, keyRest), valueBuffer(value.length).put(value).flip());
    }
  }

  /**
   * Puts {@code key} with a value of {@code valueBytes} bytes, which {@code encoder} writes into the
   * buffer it is given (at position 0, with room for exactly that many bytes).
   */
  void put(WriteBatch batch, byte[] key, int valueBytes, Consumer<ByteBuffer> encoder) throws RocksDBException {
    if (key.length > MAX_BUFFERED_BYTES || valueBytes > MAX_BUFFERED_BYTES) {
      ByteBuffer heap = ByteBuffer.allocate(valueBytes);
      encoder.accept(heap);
      batch.put(key, heap.array());
    } else {
      ByteBuffer out = valueBuffer(valueBytes).limit(valueBytes);
      encoder.accept(out);
      batch.put(key(key, NOTHING), out.flip());
    }
  }

  /** Deletes the key {@code keyPrefix} followed by {@code keyRest} in {@code batch}. */
  void delete(WriteBatch batch, byte[] keyPrefix, byte[] keyRest) throws RocksDBException {
    if (keyPrefix.length + keyRest.length > MAX_BUFFERED_BYTES) {
      batch.delete(RocksDbDatabase.concat(keyPrefix, keyRest));
    } else {
      batch.delete(key(keyPrefix, keyRest));
    }
  }

  private ByteBuffer key(byte[] prefix, byte[] rest) {
    key = withRoom(key, prefix.length + rest.length);
    return key.put(prefix).put(rest).flip();
  }

  private ByteBuffer valueBuffer(int bytes) {
    value = withRoom(value, bytes);
    return value;
  }

  /** {@code buffer} cleared, or a larger one (doubling, up to the most buffered) if it has no room for {@code bytes}. */
  private static ByteBuffer withRoom(ByteBuffer buffer, int bytes) {
    if (buffer.capacity() >= bytes) {
      return buffer.clear();
    }
    return ByteBuffer.allocateDirect(Math.min(MAX_BUFFERED_BYTES, Math.max(bytes, 2 * buffer.capacity())));
  }
}
