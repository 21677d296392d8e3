/**
 * The replicated key-value table, the first state machine on the partition log: commands, their
 * binary form in a log entry's payload, the state machine that applies committed entries in seq
 * order, and its snapshot. No actors and no clock: every copy that applies the same entries in the
 * same order reaches the same state and gives the same results.
 */
package dev.cohort.node.kv;
