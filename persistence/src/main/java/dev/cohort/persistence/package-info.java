/**
 * Storage of a node's partition logs and applied states: the contracts ({@link
 * dev.cohort.persistence.PartitionLog}, {@link dev.cohort.persistence.LogStorage}, {@link
 * dev.cohort.persistence.StateStore}, {@link dev.cohort.persistence.StateStorage}), their in-memory
 * implementations for tests and nodes that need no durability, and their RocksDB implementations
 * ({@link dev.cohort.persistence.RocksDbLogStorage}, {@link
 * dev.cohort.persistence.RocksDbStateStorage}), each in a directory of its own, with the {@link
 * dev.cohort.persistence.FsyncPolicy} that says what a write survives. No actors here: the node's
 * sequencer and replica follower call these from their own threads, and the replication layer above
 * decides what is committed and applied.
 *
 * <p>The log contract, with its ranges and the appended → durable → committed → applied stages, is
 * written on {@link dev.cohort.persistence.PartitionLog}. Each implementation is checked by the
 * behavioural suites {@code PartitionLogContract} and {@code StateStoreContract} in this module's
 * tests, bound to it by a short subclass.
 */
package dev.cohort.persistence;
