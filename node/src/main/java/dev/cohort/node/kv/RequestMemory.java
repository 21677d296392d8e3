package dev.cohort.node.kv;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The results of recent requests, per client, so that a retried write is answered with its first
 * result instead of being applied again. Part of the replicated state: it changes only by applying
 * entries, so every copy holds the same memory.
 *
 * <p>Bounds: for each client the {@code perClient} highest request sequences; at most {@code
 * maxClients} clients, forgetting the one whose last new request is the oldest. A request whose
 * sequence is below everything remembered for its client (with the client's memory full) is
 * expired: it cannot be told apart from an applied one that was forgotten.
 */
final class RequestMemory {
  private final int perClient;
  private final int maxClients;
  // Insertion order = order of each client's last new request, oldest first; deterministic because
  // entries are applied in seq order on every copy.
  private final LinkedHashMap<Long, TreeMap<Long, KvResult>> clients = new LinkedHashMap<>();

  RequestMemory(int perClient, int maxClients) {
    this.perClient = perClient;
    this.maxClients = maxClients;
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

  /** Remembers the result of a new request; the client becomes the most recent. */
  void remember(RequestId id, KvResult result) {
    TreeMap<Long, KvResult> window = clients.remove(id.client());
    if (window == null) {
      window = new TreeMap<>();
    }
    window.put(id.sequence(), result);
    keep(id.client(), window);
  }

  /** Every remembered client, least recent first, with its results by sequence. For snapshots. */
  Map<Long, TreeMap<Long, KvResult>> byClient() {
    return clients;
  }

  /**
   * Keeps {@code window} as the client's memory, as the most recent client, within the bounds. A
   * snapshot is restored by calling this in its order (least recent first).
   */
  void keep(long client, TreeMap<Long, KvResult> window) {
    clients.put(client, window);
    // A snapshot taken with larger bounds is cut down to these ones.
    while (window.size() > perClient) {
      window.pollFirstEntry();
    }
    if (clients.size() > maxClients) {
      Iterator<Long> eldest = clients.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }
}
