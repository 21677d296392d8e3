package dev.cohort.node.internal;

import dev.cohort.api.NodeName;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * Why a node shut down: its name is held by an older live member.
 *
 * @param name the name this node was started with
 * @param holder the address of the member that holds it
 */
public record NodeNameTaken(NodeName name, String holder) implements CoordinatedShutdown.Reason {
  /** The message a person sees. */
  public String describe() {
    return "node name '" + name + "' is already taken by live member " + holder
        + "; start this node with another cohort.node.name, or stop the other member first";
  }
}
