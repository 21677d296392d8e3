package dev.cohort.node.kv;

import dev.cohort.persistence.StateBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The results of recent requests, per client, so that a retried write is answered with its first
 * result instead of being applied again. Part of the replicated state: it changes only by applying
 * entries, so every copy holds the same memory. It is kept in the partition's state store ({@link
 * StateKeys#REQUEST}: each result with the seq of the entry that applied it, which orders the clients
 * again after a restart) and, for lookups on every request, on the heap too: the bounds below bound
 * it.
 *
 * <p>Bounds: for each client the {@code perClient} highest request sequences; at most {@code
 * maxClients} clients, forgetting the one whose last new request is the oldest. A request whose
 * sequence is below everything remembered for its client (with the client's memory full) is
 * expired: it cannot be told apart from an applied one that was forgotten.
 */
final class RequestMemory {
  private final int perClient;
  private final int maxClients;
  private final StateBatch state;
  // Insertion order = order of each client's last new request, oldest first; deterministic because
  // entries are applied in seq order on every copy.
  private final LinkedHashMap<Long, TreeMap<Long, KvResult>> clients = new LinkedHashMap<>();

  /** The memory kept in {@code state}, as far as these bounds keep it. */
  RequestMemory(int perClient, int maxClients, StateBatch state) {
    this.perClient = perClient;
    this.maxClients = maxClients;
    this.state = state;
    load();
  }

  /** The first result of {@code id}, if remembered. */
  Optional<KvResult> recall(RequestId id) {
    TreeMap<Long, KvResult> window = clients.get(id.client());
    return window == null ? Optional.empty() : Optional.ofNullable(window.get(id.sequence()));
  }

  /** The lowest remembered sequence of the client, if {@code id} is below it and the memory is full. */
  Optional<Long> expiredBelow(RequestId id) {
    TreeMap<Long, KvResult> window = clients.get(id.client());
    if (window == null || window.size() < perClient || id.sequence() >= window.firstKey()) {
      return Optional.empty();
    }
    return Optional.of(window.firstKey());
  }

  /**
   * Remembers the result of a new request, applied in the entry at {@code seq}; the client becomes
   * the most recent.
   */
  void remember(long seq, RequestId id, KvResult result) {
    TreeMap<Long, KvResult> window = clients.remove(id.client());
    if (window == null) {
      window = new TreeMap<>();
    }
    window.put(id.sequence(), result);
    byte[] encoded = KvResultCodec.encode(result);
    state.put(StateKeys.request(id.client(), id.sequence()),
        ByteBuffer.allocate(Long.BYTES + encoded.length).putLong(seq).put(encoded).array());
    keep(id.client(), window);
  }

  /** Keeps {@code window} as the client's memory, as the most recent client, within the bounds. */
  private void keep(long client, TreeMap<Long, KvResult> window) {
    clients.put(client, window);
    // Memory kept under larger bounds is cut down to these ones.
    while (window.size() > perClient) {
      state.delete(StateKeys.request(client, window.pollFirstEntry().getKey()));
    }
    if (clients.size() > maxClients) {
      Iterator<Map.Entry<Long, TreeMap<Long, KvResult>>> eldest = clients.entrySet().iterator();
      Map.Entry<Long, TreeMap<Long, KvResult>> forgotten = eldest.next();
      eldest.remove();
      for (long sequence : forgotten.getValue().keySet()) {
        state.delete(StateKeys.request(forgotten.getKey(), sequence));
      }
    }
  }

  /**
   * Reads the memory from the state: every client's results, the clients in the order of their last
   * new request, which is the one applied last of those remembered (a new request is never the one a
   * full window forgets).
   */
  private void load() {
    var lastApplied = new HashMap<Long, Long>();
    var windows = new HashMap<Long, TreeMap<Long, KvResult>>();
    state.forEach(new byte[] {StateKeys.REQUEST}, StateKeys.afterTag(StateKeys.REQUEST), (key, value) -> {
      long client = StateKeys.readLong(key, 1);
      lastApplied.merge(client, StateKeys.readLong(value, 0), Math::max);
      windows.computeIfAbsent(client, c -> new TreeMap<>()).put(StateKeys.readLong(key, 1 + Long.BYTES),
          KvResultCodec.decode(Arrays.copyOfRange(value, Long.BYTES, value.length)));
    });
    List<Long> byRecency = new ArrayList<>(windows.keySet());
    byRecency.sort(Comparator.comparing(lastApplied::get));
    for (long client : byRecency) {
      keep(client, windows.get(client));
    }
  }
}
