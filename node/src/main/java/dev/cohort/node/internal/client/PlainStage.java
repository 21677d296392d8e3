package dev.cohort.node.internal.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Stages that Pekko hands out (from {@code AskPattern.ask}, streams, HTTP) are Scala futures
 * converted to {@code CompletionStage}s, which run every callback, even a non-async one, on the
 * common pool; with 2 cores that pool has one thread and {@code CompletableFuture} starts a new
 * thread per callback instead (measured: ~170 µs each, thousands a second under load). Converted
 * here into a plain {@link CompletableFuture} completed on the thread that completes the original,
 * whose callbacks then run where Java's rules say.
 */
final class PlainStage {
  /** Runs a callback on the thread that completed the stage: callbacks here are short and never block. */
  private static final Executor SAME_THREAD = Runnable::run;

  private PlainStage() {}

  /** A plain future with the outcome of {@code stage}. */
  static <T> CompletableFuture<T> of(CompletionStage<T> stage) {
    var plain = new CompletableFuture<T>();
    stage.whenCompleteAsync((value, error) -> {
      if (error != null) {
        plain.completeExceptionally(error);
      } else {
        plain.complete(value);
      }
    }, SAME_THREAD);
    return plain;
  }
}
