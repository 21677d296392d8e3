package dev.cohort.partitioning;

import static dev.cohort.partitioning.Shapes.GROUP;
import static dev.cohort.partitioning.Shapes.live;
import static dev.cohort.partitioning.Shapes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.Epoch;
import dev.cohort.api.MapperSpec;
import dev.cohort.api.NodeName;
import dev.cohort.api.NodeSpec;
import dev.cohort.api.PartitionGroupSettings;
import dev.cohort.api.PartitionId;
import dev.cohort.api.Placement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PlacementPlannerTest {

  // --- dynamic groups ------------------------------------------------------------------------

  @Test
  void givenThreeNodes_whenPlacedFromTheEmptyTable_thenActivesAndReplicaSlotsAreBalanced() {
    CohortSettings settings = Shapes.dynamic(3, 30, 1);

    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY);

    assertEquals(List.of(), Checks.balance(plan, GROUP, 30, 1, live(1, 2, 3)));
    assertEquals(List.of(10, 10, 10), List.copyOf(plan.activesPerNode(GROUP).values()));
    assertEquals(List.of(10, 10, 10), List.copyOf(plan.replicaSlotsPerNode(GROUP).values()));
    assertEquals(1, plan.table().version());
    assertTrue(plan.table().partitions().stream().allMatch(entry -> entry.epoch().equals(Epoch.FIRST)));
    assertTrue(plan.table().caughtUp(), "there is no data yet: every copy is in sync");
    assertTrue(plan.table().partitions().stream().allMatch(entry -> entry.target().isEmpty()));
    assertEquals(30, plan.activeChanges());
    assertEquals(60, plan.moves(), "every copy is new");
  }

  @Test
  void givenThreeNodes_whenOneLeaves_thenItsPartitionsFailOverToTheirFirstReplica() {
    CohortSettings settings = Shapes.dynamic(3, 30, 2);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY).table();

    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 3), before);

    for (PartitionEntry old : before.group(GROUP)) {
      Placement now = plan.table().entry(old.id()).orElseThrow().placement().orElseThrow();
      Placement was = old.placement().orElseThrow();
      if (was.active().equals(node(2))) {
        assertEquals(was.replicas().get(0), now.active(), old.id() + " fails over to its first replica");
      } else {
        assertEquals(was.active(), now.active(), old.id() + " keeps its active");
      }
      assertEquals(1, now.replicas().size(), "two live nodes leave room for one replica");
    }
    assertEquals(0, plan.moves(), "the survivors already hold every partition");
    assertEquals(List.of(15, 15), List.copyOf(plan.activesPerNode(GROUP).values()));
    assertEquals(10, plan.activeChanges(), "exactly n02's actives change");
    assertEquals(List.of(), Checks.epochs(before, plan.table()));
    assertTrue(plan.table().caughtUp());
  }

  @Test
  void givenThreeNodes_whenAFourthJoinsAndCatchesUp_thenItTakesItsShareAndNoMoreActivesMoveThanThat() {
    CohortSettings settings = Shapes.dynamic(4, 120, 1);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY).table();

    Settling settling = Settling.of(settings, live(1, 2, 3, 4), before);

    PlacementPlan first = settling.plans().get(0);
    assertEquals(0, first.activeChanges(), "n04 has no data yet, so it acts for nothing");
    assertEquals(60, first.moves(), "it receives its 30 future actives and 30 replica slots");
    assertEquals(1, settling.rounds(), "once it caught up, one more plan promotes it");
    assertEquals(List.of(), Checks.balance(settling.settled(), GROUP, 120, 1, live(1, 2, 3, 4)));
    assertEquals(30, settling.settled().activesPerNode(GROUP).get(node(4)));
    assertEquals(30, settling.activeChanges(), "only the newcomer's share of actives moves");
    assertEquals(60, settling.moves(), "nothing else moves");
  }

  @Test
  void givenABalancedTable_whenPlannedAgainWithTheSameNodes_thenTheSameTableAndVersionAreReturned() {
    CohortSettings settings = Shapes.dynamic(5, 271, 2);
    PlacementPlan first = PlacementPlanner.plan(settings, live(1, 2, 3, 4, 5), PartitionTable.EMPTY);

    PlacementPlan again = PlacementPlanner.plan(settings, live(1, 2, 3, 4, 5), first.table());

    assertSame(first.table(), again.table());
    assertFalse(again.changed());
    assertEquals(0, again.activeChanges());
    assertEquals(0, again.moves());
  }

  @Test
  void givenALeave_whenPlanned_thenOnlyPartitionsWhoseActiveOrInSyncSetChangedGetTheNextEpoch() {
    CohortSettings settings = Shapes.dynamic(4, 40, 1);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2, 3, 4), PartitionTable.EMPTY).table();

    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2, 3), before);

    assertEquals(List.of(), Checks.epochs(before, plan.table()));
    assertEquals(before.version() + 1, plan.table().version());
    for (PartitionEntry old : before.group(GROUP)) {
      PartitionEntry now = plan.table().entry(old.id()).orElseThrow();
      assertEquals(old.heldBy(node(4)) ? old.epoch().next() : old.epoch(), now.epoch(),
          old + " -> " + now + ": n04 leaving its in-sync set is what bumps the epoch");
    }
  }

  @Test
  void givenALiveNodeOutsideTheRoster_whenPlanned_thenItIsIgnored() {
    CohortSettings settings = Shapes.dynamic(3, 12, 1);
    Set<NodeName> liveWithStranger = new TreeSet<>(live(1, 2, 3));
    liveWithStranger.add(NodeName.of("stranger"));

    PlacementPlan plan = PlacementPlanner.plan(settings, liveWithStranger, PartitionTable.EMPTY);

    assertEquals(PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY).table(), plan.table());
    assertFalse(plan.activesPerNode(GROUP).containsKey(NodeName.of("stranger")));
  }

  @Test
  void givenTheSameInputsInAnyOrder_whenPlanned_thenThePlansAreEqual() {
    CohortSettings settings = Shapes.dynamic(6, 100, 2, 3);
    Set<NodeName> sorted = live(1, 2, 3, 4, 5, 6);
    Set<NodeName> hashed = new HashSet<>(sorted);
    Set<NodeName> reversed = new LinkedHashSet<>(List.of(node(6), node(5), node(4), node(3), node(2), node(1)));

    PartitionTable table = PlacementPlanner.plan(settings, sorted, PartitionTable.EMPTY).table();

    assertEquals(table, PlacementPlanner.plan(settings, hashed, PartitionTable.EMPTY).table());
    assertEquals(table, PlacementPlanner.plan(settings, reversed, PartitionTable.EMPTY).table());
  }

  @Test
  void givenMoreReplicasThanLiveNodesAllow_whenPlanned_thenEachPartitionHasAReplicaOnEveryOtherLiveNode() {
    CohortSettings settings = Shapes.dynamic(4, 10, 3);

    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2), PartitionTable.EMPTY);

    assertEquals(List.of(), Checks.balance(plan, GROUP, 10, 3, live(1, 2)));
    plan.table().group(GROUP).forEach(entry -> assertEquals(1, entry.placement().orElseThrow().replicas().size()));
  }

  @Test
  void givenNoLiveNode_whenPlanned_thenEveryPartitionIsUnavailableRemembersItsHoldersAndStaysSoWhenTheyReturn() {
    CohortSettings settings = Shapes.dynamic(2, 4, 1);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2), PartitionTable.EMPTY).table();

    PlacementPlan down = PlacementPlanner.plan(settings, Set.of(), before);
    PlacementPlan back = PlacementPlanner.plan(settings, live(1, 2), down.table());

    down.table().group(GROUP).forEach(entry -> {
      assertFalse(entry.available(), entry + " is unavailable");
      assertEquals(live(1, 2), entry.inSync(), "the table says whom the data is on");
      assertEquals(new Epoch(2), entry.epoch());
    });
    assertEquals(down.table().partitions().stream().map(PartitionEntry::id).toList(), down.becameUnavailable());
    assertSame(down.table(), back.table(), "a restarted node has no data: nothing is placed afresh");
    assertEquals(4, back.unavailable().size());
    assertEquals(List.of(), back.becameUnavailable());
  }

  @Test
  void givenAPartitionWhoseOnlyCopyLeft_whenPlanned_thenItBecomesUnavailableInsteadOfBeingPlacedAfresh() {
    CohortSettings settings = Shapes.dynamic(2, 4, 0);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2), PartitionTable.EMPTY).table();
    List<PartitionId> onTwo = activeOn(before, node(2));

    PlacementPlan plan = PlacementPlanner.plan(settings, live(1), before);

    assertEquals(onTwo, plan.unavailable());
    assertEquals(onTwo, plan.becameUnavailable());
    onTwo.forEach(id -> assertEquals(Set.of(node(2)), plan.table().entry(id).orElseThrow().inSync()));
    assertEquals(List.of(2), List.copyOf(plan.activesPerNode(GROUP).values()), "n01 keeps its own two, nothing more");
    assertEquals(0, plan.moves());
  }

  @Test
  void givenThreeNodes_whenOneRestartsBeforeItWasMissed_thenItKeepsItsPartitionsCatchingUpAndGetsItsActivesBackOnceInSync() {
    CohortSettings settings = Shapes.dynamic(3, 24, 1);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY).table();

    PartitionTable restarted = InSyncChanges.restarted(before, Set.of(node(2)), live(1, 2, 3));
    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2, 3), restarted);

    assertEquals(0, plan.moves(), "no copy is placed anew");
    for (PartitionEntry old : before.group(GROUP)) {
      PartitionEntry now = plan.table().entry(old.id()).orElseThrow();
      assertFalse(now.isInSync(node(2)), now + ": the restarted node may have missed entries");
      assertEquals(old.heldBy(node(2)), now.heldBy(node(2)), now + ": it keeps what it held, and is given nothing else");
      assertTrue(now.epoch().compareTo(old.epoch()) >= 0);
      if (old.active().equals(Optional.of(node(2)))) {
        assertEquals(old.placement().orElseThrow().replicas().get(0), now.active().orElseThrow(), "its replica took over");
        assertTrue(now.epoch().compareTo(old.epoch()) > 0, "in a new epoch");
      }
    }
    PartitionTable caughtUp = plan.table();
    for (PartitionEntry entry : plan.table().group(GROUP)) {
      caughtUp = InSyncChanges.caughtUp(caughtUp, entry.id(), node(2));
    }
    PlacementPlan settled = PlacementPlanner.plan(settings, live(1, 2, 3), caughtUp);
    assertEquals(List.of(8, 8, 8), List.copyOf(settled.activesPerNode(GROUP).values()), "actives go back once in sync");
    assertEquals(List.of(), Checks.balance(settled, GROUP, 24, 1, live(1, 2, 3)));
    assertSame(before, InSyncChanges.restarted(before, Set.of(node(4)), live(1, 2, 3, 4)),
        "a node that held nothing changes nothing");
  }

  @Test
  void givenANodeRemovedWhileAway_whenItRejoinsKeepingItsCopies_thenItIsPlacedOnlyWhereItKeptData() {
    CohortSettings settings = Shapes.dynamic(3, 24, 1);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY).table();
    PartitionTable without = PlacementPlanner.plan(settings, live(1, 3), before).table();
    Map<PartitionId, Set<NodeName>> kept = new TreeMap<>();
    before.group(GROUP).stream().filter(entry -> entry.heldBy(node(2)))
        .forEach(entry -> kept.put(entry.id(), Set.of(node(2))));

    PlacementPlan blind = PlacementPlanner.plan(settings, live(1, 2, 3), without);
    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2, 3), without, kept);

    List<PartitionId> placedOnTwo = plan.table().group(GROUP).stream().filter(entry -> entry.heldBy(node(2)))
        .map(PartitionEntry::id).toList();
    assertEquals(kept.keySet().stream().toList(), placedOnTwo, "n02 gets back exactly the copies it kept");
    assertTrue(blind.table().group(GROUP).stream().anyMatch(entry -> entry.heldBy(node(2)) && !kept.containsKey(entry.id())),
        "without knowing what n02 kept, some copies would be placed on it anew");
    for (PartitionEntry entry : plan.table().group(GROUP)) {
      List<NodeName> catchingUp = entry.placement().orElseThrow().nodes().stream()
          .filter(node -> !entry.isInSync(node)).toList();
      assertTrue(List.of(node(2)).containsAll(catchingUp), entry + ": only n02's kept copies catch up; the copies "
          + "begun while it was away give way to it");
    }
    PlacementPlan settled = Settling.of(settings, live(1, 2, 3), plan.table()).settled();
    assertEquals(List.of(8, 8, 8), List.copyOf(settled.activesPerNode(GROUP).values()), "balanced once caught up");
    assertEquals(List.of(), Checks.balance(settled, GROUP, 24, 1, live(1, 2, 3)));
  }

  @Test
  void givenAPartitionOnlyTheRestartedNodeHadInSync_whenPlanned_thenItWaitsUnavailableForThatNodesData() {
    CohortSettings settings = Shapes.dynamic(2, 4, 0);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2), PartitionTable.EMPTY).table();
    List<PartitionId> onTwo = activeOn(before, node(2));

    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2),
        InSyncChanges.restarted(before, Set.of(node(2)), live(1, 2)));

    assertEquals(onTwo, plan.unavailable(), "not placed afresh: n02's copies may still hold the data");
    onTwo.forEach(id -> assertEquals(Set.of(node(2)), plan.table().entry(id).orElseThrow().inSync()));
    PartitionTable revived = InSyncChanges.revived(plan.table(), onTwo.get(0), node(2));
    assertEquals(Optional.of(node(2)), revived.entry(onTwo.get(0)).orElseThrow().active(), "its report revives it");
  }

  @Test
  void givenAWholeClusterRestarting_whenTheFirstNodeIsBack_thenItsPartitionsWaitRememberingEveryHolder() {
    CohortSettings settings = Shapes.dynamic(2, 4, 1);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2), PartitionTable.EMPTY).table();

    PartitionTable restarted = InSyncChanges.restarted(before, Set.of(node(1)), live(1));
    PlacementPlan plan = PlacementPlanner.plan(settings, live(1), restarted);

    assertEquals(4, plan.unavailable().size(), "n02, in sync everywhere, is not back: nothing may act yet");
    plan.table().group(GROUP).forEach(entry -> assertEquals(live(1, 2), entry.inSync(), entry + " remembers both"));
    PartitionId id = plan.unavailable().get(0);
    assertEquals(Optional.of(node(1)), InSyncChanges.revived(plan.table(), id, node(1)).entry(id).orElseThrow().active(),
        "the restarted node's own report can revive them");
  }

  @Test
  void givenAnUnavailablePartition_whenAnOperatorForcesIt_thenTheNextPlanPlacesItAfreshOnLiveNodes() {
    CohortSettings settings = Shapes.dynamic(2, 4, 0);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2), PartitionTable.EMPTY).table();
    PartitionTable lost = PlacementPlanner.plan(settings, live(1), before).table();
    PartitionId id = lost.group(GROUP).stream().filter(entry -> !entry.available()).findFirst().orElseThrow().id();
    PartitionId available = lost.group(GROUP).stream().filter(PartitionEntry::available).findFirst().orElseThrow().id();

    PartitionTable forced = InSyncChanges.forceEmpty(lost, id);
    PlacementPlan plan = PlacementPlanner.plan(settings, live(1), forced);

    assertEquals(lost.version() + 1, forced.version());
    assertEquals(Set.of(), forced.entry(id).orElseThrow().inSync(), "its lost holders are given up");
    PartitionEntry placed = plan.table().entry(id).orElseThrow();
    assertEquals(Optional.of(node(1)), placed.active(), "placed on the live node, empty");
    assertTrue(placed.epoch().compareTo(lost.entry(id).orElseThrow().epoch()) > 0, "in a new epoch");
    assertSame(lost, InSyncChanges.forceEmpty(lost, available), "an available partition is not forced");
  }

  @Test
  void givenAPartitionWhoseOnlyCopyLeft_whenItsHolderComesBackWithItsData_thenItIsActiveAgainAndGetsReplicas() {
    CohortSettings settings = Shapes.dynamic(2, 4, 1);
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2), PartitionTable.EMPTY).table();
    PartitionTable lost = PlacementPlanner.plan(settings, live(), before).table();
    PartitionId id = lost.group(GROUP).get(0).id();
    NodeName holder = lost.entry(id).orElseThrow().inSync().first();

    PartitionTable revived = InSyncChanges.revived(lost, id, holder);
    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2), revived);

    PartitionEntry entry = revived.entry(id).orElseThrow();
    assertEquals(Optional.of(holder), entry.active(), "the holder that came back acts");
    assertEquals(Set.of(holder), entry.inSync(), "alone in sync: the other holder catches up from it");
    assertTrue(entry.epoch().compareTo(lost.entry(id).orElseThrow().epoch()) > 0, "in a new epoch");
    PartitionEntry planned = plan.table().entry(id).orElseThrow();
    assertEquals(Optional.of(holder), planned.active(), "planning keeps the holder active while the other catches up");
    assertEquals(2, planned.placement().orElseThrow().nodes().size(), "and gives it its replica back");
    NodeName stranger = node(3);
    assertSame(lost, InSyncChanges.revived(lost, id, stranger), "a node that was not in sync cannot revive it");
    assertSame(revived, InSyncChanges.revived(revived, id, holder), "an available partition is not revived");
  }

  @Test
  void givenTwoDynamicGroups_whenPlaced_thenEachIsBalancedOnItsOwn() {
    var settings = Shapes.settings(Shapes.roster(3, 0),
        new PartitionGroupSettings.Dynamic("accounts", Shapes.CLUSTER, 10, 1, new MapperSpec.ConsistentHash()),
        new PartitionGroupSettings.Dynamic("orders", Shapes.CLUSTER, 7, 2, new MapperSpec.ConsistentHash()));

    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY);

    assertEquals(List.of(), Checks.balance(plan, "accounts", 10, 1, live(1, 2, 3)));
    assertEquals(List.of(), Checks.balance(plan, "orders", 7, 2, live(1, 2, 3)));
    assertEquals(Set.of("accounts", "orders"), plan.table().groupNames());
  }

  @Test
  void givenAGroupNoLongerConfigured_whenPlanned_thenItsPartitionsAreDropped() {
    PartitionTable before = PlacementPlanner.plan(Shapes.dynamic(2, 3, 1), live(1, 2), PartitionTable.EMPTY).table();
    var renamed = Shapes.settings(Shapes.roster(2, 0),
        new PartitionGroupSettings.Dynamic("ledger", Shapes.CLUSTER, 3, 1, new MapperSpec.ConsistentHash()));

    PlacementPlan plan = PlacementPlanner.plan(renamed, live(1, 2), before);

    assertEquals(Set.of("ledger"), plan.table().groupNames());
    assertEquals(6, plan.changes().size(), "three partitions gone, three new");
  }

  // --- zones -----------------------------------------------------------------------------------

  @Test
  void givenThreeZonesOfTwoNodes_whenPlacedWithTwoReplicas_thenEveryPartitionSpansThreeZones() {
    CohortSettings settings = Shapes.dynamic(6, 271, 2, 3);
    Set<NodeName> all = live(1, 2, 3, 4, 5, 6);

    PlacementPlan plan = PlacementPlanner.plan(settings, all, PartitionTable.EMPTY);

    assertEquals(List.of(), Checks.balance(plan, GROUP, 271, 2, all));
    assertEquals(0, Checks.partitionsShortOfZones(settings, plan.table().group(GROUP), all));
  }

  @Test
  void givenThreeZonesOfTwoNodes_whenANodeLeavesAndComesBack_thenEveryPartitionSpansThreeZonesAgain() {
    CohortSettings settings = Shapes.dynamic(6, 271, 2, 3);
    Set<NodeName> all = live(1, 2, 3, 4, 5, 6);
    PartitionTable start = PlacementPlanner.plan(settings, all, PartitionTable.EMPTY).table();
    PartitionTable without = Settling.of(settings, live(1, 2, 3, 5, 6), start).table();

    PlacementPlan back = Settling.of(settings, all, without).settled();

    assertEquals(List.of(), Checks.balance(back, GROUP, 271, 2, all));
    assertEquals(0, Checks.partitionsShortOfZones(settings, back.table().group(GROUP), all));
  }

  @Test
  void givenOneNodeAloneInItsZone_whenPlaced_thenBalanceWinsOverZoneSpread() {
    // n03 is alone in zone z0 (nodes 3 mod 3); the others share z1 and z2: with one replica, spreading
    // every partition over two zones would need n03 everywhere.
    var roster = Shapes.roster(4, 0).stream()
        .map(spec -> new NodeSpec(spec.name(), spec.groups(),
            Optional.of(spec.name().equals(node(3)) ? "z0" : "z1")))
        .toList();
    var settings = Shapes.settings(roster,
        new PartitionGroupSettings.Dynamic(GROUP, Shapes.CLUSTER, 40, 1, new MapperSpec.ConsistentHash()));
    Set<NodeName> all = live(1, 2, 3, 4);

    PlacementPlan plan = PlacementPlanner.plan(settings, all, PartitionTable.EMPTY);

    assertEquals(List.of(), Checks.balance(plan, GROUP, 40, 1, all));
    assertEquals(10, plan.activesPerNode(GROUP).get(node(3)));
    assertEquals(11, plan.replicaSlotsPerNode(GROUP).get(node(3)),
        "zone spread would want n03 in all 40 partitions; balance allows R'·P/N' + 1 = 11 replica slots");
  }

  // --- static groups ---------------------------------------------------------------------------

  @Test
  void givenAStaticGroup_whenAllNodesAreLive_thenThePlacementIsAsConfigured() {
    CohortSettings settings = Shapes.staticGroup(3, new int[] {1, 2, 3}, new int[] {2, 3});

    PlacementPlan plan = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY);

    assertEquals(Optional.of(placement(1, 2, 3)), plan.table().group(GROUP).get(0).placement());
    assertEquals(Optional.of(placement(2, 3)), plan.table().group(GROUP).get(1).placement());
  }

  @Test
  void givenAStaticGroup_whenTheConfiguredActiveIsDown_thenItsFirstLiveReplicaActsUntilTheActiveIsBackInSync() {
    CohortSettings settings = Shapes.staticGroup(3, new int[] {1, 2, 3});
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY).table();
    var id = new PartitionId(GROUP, 0);

    PlacementPlan down = PlacementPlanner.plan(settings, live(2, 3), before);
    PlacementPlan back = PlacementPlanner.plan(settings, live(1, 2, 3), down.table());
    PartitionTable caughtUp = InSyncChanges.caughtUp(back.table(), id, node(1));
    PlacementPlan again = PlacementPlanner.plan(settings, live(1, 2, 3), caughtUp);

    assertEquals(Optional.of(placement(2, 3)), down.table().group(GROUP).get(0).placement());
    assertEquals(new Epoch(2), down.table().group(GROUP).get(0).epoch());
    PartitionEntry returned = back.table().group(GROUP).get(0);
    assertEquals(Optional.of(placement(2, 1, 3)), returned.placement(), "n01 came back without the data: a replica");
    assertEquals(List.of(node(1)), returned.outOfSyncReplicas());
    assertEquals(new Epoch(2), returned.epoch(), "a replica catching up changes no epoch");
    assertEquals(new Epoch(3), caughtUp.entry(id).orElseThrow().epoch());
    assertEquals(Optional.of(placement(1, 2, 3)), again.table().group(GROUP).get(0).placement(), "the configured active acts again");
    assertEquals(new Epoch(4), again.table().group(GROUP).get(0).epoch());
  }

  @Test
  void givenAStaticGroup_whenAllItsNodesAreDown_thenThePartitionIsUnavailable() {
    CohortSettings settings = Shapes.staticGroup(4, new int[] {1, 2}, new int[] {3, 4});

    PlacementPlan plan = PlacementPlanner.plan(settings, live(3), PartitionTable.EMPTY);
    PlacementPlan later = PlacementPlanner.plan(settings, live(1, 3), plan.table());

    assertEquals(Optional.empty(), plan.table().group(GROUP).get(0).placement());
    assertEquals(Optional.of(placement(3)), plan.table().group(GROUP).get(1).placement());
    assertEquals(List.of(new PartitionId(GROUP, 0)), plan.unavailable(), "a static partition waits for its own nodes");
    assertEquals(Optional.of(placement(1)), later.table().group(GROUP).get(0).placement(), "it never had data: placed");
    assertTrue(later.table().caughtUp());
  }

  @Test
  void givenAStaticPartitionWhoseInSyncNodesAllLeft_whenTheyReturn_thenItStaysUnavailable() {
    CohortSettings settings = Shapes.staticGroup(3, new int[] {1, 2, 3});
    PartitionTable before = PlacementPlanner.plan(settings, live(1, 2, 3), PartitionTable.EMPTY).table();
    PartitionTable onlyOne = PlacementPlanner.plan(settings, live(1), before).table();

    PlacementPlan lost = PlacementPlanner.plan(settings, live(2, 3), onlyOne);
    PlacementPlan back = PlacementPlanner.plan(settings, live(1, 2, 3), lost.table());

    assertEquals(Set.of(node(1)), onlyOne.group(GROUP).get(0).inSync());
    assertFalse(lost.table().group(GROUP).get(0).available(), "n02 and n03 came back without the data");
    assertEquals(Set.of(node(1)), lost.table().group(GROUP).get(0).inSync());
    assertSame(lost.table(), back.table(), "n01 restarted without its data too");
  }

  // --- the limit of the churn bound ------------------------------------------------------------

  @Test
  void givenSeventeenPartitionsOnTenNodes_whenAnyTableIsBalanced_thenSomeLeaveMustExceedTheChurnBound() {
    // 7 nodes are active for 2 partitions, 3 for 1. When one of the 7 leaves, at most one of its
    // two partitions may fail over to a node that already has 2 (bound 3 = 2 failovers + 1 more
    // change); so each of the 7 needs a first replica on one of the 3 others, which can fill at most
    // 2 replica slots each: 7 > 6. Balance wins.
    assertTrue(Checks.churnBoundUnreachable(17, 10, 1));
    assertTrue(Checks.churnBoundUnreachable(28, 10, 1));
    assertFalse(Checks.churnBoundUnreachable(17, 10, 2), "two replicas leave room for the first replicas");
    assertFalse(Checks.churnBoundUnreachable(271, 5, 1));
    CohortSettings settings = Shapes.dynamic(10, 17, 1);
    Set<NodeName> all = live(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    PartitionTable table = PlacementPlanner.plan(settings, all, PartitionTable.EMPTY).table();

    int worst = 0;
    for (NodeName leaving : all) {
      var rest = new TreeSet<>(all);
      rest.remove(leaving);
      Settling settling = Settling.of(settings, rest, table);
      assertEquals(List.of(), Checks.balance(settling.settled(), GROUP, 17, 1, rest));
      assertEquals(List.of(), Checks.failover(table, settling.plans().get(0).table(), leaving, rest));
      worst = Math.max(worst, settling.activeChanges());
    }
    assertEquals(4, worst, "one over the bound of 3, and never more");
  }

  private static Placement placement(int... numbers) {
    return Placement.of(Arrays.stream(numbers).mapToObj(Shapes::node).toList());
  }

  /** The partitions of the group that {@code node} is active for in {@code table}. */
  private static List<PartitionId> activeOn(PartitionTable table, NodeName node) {
    return table.group(GROUP).stream().filter(entry -> entry.active().equals(Optional.of(node)))
        .map(PartitionEntry::id).toList();
  }
}
