package dev.cohort.testkit;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * A node paused as under a long GC pause: every thread of its default dispatcher (where Cohort
 * runs all its actors, its remoting and its HTTP API) is held until {@link #release()}, so it sends
 * no heartbeat and handles no message.
 */
final class Pause {
  private static final String POOL = "pekko.actor.default-dispatcher.fork-join-executor";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final CountDownLatch released = new CountDownLatch(1);

  private Pause() {}

  /** Holds every thread of {@code system}'s default dispatcher; returns once all are held. */
  static Pause of(ActorSystem<?> system) {
    int threads = poolSize(system.settings().config());
    var pause = new Pause();
    var held = new CountDownLatch(threads);
    Executor dispatcher = system.dispatchers().lookup(DispatcherSelector.defaultDispatcher());
    for (int i = 0; i < threads; i++) {
      dispatcher.execute(() -> {
        held.countDown();
        pause.awaitRelease();
      });
    }
    try {
      if (!held.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        pause.release();
        throw new IllegalStateException("could not hold all " + threads + " dispatcher threads of " + system.name());
      }
    } catch (InterruptedException e) {
      pause.release();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pausing " + system.name(), e);
    }
    return pause;
  }

  /** Lets the node's threads run again. */
  void release() {
    released.countDown();
  }

  private void awaitRelease() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The pool size Pekko computes for the default dispatcher: cores x factor, within [min, max]. */
  private static int poolSize(Config config) {
    int min = config.getInt(POOL + ".parallelism-min");
    double factor = config.getDouble(POOL + ".parallelism-factor");
    int max = config.getInt(POOL + ".parallelism-max");
    int scaled = (int) Math.ceil(Runtime.getRuntime().availableProcessors() * factor);
    return Math.min(Math.max(scaled, min), max);
  }
}
