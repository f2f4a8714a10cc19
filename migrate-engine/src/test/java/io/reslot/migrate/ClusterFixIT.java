package io.reslot.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code fix} on each kind of damage, made by hand on a real cluster (Redis from the sandbox's usual choice): afterwards
 * {@code check} is clean and every key is still there with its value and TTL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFixIT {

    // AOF with fsync always: a master killed in the node test must come back with what it acknowledged
    private final LocalCluster cluster = LocalCluster.builder().masters(3)
            .config("appendonly", "yes").config("appendfsync", "always").start();

    @AfterAll
    void stop() {
        cluster.close();
    }

    private ClusterAccess access() {
        return ClusterAccess.connect(MoverIT.seed(cluster));
    }

    private static RedisCommands<byte[], byte[]> on(ClusterAccess access, NodeInfo node) {
        return access.connection(node).sync();
    }

    /** Runs fix and asserts that check is then healthy and the keys unchanged. */
    private FixOutcome fixAndVerify(ClusterAccess access, List<byte[]> keys, Map<String, TestData.Entry> before,
            FixPlan.Kind expected) {
        FixPlan plan = ClusterFix.plan(access);
        assertThat(plan.actions()).as("%s\n%s", plan.table(), ClusterCheck.check(access).table())
                .extracting(FixPlan.Action::kind).contains(expected);
        FixOutcome outcome = ClusterFix.fix(access, MoverOptions.defaults(), MoveListener.NONE);
        assertThat(outcome.after().problems()).as("%s", outcome.after().table()).isEmpty();
        assertThat(ClusterFix.plan(access).isEmpty()).isTrue();
        TestData.assertSame(before, TestData.snapshot(cluster, keys), 60_000);
        return outcome;
    }

    @Test
    void finishesASlotOpenOnBothSides() {
        try (ClusterAccess access = access()) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            NodeInfo target = topology.masters().get(1);
            int slot = TestData.slotsOf(source, 7, 1).next(0);
            List<byte[]> keys = TestData.load(cluster, SlotSet.of(slot), 5);
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            on(access, target).clusterSetSlotImporting(slot, source.id());
            on(access, source).clusterSetSlotMigrating(slot, target.id());
            // half of the keys moved, as a run killed in the middle leaves them
            on(access, source).migrate(target.host(), target.port(), 0, 5000,
                    SlotMigration.migrateArgs(access.options(), keys.subList(0, keys.size() / 2), false));

            fixAndVerify(access, keys, before, FixPlan.Kind.FINISH_MOVE);
            assertThat(access.topology().node(target.id()).slots().contains(slot)).isTrue();
            assertThat(TestData.countKeys(cluster, source.id(), slot)).isZero();
        }
    }

    @Test
    void returnsKeysOfASlotOnlyImportingToItsOwner() {
        try (ClusterAccess access = access()) {
            Topology topology = access.topology();
            NodeInfo owner = topology.masters().get(1);
            NodeInfo importer = topology.masters().get(2);
            int slot = TestData.slotsOf(owner, 11, 1).next(0);
            List<byte[]> keys = TestData.load(cluster, SlotSet.of(slot), 3);
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            on(access, importer).clusterSetSlotImporting(slot, owner.id());
            byte[] stray = TestData.bytes("{" + io.reslot.slot.SlotTags.tagFor(slot) + "}stray");
            try (var dedicated = access.dedicated(importer)) {
                dedicated.sync().asking();
                dedicated.sync().set(stray, TestData.bytes("written under ASK"));
            }

            fixAndVerify(access, keys, before, FixPlan.Kind.RETURN_KEYS);
            assertThat(access.topology().node(owner.id()).slots().contains(slot)).isTrue();
            assertThat(TestData.countKeys(cluster, importer.id(), slot)).isZero();
            assertThat(on(access, owner).get(stray)).isEqualTo(TestData.bytes("written under ASK"));
        }
    }

    @Test
    void closesASlotOnlyMigratingWithNothingToMove() {
        try (ClusterAccess access = access()) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(2);
            NodeInfo target = topology.masters().get(0);
            int slot = TestData.slotsOf(source, 3, 1).next(0);
            List<byte[]> keys = TestData.load(cluster, SlotSet.of(slot), 2);
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            on(access, source).clusterSetSlotMigrating(slot, target.id());

            FixOutcome outcome = fixAndVerify(access, keys, before, FixPlan.Kind.CLOSE_SLOT);
            assertThat(outcome.done()).extracting(FixPlan.Action::kind).containsExactly(FixPlan.Kind.CLOSE_SLOT);
            assertThat(access.topology().node(source.id()).slots().contains(slot)).isTrue();
        }
    }

    @Test
    void givesAnUncoveredSlotToTheMasterHoldingItsKeys() {
        try (ClusterAccess access = access()) {
            Topology topology = access.topology();
            NodeInfo holder = topology.masters().get(0);
            int slot = TestData.slotsOf(holder, 21, 1).next(0);
            List<byte[]> keys = TestData.load(cluster, SlotSet.of(slot), 2);
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            for (NodeInfo master : topology.masters()) {
                on(access, master).clusterDelSlots(slot);
            }

            fixAndVerify(access, keys, before, FixPlan.Kind.ASSIGN_SLOTS);
            assertThat(access.topology().node(holder.id()).slots().contains(slot)).isTrue();
        }
    }

    @Test
    void aKilledTargetStopsTheMoveAndFixFinishesItAfterARestart() throws Exception {
        try (ClusterAccess access = access()) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(1);
            NodeInfo target = topology.masters().get(2);
            SlotSet moving = TestData.slotsOf(source, 100, 300);
            List<byte[]> keys = TestData.load(cluster, moving, 3);
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            ClusterNode targetNode = cluster.nodes().stream().filter(n -> n.nodeId().equals(target.id())).findFirst()
                    .orElseThrow();
            List<Integer> done = java.util.Collections.synchronizedList(new ArrayList<>());
            MoverIT.Recorder recorder = new MoverIT.Recorder();
            java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
            // kill the target in the middle of a slot: after some batches of it reached the target, before the rest
            MoveListener killMidSlot = event -> {
                if (event instanceof MoveEvent.SlotDone slotDone) {
                    done.add(slotDone.slot());
                } else if (event instanceof MoveEvent.BatchMoved && batches.incrementAndGet() == 30) {
                    cluster.kill(targetNode);
                }
            };
            Plan.Transfer transfer = new Plan.Transfer(source.id(), source.address(), target.id(), target.address(),
                    moving);
            MoverOptions slow = MoverOptions.builder().window(2).batchKeys(5).timeoutMillis(2000).build();

            try {
                assertThatThrownBy(() -> new Mover(access, topology, slow, killMidSlot, recorder)
                        .move(List.of(transfer)))
                        .isInstanceOf(MigrateException.class)
                        .hasMessageContaining(target.address())
                        .hasMessageContaining("reslot ");
            } finally {
                if (targetNode.state() != ClusterNode.State.RUNNING) {
                    cluster.restart(targetNode);
                }
            }
            // nothing finalised wrongly: every slot is either done, or still served by the source
            Topology broken = access.topology();
            for (int slot : moving.toArray()) {
                if (!done.contains(slot)) {
                    assertThat(broken.node(source.id()).slots().contains(slot)).as("slot %d", slot).isTrue();
                }
            }

            fixAndVerify(access, keys, before, FixPlan.Kind.FINISH_MOVE);
        }
    }

    /**
     * The target master dies mid-move and its replica takes over: the source still names the dead target in its
     * MIGRATING state, and the old target comes back as a replica. fix finishes the move on the new master, which
     * holds the keys the target had received (replicated before the kill).
     */
    @Test
    void finishesAMoveOnTheReplicaThatTookOverFromItsTarget() throws Exception {
        try (LocalCluster withReplicas = LocalCluster.builder().masters(3).replicas(1)
                .nodeTimeout(java.time.Duration.ofMillis(1500)).start();
                ClusterAccess access = ClusterAccess.connect(MoverIT.seed(withReplicas))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            NodeInfo target = topology.masters().get(1);
            int slot = TestData.slotsOf(source, 7, 1).next(0);
            List<byte[]> keys = TestData.load(withReplicas, SlotSet.of(slot), 8);
            Map<String, TestData.Entry> before = TestData.snapshot(withReplicas, keys);
            on(access, target).clusterSetSlotImporting(slot, source.id());
            on(access, source).clusterSetSlotMigrating(slot, target.id());
            List<byte[]> moved = keys.subList(0, keys.size() / 2);
            on(access, source).migrate(target.host(), target.port(), 0, 5000,
                    SlotMigration.migrateArgs(access.options(), moved, false));
            ClusterNode targetNode = withReplicas.nodes().stream().filter(n -> n.nodeId().equals(target.id()))
                    .findFirst().orElseThrow();
            ClusterNode replica = withReplicas.replicasOf(targetNode).get(0);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (TestData.countKeys(withReplicas, replica.nodeId(), slot) < moved.size()) {
                assertThat(System.nanoTime()).as("the replica has the moved keys").isLessThan(deadline);
                Thread.sleep(20);
            }
            withReplicas.kill(targetNode);
            withReplicas.awaitReady(); // the replica took over
            withReplicas.restart(targetNode); // back as the new master's replica

            FixPlan plan = ClusterFix.plan(access);
            assertThat(plan.actions()).as(plan.table()).extracting(FixPlan.Action::kind)
                    .containsExactly(FixPlan.Kind.FINISH_MOVE);
            assertThat(plan.actions().get(0).to().id()).isEqualTo(replica.nodeId());
            FixOutcome outcome = ClusterFix.fix(access, MoverOptions.defaults(), MoveListener.NONE);
            assertThat(outcome.after().problems()).as("%s", outcome.after().table()).isEmpty();
            assertThat(access.topology().ownerOf(slot)).isEqualTo(replica.nodeId());
            TestData.assertSame(before, TestData.snapshot(withReplicas, keys), 60_000);
        }
    }
}
