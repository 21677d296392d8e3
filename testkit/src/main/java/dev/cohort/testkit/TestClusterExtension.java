package dev.cohort.testkit;

import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link TestCluster} for JUnit 5 tests and stops it afterwards, whatever the test did.
 * Registered on a static field, one cluster serves the whole class; on an instance field, each test
 * gets a fresh cluster.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestClusterExtension cluster = new TestClusterExtension(() -> TestCluster.builder()
 *     .node("node-a", "ledger").node("node-b", "ledger").node("node-c", "ledger")
 *     .config("cohort.clusters.main.node-groups = [ledger]"));
 *
 * @Test
 * void survivesACrash() {
 *   cluster.get().awaitTableAgreement();
 *   cluster.get().crash("node-c");
 *   ...
 * }
 * }</pre>
 */
public final class TestClusterExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final Supplier<TestCluster.Builder> builder;
  private TestCluster cluster;
  private boolean perClass;

  /** An extension that starts the cluster {@code builder} gives. */
  public TestClusterExtension(Supplier<TestCluster.Builder> builder) {
    this.builder = builder;
  }

  /** The running cluster. */
  public TestCluster get() {
    if (cluster == null) {
      throw new IllegalStateException("the test cluster runs only during a test");
    }
    return cluster;
  }

  /**
   * An ActorTestKit on node {@code name}'s ActorSystem, for probes and spawning test actors there.
   * The cluster owns the system: do not shut the kit down.
   */
  public ActorTestKit testKit(String name) {
    return ActorTestKit.create(get().node(name).system());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    cluster = builder.get().start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      cluster = builder.get().start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  private void stop() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
