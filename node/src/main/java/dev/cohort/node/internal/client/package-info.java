/**
 * The client side of the replicated key-value tables: what a call from any member becomes before it
 * reaches a partition's active, and the HTTP routes over it.
 *
 * <p>The decisions are pure and tested as tables of cases: which partition a key maps to ({@link
 * dev.cohort.node.internal.client.KeyPartitions}), where an attempt goes ({@link
 * dev.cohort.node.internal.client.Target}), what an answer means ({@link
 * dev.cohort.node.internal.client.Replies}) and how much time is left ({@link
 * dev.cohort.node.internal.client.Deadline}). {@link dev.cohort.node.internal.client.Router} is the
 * shell that runs them: it never blocks, waits on the actor system's scheduler, and bounds the
 * requests in flight.
 */
package dev.cohort.node.internal.client;
