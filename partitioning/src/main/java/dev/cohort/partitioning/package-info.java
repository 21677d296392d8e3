/**
 * Partition to nodes: where each partition's active and ordered replicas live, and how that
 * changes as nodes join and leave.
 *
 * <p>{@link dev.cohort.partitioning.PlacementPlanner#plan} turns the configured shape, the live
 * nodes and the {@link dev.cohort.partitioning.PartitionTable} in force into the next table, with
 * the per-partition epochs and a {@link dev.cohort.partitioning.PlacementPlan} that says what
 * changed (active changes, data moves, replica-slot changes). Everything here is pure,
 * deterministic Java: no actors, clocks or randomness; the node module runs it in the coordinator
 * and publishes the table through Distributed Data.
 */
package dev.cohort.partitioning;
