/**
 * The decisions of the replicated partition log, as plain classes without actors: the partition
 * actors are thin shells that feed these with messages, storage completions and the time, and carry
 * out what they return.
 *
 * <h2>The log contract these decisions assume</h2>
 *
 * <ul>
 *   <li>One log per partition. Positions ({@code seq}) start at 1 and are never reused; {@code 0}
 *       means "before the first entry". Every entry carries the epoch of the active that wrote it,
 *       and epochs never decrease along a log. Ranges are inclusive unless a name says otherwise
 *       ({@code truncateAfter = 7} keeps 7 and drops 8 onwards).
 *   <li>Single writer: in one epoch only that epoch's active creates entries, and it never rewrites
 *       a seq it wrote. So an (epoch, seq) pair names one entry everywhere, and two logs that hold
 *       the same pair hold the same entries up to it (log matching).
 *   <li>Stages of an entry: <em>appended</em> (in a node's log) → <em>durable</em> (survives the
 *       node's crash, per the fsync policy) → <em>committed</em> (durable on the copies the {@link
 *       dev.cohort.node.replication.CommitPolicy} requires; from then on it is in every future
 *       active's log) → <em>applied</em> (the state machines have seen it, in seq order).
 *   <li>A committed entry is never truncated. Only the uncommitted tail that a new active lacks is
 *       dropped, and only on a replica (DESIGN step 6).
 * </ul>
 *
 * <p>Seqs and epochs are plain {@code long}s here so that these classes do not depend on the
 * storage module; epoch {@code 0} means "no entry".
 */
package dev.cohort.node.replication;
