package dev.cohort.persistence;

import dev.cohort.api.PartitionId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link StateStorage} on the heap, for tests and nodes without disks: the state is lost when the
 * process ends. A view copies the state, so it suits small states only.
 */
public final class InMemoryStateStorage implements StateStorage {
  private final TreeMap<PartitionId, Store> stores = new TreeMap<>();
  private boolean closed;

  @Override
  public synchronized StateStore open(PartitionId partition) {
    requireOpen();
    return stores.computeIfAbsent(partition, Store::new);
  }

  @Override
  public synchronized SortedSet<PartitionId> partitions() {
    requireOpen();
    return new TreeSet<>(stores.keySet());
  }

  @Override
  public synchronized void delete(PartitionId partition) {
    requireOpen();
    Store removed = stores.remove(partition);
    if (removed != null) {
      removed.close();
    }
  }

  @Override
  public void sync() {
    // The heap has nothing to sync.
  }

  @Override
  public synchronized void close() {
    closed = true;
    stores.values().forEach(Store::close);
    stores.clear();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the in-memory state storage is closed");
    }
  }

  private static TreeMap<byte[], byte[]> newMap() {
    return new TreeMap<>(Arrays::compareUnsigned);
  }

  private static List<Map.Entry<byte[], byte[]>> scan(NavigableMap<byte[], byte[]> pairs, byte[] fromKey, byte[] toKey,
      int max) {
    NavigableMap<byte[], byte[]> range = toKey == null ? pairs.tailMap(fromKey, true)
        : pairs.subMap(fromKey, true, toKey, false);
    var found = new ArrayList<Map.Entry<byte[], byte[]>>();
    for (var pair : range.entrySet()) {
      if (found.size() >= max) {
        break;
      }
      found.add(Map.entry(pair.getKey().clone(), pair.getValue().clone()));
    }
    return found;
  }

  private static final class Store implements StateStore {
    private final PartitionId partition;
    private TreeMap<byte[], byte[]> pairs = newMap();
    private long appliedSeq;
    private boolean closed;

    Store(PartitionId partition) {
      this.partition = partition;
    }

    @Override
    public PartitionId partition() {
      return partition;
    }

    @Override
    public synchronized long appliedSeq() {
      requireOpen();
      return appliedSeq;
    }

    /** The applied seq: the heap keeps everything applied for as long as it keeps anything. */
    @Override
    public long durableSeq() {
      return appliedSeq();
    }

    @Override
    public synchronized Optional<byte[]> get(byte[] key) {
      requireOpen();
      byte[] value = pairs.get(key);
      return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    @Override
    public synchronized List<Map.Entry<byte[], byte[]>> scan(byte[] fromKey, byte[] toKey, int max) {
      requireOpen();
      return InMemoryStateStorage.scan(pairs, fromKey, toKey, max);
    }

    @Override
    public synchronized void apply(long seq, Changes changes) {
      requireOpen();
      StateRules.checkApplies(partition, appliedSeq, seq);
      for (var change : changes.list()) {
        if (change.getValue() == null) {
          pairs.remove(change.getKey());
        } else {
          pairs.put(change.getKey(), change.getValue());
        }
      }
      appliedSeq = seq;
    }

    @Override
    public synchronized View view() {
      requireOpen();
      TreeMap<byte[], byte[]> copy = newMap();
      copy.putAll(pairs);
      long seq = appliedSeq;
      return new View() {
        @Override
        public long appliedSeq() {
          return seq;
        }

        @Override
        public List<Map.Entry<byte[], byte[]>> scan(byte[] fromKey, byte[] toKey, int max) {
          return InMemoryStateStorage.scan(copy, fromKey, toKey, max);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public synchronized Install install(long seq) {
      requireOpen();
      StateRules.checkInstall(partition, seq);
      pairs = newMap();
      appliedSeq = 0;
      return new Install() {
        @Override
        public void write(List<Map.Entry<byte[], byte[]>> written) {
          synchronized (Store.this) {
            requireOpen();
            written.forEach(pair -> pairs.put(pair.getKey().clone(), pair.getValue().clone()));
          }
        }

        @Override
        public void commit() {
          synchronized (Store.this) {
            requireOpen();
            appliedSeq = seq;
          }
        }
      };
    }

    synchronized void close() {
      closed = true;
    }

    private void requireOpen() {
      if (closed) {
        throw new IllegalStateException("the state of " + partition + " is closed or deleted");
      }
    }
  }
}
