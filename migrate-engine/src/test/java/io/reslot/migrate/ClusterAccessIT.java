package io.reslot.migrate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Discovery and topology against real clusters of both bundled Redis versions (3 masters, 1 replica each). */
class ClusterAccessIT {

    @RegisterExtension
    static final SandboxClusters CLUSTERS = new SandboxClusters();

    private static LocalCluster cluster(BundledRedis version) {
        return CLUSTERS.get(version);
    }

    private static AccessOptions seed(LocalCluster cluster) {
        return SandboxClusters.seed(cluster);
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void discoversEveryNodeFromOneSeed(BundledRedis version) {
        LocalCluster cluster = cluster(version);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();

            assertThat(topology.views()).hasSize(6);
            assertThat(topology.agrees()).as("%s", topology.disagreements()).isTrue();
            assertThat(topology.masters()).hasSize(3);
            assertThat(topology.nodes()).hasSize(6);
            assertThat(topology.uncovered().isEmpty()).isTrue();
            for (NodeInfo master : topology.masters()) {
                assertThat(topology.replicasOf(master)).hasSize(1);
                assertThat(cluster.nodes()).anyMatch(n -> n.nodeId().equals(master.id()) && n.port() == master.port());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void seesOpenSlotsOnBothSides(BundledRedis version) {
        LocalCluster cluster = cluster(version);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology before = access.topology();
            NodeInfo source = before.masters().get(0);
            NodeInfo target = before.masters().get(1);
            int slot = source.slots().next(0);
            RedisCommands<byte[], byte[]> onTarget = access.connection(target).sync();
            RedisCommands<byte[], byte[]> onSource = access.connection(source).sync();
            try {
                assertThat(onTarget.clusterSetSlotImporting(slot, source.id())).isEqualTo("OK");
                assertThat(onSource.clusterSetSlotMigrating(slot, target.id())).isEqualTo("OK");

                Topology open = access.topology();

                assertThat(open.node(source.id()).migrating()).containsEntry(slot, target.id());
                assertThat(open.node(target.id()).importing()).containsEntry(slot, source.id());
                assertThat(open.ownerOf(slot)).isEqualTo(source.id());
            } finally {
                onSource.clusterSetSlotStable(slot);
                onTarget.clusterSetSlotStable(slot);
            }
            assertThat(access.topology().nodes()).noneMatch(NodeInfo::hasOpenSlots);
        }
    }

    @Test
    void usesPlainPerNodeConnections() {
        LocalCluster cluster = cluster(BundledRedis.REDIS_7_0);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();
            byte[] key = "reslot:access".getBytes(StandardCharsets.UTF_8);
            NodeInfo notOwner = topology.masters().stream()
                    .filter(m -> !m.slots().contains(KeySlot.of(key))).findFirst().orElseThrow();

            // A cluster client would follow the redirect; a per-node connection must not.
            assertThatThrownBy(() -> access.connection(notOwner).sync().get(key)).hasMessageContaining("MOVED");
        }
    }

    /** reslot's own records reach a replica before a run goes on; a replica that cannot acknowledge is reported. */
    @Test
    void waitsForAReplicaOfTheRecordsMaster() {
        LocalCluster cluster = cluster(BundledRedis.REDIS_7_0);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo owner = topology.node(topology.ownerOf(KeySlot.of(ClusterAccess.RECORDS_MARKER)));
            io.reslot.sandbox.ClusterNode replica = cluster.nodes().stream()
                    .filter(n -> n.masterId().filter(owner.id()::equals).isPresent()).findFirst().orElseThrow();

            assertThat(access.awaitRecordsReplicated(topology, 5_000)).as("acknowledged").isTrue();

            cluster.pause(replica);
            long started = System.nanoTime();
            try {
                assertThat(access.awaitRecordsReplicated(topology, 500)).as("paused replica").isFalse();
            } finally {
                cluster.resume(replica);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited").isGreaterThanOrEqualTo(
                    Duration.ofMillis(500));
        }
    }

    @Test
    void namesTheSeedsWhenNoneAnswers() {
        AccessOptions options = AccessOptions.builder().seeds("127.0.0.1:1", "127.0.0.1:2")
                .connectTimeout(Duration.ofSeconds(1)).build();

        assertThatThrownBy(() -> ClusterAccess.connect(options))
                .isInstanceOf(MigrateException.class)
                .hasMessageContaining("127.0.0.1:1 did not answer")
                .hasMessageContaining("127.0.0.1:2 did not answer")
                .satisfies(e -> assertThat(((MigrateException) e).code()).isEqualTo(MigrateErrorCode.UNREACHABLE));
    }
}
