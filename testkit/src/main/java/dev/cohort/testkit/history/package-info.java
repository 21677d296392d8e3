/**
 * Recording what test clients did to a replicated service and checking the history afterwards, as
 * Jepsen and Knossos do: no acknowledged write lost, every key linearizable, invariants held.
 *
 * <p>A test's clients record each operation with a {@link dev.cohort.testkit.history.History}
 * (invocation, then an ok, fail or unknown outcome) while faults are injected; afterwards a {@link
 * dev.cohort.testkit.history.Checker} such as {@link
 * dev.cohort.testkit.history.Checkers#register()} judges the {@link
 * dev.cohort.testkit.history.History#snapshot() snapshot} and explains the first violation.
 *
 * <p>Outcomes must be honest for the checks to mean anything: report {@code fail} only when the
 * operation surely had no effect; anything uncertain (timeout, lost connection, crash of the node
 * serving it) is {@code unknown}. Nothing here uses actors or the wall clock.
 */
package dev.cohort.testkit.history;
