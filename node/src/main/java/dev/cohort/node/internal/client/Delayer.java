package dev.cohort.node.internal.client;

import java.time.Duration;

/** Runs a task later without holding a thread meanwhile: the actor system's scheduler, or a test's manual one. */
@FunctionalInterface
interface Delayer {
  /** Runs {@code task} once, {@code delay} from now. */
  void after(Duration delay, Runnable task);
}
