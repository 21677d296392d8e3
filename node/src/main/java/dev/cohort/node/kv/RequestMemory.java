package dev.cohort.node.kv;

import dev.cohort.persistence.StateBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The results of recent requests, per client, so that a retried write is answered with its first
 * result instead of being applied again. Part of the replicated state: it changes only by applying
 * entries, so every copy holds the same memory. It is kept in the partition's state store and, for
 * lookups on every request, on the heap too: the bounds below bound it.
 *
 * <p>Bounds: for each client the {@code perClient} highest request sequences; at most {@code
 * maxClients} clients, forgetting the one whose last new request is the oldest. A request whose
 * sequence is below everything remembered for its client (with the client's memory full) is
 * expired: it cannot be told apart from an applied one that was forgotten.
 *
 * <p>In the store a client's results lie in chunks of {@value #RESULTS_PER_CHUNK}, in the order they
 * were applied ({@link StateKeys#REQUEST}), each with the seq of the entry that applied it, which
 * orders the clients again after a restart. A chunk is written once per state write while it fills,
 * and deleted when none of its results is remembered any more: a put costs the state about one write,
 * not a result written and an old one deleted. A chunk may keep results already forgotten; reading
 * the memory back forgets them again, because it keeps the same highest sequences.
 */
final class RequestMemory {
  /** Results per stored chunk: enough to make a write per request rare, few enough to rewrite cheaply. */
  static final int RESULTS_PER_CHUNK = 64;

  private final int perClient;
  private final int maxClients;
  private final StateBatch state;
  // Insertion order = order of each client's last new request, oldest first; deterministic because
  // entries are applied in seq order on every copy.
  private final LinkedHashMap<Long, Client> clients = new LinkedHashMap<>();
  // Chunks changed since the last write to the state batch.
  private final Set<Chunk> unwritten = new LinkedHashSet<>();

  /** The memory kept in {@code state}, as far as these bounds keep it. */
  RequestMemory(int perClient, int maxClients, StateBatch state) {
    this.perClient = perClient;
    this.maxClients = maxClients;
    this.state = state;
    load();
  }

  /** The first result of {@code id}, if remembered. */
  Optional<KvResult> recall(RequestId id) {
    Client client = clients.get(id.client());
    Remembered remembered = client == null ? null : client.window.get(id.sequence());
    return remembered == null ? Optional.empty() : Optional.of(remembered.result());
  }

  /** The lowest remembered sequence of the client, if {@code id} is below it and the memory is full. */
  Optional<Long> expiredBelow(RequestId id) {
    Client client = clients.get(id.client());
    if (client == null || client.window.size() < perClient || id.sequence() >= client.window.firstKey()) {
      return Optional.empty();
    }
    return Optional.of(client.window.firstKey());
  }

  /**
   * Remembers the result of a new request, applied in the entry at {@code seq}; the client becomes
   * the most recent.
   */
  void remember(long seq, RequestId id, KvResult result) {
    Client client = clients.remove(id.client());
    if (client == null) {
      client = new Client(id.client());
    }
    client.add(id.sequence(), seq, result);
    keep(client);
  }

  /** Puts the chunks changed since the last call into the state batch, to be written with it. */
  void writeChanges() {
    for (Chunk chunk : unwritten) {
      state.put(StateKeys.requests(chunk.client, chunk.number), chunk.encode());
    }
    unwritten.clear();
  }

  /** Keeps {@code client} as the most recent client, within the bounds. */
  private void keep(Client client) {
    clients.put(client.id, client);
    // Memory kept under larger bounds is cut down to these ones.
    while (client.window.size() > perClient) {
      client.forget(client.window.pollFirstEntry().getValue());
    }
    if (clients.size() > maxClients) {
      Iterator<Map.Entry<Long, Client>> eldest = clients.entrySet().iterator();
      Client forgotten = eldest.next().getValue();
      eldest.remove();
      forgotten.chunks.forEach(this::delete);
    }
  }

  private void delete(Chunk chunk) {
    unwritten.remove(chunk);
    state.delete(StateKeys.requests(chunk.client, chunk.number));
  }

  /**
   * Reads the memory from the state: every client's chunks in order, the clients in the order of
   * their last new request, which is the one applied last of those remembered (a new request is never
   * the one a full window forgets).
   */
  private void load() {
    var lastApplied = new HashMap<Long, Long>();
    var loaded = new HashMap<Long, Client>();
    state.forEach(new byte[] {StateKeys.REQUEST}, StateKeys.afterTag(StateKeys.REQUEST), (key, value) -> {
      long id = StateKeys.readLong(key, 1);
      Client client = loaded.computeIfAbsent(id, Client::new);
      // Keys come in order, so a client's chunks do too; the last one may be open still.
      Chunk chunk = new Chunk(id, StateKeys.readLong(key, 1 + Long.BYTES));
      client.chunks.addLast(chunk);
      var in = new WireReader(value, "remembered results");
      int count = in.readCount("result count", 2 * Long.BYTES + 1);
      for (int i = 0; i < count; i++) {
        long sequence = in.readLong("request sequence");
        long seq = in.readLong("seq");
        client.window.put(sequence, chunk.add(sequence, seq, KvResultCodec.read(in)));
        lastApplied.merge(id, seq, Math::max);
      }
      in.expectEnd();
    });
    List<Client> byRecency = new ArrayList<>(loaded.values());
    byRecency.sort(Comparator.comparing(client -> lastApplied.get(client.id)));
    byRecency.forEach(this::keep);
  }

  /** One remembered result, in its chunk. */
  private record Remembered(long sequence, long seq, KvResult result, Chunk chunk) {}

  /** One client's memory: its window on the heap and the chunks that store it. */
  private final class Client {
    final long id;
    final TreeMap<Long, Remembered> window = new TreeMap<>(); // by request sequence
    final ArrayDeque<Chunk> chunks = new ArrayDeque<>(); // oldest first; the last one fills

    Client(long id) {
      this.id = id;
    }

    void add(long sequence, long seq, KvResult result) {
      Chunk open = chunks.peekLast();
      if (open == null || open.isFull()) {
        open = new Chunk(id, open == null ? 0 : open.number + 1);
        chunks.addLast(open);
      }
      window.put(sequence, open.add(sequence, seq, result));
      unwritten.add(open);
    }

    /** Forgets a result taken out of the window; its chunk goes once it is full and holds no remembered one. */
    void forget(Remembered remembered) {
      Chunk chunk = remembered.chunk();
      chunk.remembered--;
      if (chunk.remembered == 0 && chunk.isFull()) {
        chunks.remove(chunk);
        delete(chunk);
      }
    }
  }

  /** Up to {@link #RESULTS_PER_CHUNK} results of one client, stored as one pair. */
  private static final class Chunk {
    final long client;
    final long number;
    final List<Remembered> results = new ArrayList<>(); // every result it got, forgotten ones too
    int remembered; // how many of them are still in the window

    Chunk(long client, long number) {
      this.client = client;
      this.number = number;
    }

    boolean isFull() {
      return results.size() >= RESULTS_PER_CHUNK;
    }

    Remembered add(long sequence, long seq, KvResult result) {
      var added = new Remembered(sequence, seq, result, this);
      results.add(added);
      remembered++;
      return added;
    }

    /** The count, then each result's request sequence, the seq that applied it and the result. */
    byte[] encode() {
      var out = new WireWriter(results.size() * (2 * Long.BYTES + KvResultCodec.MOST_BYTES) + Integer.BYTES);
      out.writeVarInt(results.size());
      for (Remembered result : results) {
        out.writeLong(result.sequence());
        out.writeLong(result.seq());
        KvResultCodec.write(out, result.result());
      }
      return out.toByteArray();
    }
  }
}
