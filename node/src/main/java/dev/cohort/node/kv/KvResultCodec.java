package dev.cohort.node.kv;

import java.util.OptionalLong;

/**
 * The binary form of a remembered {@link KvResult}, as the request memory keeps it in the state
 * store: a tag byte (1 written, 2 deleted, 3 conflict, 4 unknown table, 5 too large), then the
 * result's fields (longs big-endian, strings as varint length + UTF-8).
 */
final class KvResultCodec {
  private static final int WRITTEN = 1;
  private static final int DELETED = 2;
  private static final int CONFLICT = 3;
  private static final int UNKNOWN_TABLE = 4;
  private static final int TOO_LARGE = 5;
  /** The most bytes a result takes but for a rejection naming an unknown table. */
  static final int MOST_BYTES = 32;

  private KvResultCodec() {}

  static byte[] encode(KvResult result) {
    var out = new WireWriter(MOST_BYTES);
    write(out, result);
    return out.toByteArray();
  }

  /** @throws MalformedPayloadException if the bytes are not one result */
  static KvResult decode(byte[] bytes) {
    var in = new WireReader(bytes, "remembered result");
    KvResult result = read(in);
    in.expectEnd();
    return result;
  }

  /** Writes {@code result} to {@code out}, as {@link #encode} does. */
  static void write(WireWriter out, KvResult result) {
    if (result instanceof KvResult.Written w) {
      out.writeByte(WRITTEN);
      out.writeLong(w.version());
      out.writeLong(w.seq());
    } else if (result instanceof KvResult.Deleted d) {
      out.writeByte(DELETED);
      out.writeLong(d.seq());
    } else if (result instanceof KvResult.Conflict c) {
      out.writeByte(CONFLICT);
      out.writeLong(c.expectedVersion());
      out.writeByte(c.currentVersion().isPresent() ? 1 : 0);
      out.writeLong(c.currentVersion().orElse(0));
    } else {
      Rejection rejection = ((KvResult.Rejected) result).rejection();
      if (rejection instanceof Rejection.UnknownTable u) {
        out.writeByte(UNKNOWN_TABLE);
        out.writeString(u.table(), "table name");
      } else if (rejection instanceof Rejection.TooLarge t) {
        out.writeByte(TOO_LARGE);
        out.writeLong(t.size());
        out.writeLong(t.max());
      } else {
        // Expired requests are answered but never remembered.
        throw new IllegalStateException("not a remembered result: " + result);
      }
    }
  }

  /**
   * Reads one result from {@code in}, as {@link #decode} does.
   *
   * @throws MalformedPayloadException if the bytes there are not one result
   */
  static KvResult read(WireReader in) {
    int tag = in.readByte("result tag");
    if (tag == WRITTEN) {
      return new KvResult.Written(in.readLong("version"), in.readLong("seq"));
    }
    if (tag == DELETED) {
      return new KvResult.Deleted(in.readLong("seq"));
    }
    if (tag == CONFLICT) {
      long expected = in.readLong("expected version");
      int present = in.readByte("current version present");
      long current = in.readLong("current version");
      if (present > 1) {
        throw in.malformed("current version present flag " + present + " is not 0 or 1");
      }
      return new KvResult.Conflict(expected, present == 1 ? OptionalLong.of(current) : OptionalLong.empty());
    }
    if (tag == UNKNOWN_TABLE) {
      return new KvResult.Rejected(new Rejection.UnknownTable(in.readString("table name")));
    }
    if (tag == TOO_LARGE) {
      return new KvResult.Rejected(new Rejection.TooLarge(in.readLong("size"), in.readLong("max")));
    }
    throw in.malformed("unknown result tag " + tag);
  }
}
