package dev.cohort.node.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.node.http.ClusterJson;
import dev.cohort.node.http.HealthJson;
import dev.cohort.node.http.MemberJson;
import dev.cohort.node.http.QuorumJson;
import dev.cohort.node.http.TableJson;
import dev.cohort.quorum.QuorumState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's HTTP/JSON API: {@code GET /health}, {@code GET /cluster} and {@code GET /partitions}.
 * Answers from the node's current view; never blocks. The documents are the records of {@link
 * dev.cohort.node.http}.
 */
public final class HttpApi extends AllDirectives {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Cluster cluster;
  private final CohortSettings settings;
  private final NodeName self;
  private final NodeView view;

  /** The API of the node {@code self}. */
  public HttpApi(Cluster cluster, CohortSettings settings, NodeName self, NodeView view) {
    this.cluster = cluster;
    this.settings = settings;
    this.self = self;
    this.view = view;
  }

  /** The routes. */
  public Route route() {
    var json = Jackson.<Object>marshaller(JSON);
    return get(() -> concat(
        path("health", () -> {
          HealthJson health = health();
          return complete(health.ok() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, health, json);
        }),
        path("cluster", () -> complete(StatusCodes.OK, cluster(), json)),
        path("partitions", () -> complete(StatusCodes.OK, TableJson.of(view.table()), json))));
  }

  private HealthJson health() {
    Member member = cluster.selfMember();
    String status;
    if (member.status() != MemberStatus.up()) {
      status = "starting";
    } else if (!hasQuorumInOwnGroups()) {
      status = "no-quorum";
    } else {
      status = HealthJson.OK;
    }
    return new HealthJson(self.value(), status, member.status().toString(), view.table().version());
  }

  private boolean hasQuorumInOwnGroups() {
    SortedMap<NodeGroup, QuorumState> quorum = view.quorum();
    return settings.nodes().get(self).groups().stream()
        .allMatch(group -> quorum.containsKey(group) && quorum.get(group).present());
  }

  private ClusterJson cluster() {
    var state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    var members = new TreeSet<Member>(Member.ordering());
    state.getMembers().forEach(members::add);
    List<MemberJson> memberJson = members.stream()
        .map(m -> {
          Optional<NodeName> name = Members.nameOf(m);
          List<String> groups = m.getRoles().stream()
              .filter(role -> !role.startsWith(Members.NAME_ROLE_PREFIX) && !role.startsWith("dc-"))
              .sorted()
              .toList();
          return new MemberJson(
              name.map(NodeName::value).orElse(null),
              m.address().toString(),
              name.map(n -> String.format("%016x", n.locationCode())).orElse(null),
              groups,
              m.status().toString(),
              !unreachable.contains(m));
        })
        .toList();
    String coordinator = members.stream()
        .filter(m -> m.status() == MemberStatus.up())
        .min(Member.ageOrdering())
        .flatMap(Members::nameOf)
        .map(NodeName::value)
        .orElse(null);
    List<QuorumJson> quorum = view.quorum().values().stream()
        .map(q -> new QuorumJson(q.group().name(), q.seen().stream().map(NodeName::value).toList(), q.needed(), q.present()))
        .toList();
    return new ClusterJson(self.value(), coordinator, memberJson, quorum);
  }
}
