package dev.cohort.node.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a run of a partition state's pairs, as one chunk of a state copy travels to a
 * replica: the number of pairs (varint), then for each the key and the value (varint length + bytes).
 */
public final class StateChunks {
  private static final int PAIR_OVERHEAD_BYTES = 10;

  private StateChunks() {}

  /** The bytes of {@code pairs}. */
  public static byte[] encode(List<Map.Entry<byte[], byte[]>> pairs) {
    int size = Integer.BYTES;
    for (var pair : pairs) {
      size += pair.getKey().length + pair.getValue().length + PAIR_OVERHEAD_BYTES;
    }
    var out = new WireWriter(size);
    out.writeVarInt(pairs.size());
    for (var pair : pairs) {
      out.writeBytes(pair.getKey());
      out.writeBytes(pair.getValue());
    }
    return out.toByteArray();
  }

  /**
   * The pairs in {@code bytes}.
   *
   * @throws MalformedPayloadException if the bytes are not pairs in this form
   */
  public static List<Map.Entry<byte[], byte[]>> decode(byte[] bytes) {
    var in = new WireReader(bytes, "state chunk");
    int count = in.readCount("pair count", 2);
    var pairs = new ArrayList<Map.Entry<byte[], byte[]>>(count);
    for (int i = 0; i < count; i++) {
      pairs.add(Map.entry(in.readBytes("key"), in.readBytes("value")));
    }
    in.expectEnd();
    return pairs;
  }
}
