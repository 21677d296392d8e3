package dev.cohort.node.http;

import java.util.List;

/**
 * A cluster member, as one node sees it.
 *
 * @param name its Cohort node name (null for a member that is not a Cohort node)
 * @param address its Pekko address
 * @param locationCode the stable 64-bit hash of its name, in hex (null without a name)
 * @param groups its node groups
 * @param status its membership status (Joining, Up, Leaving, Down, ...)
 * @param reachable whether the answering node can reach it
 */
public record MemberJson(
    String name, String address, String locationCode, List<String> groups, String status, boolean reachable) {
  /** The {@link #status()} of an Up member. */
  public static final String UP = "Up";

  /** Whether the member is Up and the answering node can reach it. */
  public boolean upAndReachable() {
    return UP.equals(status) && reachable;
  }
}
