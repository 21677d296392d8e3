package dev.cohort.node.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cohort.api.NodeName;
import dev.cohort.node.StorageSettings;
import dev.cohort.persistence.CachingLogStorage;
import dev.cohort.persistence.InMemoryLogStorage;
import dev.cohort.persistence.InMemoryStateStorage;
import dev.cohort.persistence.LogStorage;
import dev.cohort.persistence.RocksDbLogStorage;
import dev.cohort.persistence.RocksDbStateStorage;
import dev.cohort.persistence.StateStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A node's storage: the logs of its partitions and their applied states, each in a store of its own
 * (a RocksDB database each, in the node's directory, or the heap). Opened before the node starts,
 * closed once its actors have stopped.
 *
 * @param logs the partition logs
 * @param states the partitions' applied states
 * @param dir the node's own directory, or null for the heap
 */
public record NodeStorage(LogStorage logs, StateStorage states, Path dir) implements AutoCloseable {

  /**
   * What a JVM that runs a node on disk needs: Distributed Data's LMDB store (lmdbjava) reaches into
   * direct buffers. {@code bin/cohort}'s jar declares it in its manifest; JVMs started with {@code -cp}
   * need these options.
   */
  public static final List<String> JVM_OPTIONS = List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");

  /**
   * Opens the storage of node {@code node} as {@code settings} say, finding what it held before.
   *
   * @throws IllegalStateException if another process (or node in this one) has the node's directory
   *     open, or the directory holds something else
   * @throws java.io.UncheckedIOException if the directory cannot be created or opened
   */
  public static NodeStorage open(StorageSettings settings, NodeName node) {
    if (settings.engine() == StorageSettings.Engine.MEMORY) {
      return new NodeStorage(InMemoryLogStorage.create(), new InMemoryStateStorage(), null);
    }
    Module base = ByteBuffer.class.getModule();
    if (!base.isOpen("java.nio", NodeStorage.class.getModule())
        || !base.isExported("sun.nio.ch", NodeStorage.class.getModule())) {
      throw new IllegalStateException("cohort.storage.engine = rocksdb keeps the partition table on disk with Pekko "
          + "Distributed Data's LMDB store, which needs the JVM option " + String.join(" ", JVM_OPTIONS)
          + " (bin/cohort sets it); add it, or set cohort.storage.engine = memory");
    }
    Path dir = settings.nodeDir(node).toAbsolutePath();
    LogStorage logs = CachingLogStorage.of(RocksDbLogStorage.open(dir.resolve("log"), settings.fsync()),
        settings.cachedBytesPerPartition());
    try {
      StateStorage states = RocksDbStateStorage.open(dir.resolve("state"), settings.stateFlushInterval());
      return new NodeStorage(logs, states, dir);
    } catch (RuntimeException e) {
      logs.close();
      throw e;
    }
  }

  /**
   * The Pekko settings that go with this storage: on disk, Distributed Data keeps the partition
   * table in the node's directory too (LMDB), so that a cluster whose every node restarts finds the
   * table that says which copies were in sync, and with it, whose data to trust.
   */
  public Config pekkoSettings() {
    if (!durable()) {
      return ConfigFactory.empty();
    }
    return ConfigFactory.parseMap(Map.of(
        "pekko.cluster.distributed-data.durable.keys", List.of(TableRegister.KEY.id()),
        "pekko.cluster.distributed-data.durable.lmdb.dir", dir.resolve("ddata").toString()));
  }

  /** Whether what is stored outlives the process. */
  public boolean durable() {
    return dir != null;
  }

  /** Closes both stores; a second caller waits until the first has closed them. */
  @Override
  public synchronized void close() {
    try {
      logs.close();
    } finally {
      states.close();
    }
  }
}
