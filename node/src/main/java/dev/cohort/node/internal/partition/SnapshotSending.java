package dev.cohort.node.internal.partition;

import dev.cohort.node.kv.StateChunks;
import dev.cohort.persistence.StateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A copy of the active's state on its way to one replica (DESIGN step 7): a view of the state as of
 * one seq, read and sent one chunk at a time as the replica asks for it, so that neither side holds
 * the whole state in memory and the active goes on applying meanwhile. Close it to release the view.
 */
final class SnapshotSending implements AutoCloseable {
  /** Pairs read from the view at a time while filling a chunk. */
  private static final int SCAN_PAIRS = 256;
  /** Bytes a pair takes in a chunk besides its key and value (two length prefixes at most). */
  private static final int PAIR_OVERHEAD_BYTES = 10;

  private final StateStore.View view;
  private final long epoch;
  private final long chunkBytes;
  private int chunk = -1;
  private byte[] chunkStart;
  private byte[] nextStart;
  private long pairsBefore;
  private long pairsSent;

  /** One chunk: its index, whether it ends the copy, and its pairs ({@link StateChunks}). */
  record Chunk(int index, boolean last, byte[] bytes) {}

  /**
   * Sends {@code view}, whose seq's entry has {@code epoch}, in chunks of about {@code chunkBytes}
   * (a single larger pair travels alone).
   */
  SnapshotSending(StateStore.View view, long epoch, long chunkBytes) {
    this.view = view;
    this.epoch = epoch;
    this.chunkBytes = chunkBytes;
  }

  /** The seq the copy is as of. */
  long seq() {
    return view.appliedSeq();
  }

  /** The epoch of the entry at {@link #seq()}. */
  long epoch() {
    return epoch;
  }

  /** The index of the chunk sent last; -1 before the first. */
  int chunkIndex() {
    return chunk;
  }

  /** Pairs in the chunks sent, up to the last one. */
  long pairsSent() {
    return pairsSent;
  }

  /**
   * The chunk at {@code index}: the one sent last again (it or its answer was lost), the one after
   * it, or, for any other index, the first (the replica starts over).
   */
  Chunk chunk(int index) {
    byte[] from;
    if (index == chunk && chunkStart != null) {
      from = chunkStart;
    } else if (index == chunk + 1 && nextStart != null) {
      from = nextStart;
      pairsBefore = pairsSent;
    } else {
      index = 0;
      from = new byte[0];
      pairsBefore = 0;
    }
    var pairs = new ArrayList<Map.Entry<byte[], byte[]>>();
    boolean last = fill(from, pairs);
    chunk = index;
    chunkStart = from;
    nextStart = last ? null : justAfter(pairs.get(pairs.size() - 1).getKey());
    pairsSent = pairsBefore + pairs.size();
    return new Chunk(index, last, StateChunks.encode(pairs));
  }

  /** Adds the pairs from {@code from} on, up to the chunk's size; returns whether the state ended. */
  private boolean fill(byte[] from, List<Map.Entry<byte[], byte[]>> pairs) {
    long bytes = 0;
    byte[] cursor = from;
    while (true) {
      List<Map.Entry<byte[], byte[]>> page = view.scan(cursor, null, SCAN_PAIRS);
      for (var pair : page) {
        long size = pair.getKey().length + pair.getValue().length + PAIR_OVERHEAD_BYTES;
        if (!pairs.isEmpty() && bytes + size > chunkBytes) {
          return false;
        }
        pairs.add(pair);
        bytes += size;
      }
      if (page.size() < SCAN_PAIRS) {
        return true;
      }
      cursor = justAfter(page.get(page.size() - 1).getKey());
    }
  }

  /** The first key after {@code key}. */
  private static byte[] justAfter(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  @Override
  public void close() {
    view.close();
  }
}
