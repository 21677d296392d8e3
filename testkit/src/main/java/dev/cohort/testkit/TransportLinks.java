package dev.cohort.testkit;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.RemoteTransport;
import org.apache.pekko.remote.transport.ThrottlerTransportAdapter;

/**
 * Cuts and restores the links of one node's Artery transport, as Pekko's own test tools do: a
 * blackholed link drops every message, heartbeats included, in the transport itself. This uses
 * Pekko's internal test-mode API ({@code pekko.remote.artery.advanced.test-mode = on}), so it is
 * kept in this one class.
 */
@SuppressWarnings("deprecation") // SetThrottle belongs to classic remoting, but Artery's test mode is driven by it
final class TransportLinks {
  private final RemoteTransport transport;

  TransportLinks(ActorSystem<?> system) {
    var provider = ((ExtendedActorSystem) Adapter.toClassic(system)).provider();
    if (!(provider instanceof RemoteActorRefProvider remote)) {
      throw new IllegalStateException("node " + system.name() + " has no remote transport to cut");
    }
    this.transport = remote.transport();
  }

  /** Drops messages from this node to {@code peer} (and from {@code peer}, if {@code bothWays}). */
  void blackhole(Address peer, boolean bothWays) {
    command(peer, bothWays ? ThrottlerTransportAdapter.bothDirection() : ThrottlerTransportAdapter.sendDirection(),
        ThrottlerTransportAdapter.blackholeThrottleMode());
  }

  /** Lets every message between this node and {@code peer} through again. */
  void restore(Address peer) {
    command(peer, ThrottlerTransportAdapter.bothDirection(), ThrottlerTransportAdapter.unthrottledThrottleMode());
  }

  private void command(Address peer, ThrottlerTransportAdapter.Direction direction, ThrottlerTransportAdapter.ThrottleMode mode) {
    transport.managementCommand(new ThrottlerTransportAdapter.SetThrottle(peer, direction, mode));
  }
}
