package io.reslot.migrate;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Moves on a cluster with one replica per master: the replicas end up with the keys and keep their masters. */
@WithLocalCluster(masters = 3, replicas = 1)
class MoverReplicasIT {

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void replicasOfTheTargetGetTheMovedKeys(int waitReplicas, LocalCluster cluster) throws Exception {
        try (ClusterAccess access = ClusterAccess.connect(MoverIT.seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(waitReplicas);
            NodeInfo target = topology.masters().get(2);
            SlotSet moving = TestData.slotsOf(source, 10, 50);
            List<byte[]> keys = TestData.load(cluster, moving, 2);

            List<MoveEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
            MoverOptions options = MoverOptions.builder().waitReplicas(waitReplicas).build();
            MoverIT.move(access, source, target, moving, options, new MoverIT.Recorder(), events);

            Topology after = MoverIT.awaitAgreement(access);
            assertThat(after.node(target.id()).slots().containsAll(moving)).isTrue();
            assertThat(after.nodes()).noneMatch(NodeInfo::hasOpenSlots);
            for (NodeInfo master : after.masters()) {
                assertThat(after.replicasOf(master)).as("replicas of %s", master.address()).hasSize(1);
            }
            NodeInfo replica = after.replicasOf(after.node(target.id())).get(0);
            ClusterNode replicaNode = cluster.nodes().stream().filter(n -> n.nodeId().equals(replica.id()))
                    .findFirst().orElseThrow();
            try (StatefulRedisConnection<String, String> onReplica = cluster.connect(replicaNode)) {
                onReplica.sync().readOnly();
                long deadline = System.nanoTime() + 10_000_000_000L; // replication is asynchronous without WAIT
                long missing;
                do {
                    missing = keys.stream().filter(k -> onReplica.sync().exists(new String(k,
                            java.nio.charset.StandardCharsets.UTF_8)) == 0).count();
                } while (missing > 0 && waitReplicas == 0 && System.nanoTime() < deadline);
                assertThat(missing).as("keys missing on the target's replica").isZero();
                for (int slot : moving.toArray()) {
                    // no marker key left behind by --wait-replicas
                    assertThat(onReplica.sync().clusterCountKeysInSlot(slot)).isEqualTo(2L * TestData.TYPES.size());
                }
            }
        }
    }

    /**
     * A replica that stops acknowledging stops the move, with the slot left open and a message that says what the
     * target reports of its replicas; once the replica runs again, {@code fix} finishes the slot and nothing is lost.
     */
    @Test
    void aReplicaThatDoesNotAcknowledgeStopsTheMoveAndIsDescribed(LocalCluster cluster) throws Exception {
        try (ClusterAccess access = ClusterAccess.connect(MoverIT.seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            NodeInfo target = topology.masters().get(1);
            SlotSet moving = TestData.slotsOf(source, 80, 3);
            List<byte[]> keys = TestData.load(cluster, moving, 2);
            java.util.Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            String replicaId = topology.replicasOf(target).get(0).id();
            ClusterNode replica = cluster.nodes().stream().filter(n -> n.nodeId().equals(replicaId)).findFirst()
                    .orElseThrow();
            MoverOptions options = MoverOptions.builder().waitReplicas(1).timeoutMillis(200).build();
            // made before the pause: reading the topology asks every node, and the paused one would not answer
            Mover mover = new Mover(access, topology, options, MoveListener.NONE, new MoverIT.Recorder());
            Plan.Transfer transfer = new Plan.Transfer(source.id(), source.address(), target.id(), target.address(),
                    moving);

            cluster.pause(replica);
            try {
                assertThatThrownBy(() -> mover.move(List.of(transfer)))
                        .isInstanceOf(MigrateException.class)
                        .hasMessageContaining("only 0 of the 1 replicas of " + target.address())
                        .hasMessageContaining("INFO replication: ip=127.0.0.1 port=" + replica.port() + " state=online")
                        .hasMessageContaining("master_repl_offset=");
            } finally {
                cluster.resume(replica);
            }
            assertThat(access.topology().node(source.id()).migrating().keySet()).isNotEmpty()
                    .allMatch(moving::contains); // the slots in flight

            ClusterFix.fix(access, MoverOptions.defaults(), MoveListener.NONE);
            assertThat(MoverIT.awaitAgreement(access).nodes()).noneMatch(NodeInfo::hasOpenSlots);
            TestData.assertSame(before, TestData.snapshot(cluster, keys), 10_000);
        }
    }
}
