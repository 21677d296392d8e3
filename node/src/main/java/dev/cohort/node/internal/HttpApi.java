package dev.cohort.node.internal;

import static org.apache.pekko.http.javadsl.server.PathMatchers.integerSegment;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.api.PartitionId;
import dev.cohort.node.Cohort;
import dev.cohort.node.http.ClusterJson;
import dev.cohort.node.http.ForceJson;
import dev.cohort.node.http.HealthJson;
import dev.cohort.node.http.MemberJson;
import dev.cohort.node.http.QuorumJson;
import dev.cohort.node.http.TableJson;
import dev.cohort.node.internal.client.KvRoutes;
import dev.cohort.partitioning.PartitionEntry;
import dev.cohort.quorum.QuorumState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's HTTP/JSON API: {@code GET /health}, {@code GET /cluster} and {@code GET /partitions}
 * answer from the node's current view ({@code /partitions} with how far this node's copies are), with the records of {@link dev.cohort.node.http}; the
 * key-value tables ({@code /kv/{table}/{key}}, {@code GET /tables}) are {@link KvRoutes}. Never
 * blocks.
 */
public final class HttpApi extends AllDirectives {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Cluster cluster;
  private final CohortSettings settings;
  private final NodeName self;
  private final NodeView view;
  private final ActorRef<Coordinator.Command> coordinator;

  /** The API of the node {@code self}; operator requests go to {@code coordinator}. */
  public HttpApi(Cluster cluster, CohortSettings settings, NodeName self, NodeView view,
      ActorRef<Coordinator.Command> coordinator) {
    this.cluster = cluster;
    this.settings = settings;
    this.self = self;
    this.view = view;
    this.coordinator = coordinator;
  }

  /** The routes. */
  public Route route() {
    var json = Jackson.<Object>marshaller(JSON);
    return concat(
        get(() -> concat(
            path("health", () -> {
              HealthJson health = health();
              return complete(health.ok() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, health, json);
            }),
            path("cluster", () -> complete(StatusCodes.OK, cluster(), json)),
            path("partitions", () -> complete(StatusCodes.OK, partitions(), json)))),
        post(() -> pathPrefix("partitions", () -> path(segment().slash(integerSegment()).slash("force"),
            (group, index) -> force(new PartitionId(group, index), json)))),
        // The key-value routes use the node's Cohort extension, found through the serving system.
        extractActorSystem(system -> new KvRoutes(Cohort.get(Adapter.toTyped(system)), settings).route()));
  }

  /**
   * {@code POST /partitions/{group}/{index}/force}: asks the coordinator to place an unavailable
   * partition afresh, giving up its lost data. 202 when asked; 404 for an unknown partition; 409
   * when it is available (nothing to force).
   */
  private Route force(PartitionId partition, Marshaller<Object, RequestEntity> json) {
    Optional<PartitionEntry> entry = view.table().entry(partition);
    if (entry.isEmpty()) {
      return complete(StatusCodes.NOT_FOUND, new ForceJson(partition.toString(), "unknown-partition",
          "the partition table (version " + view.table().version() + ") has no partition " + partition), json);
    }
    if (entry.get().available()) {
      return complete(StatusCodes.CONFLICT, new ForceJson(partition.toString(), "available",
          partition + " is active on " + entry.get().active().orElseThrow() + ": there is nothing to force"), json);
    }
    coordinator.tell(new Coordinator.ForceEmpty(partition, self.value()));
    return complete(StatusCodes.ACCEPTED, new ForceJson(partition.toString(), "requested",
        partition + " will be placed afresh, empty; its data on " + entry.get().inSync() + " is given up"), json);
  }

  /** The table with how far this node's copies are. */
  private TableJson partitions() {
    var copies = new TreeMap<PartitionId, TableJson.CopyJson>();
    view.copies().forEach((partition, copy) -> copies.put(partition, new TableJson.CopyJson(copy.committedSeq(),
        copy.active() ? copy.replicaSeqs() : null, copy.active() ? copy.replicaSnapshots() : null,
        new TableJson.ReceivedJson(copy.restoredSeq(), copy.receivedEntries(), copy.receivedSnapshotBytes()))));
    return TableJson.of(view.table(), copies);
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
