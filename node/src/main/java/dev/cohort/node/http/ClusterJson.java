package dev.cohort.node.http;

import java.util.List;
import java.util.Optional;

/**
 * {@code GET /cluster}: one node's view of the cluster.
 *
 * @param self the answering node's name
 * @param coordinator the member that runs the coordinator (the oldest Up member), null if none
 * @param members every member the node knows of, in Pekko's member order
 * @param quorum the node's view of each node group's quorum
 */
public record ClusterJson(String self, String coordinator, List<MemberJson> members, List<QuorumJson> quorum) {

  /** The member named {@code name}, if the node knows one (the first in member order). */
  public Optional<MemberJson> member(String name) {
    return members.stream().filter(m -> name.equals(m.name())).findFirst();
  }
}
