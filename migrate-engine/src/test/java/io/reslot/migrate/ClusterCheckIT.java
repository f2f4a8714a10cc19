package io.reslot.migrate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.migrate.CheckReport.Kind;
import io.reslot.migrate.CheckReport.OpenSlot;
import io.reslot.migrate.CheckReport.Problem;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.SlotSet;
import io.reslot.slot.SlotTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterCheck} against real clusters of both bundled Redis versions (3 masters, 1 replica each). Every test
 * puts its cluster back as it found it, so that the tests share one cluster per version.
 */
class ClusterCheckIT {

    @RegisterExtension
    static final SandboxClusters CLUSTERS = new SandboxClusters();

    private static LocalCluster cluster(BundledRedis version) {
        return CLUSTERS.get(version);
    }

    private static ClusterAccess connect(LocalCluster cluster) {
        return ClusterAccess.connect(SandboxClusters.seed(cluster));
    }

    private static byte[] keyIn(int slot, String name) {
        return ("{" + SlotTags.tagFor(slot) + "}" + name).getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void findsNothingWrongWithAFreshCluster(BundledRedis version) throws Exception {
        try (ClusterAccess access = connect(cluster(version))) {
            CheckReport report = ClusterCheck.check(access);

            assertThat(report.problems()).isEmpty();
            assertThat(report.isHealthy()).isTrue();
            assertThat(report).extracting(CheckReport::nodes, CheckReport::masters, CheckReport::answered)
                    .containsExactly(6, 3, 6);
            assertThat(report.table()).startsWith("6 nodes (3 masters), 6 answered: healthy");
            ObjectMapper json = new ObjectMapper();
            String text = json.writeValueAsString(report);
            assertThat(json.readTree(text).get("healthy").asBoolean()).isTrue();
            assertThat(json.readValue(text, CheckReport.class)).isEqualTo(report);
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void reportsAnOpenSlotWithBothSidesAndTheirKeys(BundledRedis version) throws Exception {
        try (ClusterAccess access = connect(cluster(version))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            NodeInfo target = topology.masters().get(1);
            int slot = source.slots().next(0) + 7;
            RedisCommands<byte[], byte[]> onSource = access.connection(source).sync();
            RedisCommands<byte[], byte[]> onTarget = access.connection(target).sync();
            onSource.set(keyIn(slot, "a"), "1".getBytes(StandardCharsets.UTF_8));
            onSource.set(keyIn(slot, "b"), "2".getBytes(StandardCharsets.UTF_8));
            try {
                onTarget.clusterSetSlotImporting(slot, source.id());
                onSource.clusterSetSlotMigrating(slot, target.id());
                setAsking(access, target, keyIn(slot, "c"));

                CheckReport report = ClusterCheck.check(access);

                assertThat(report.isHealthy()).isFalse();
                assertThat(report.problems()).extracting(Problem::kind).containsExactly(Kind.OPEN_SLOT);
                Problem problem = report.problems().get(0);
                assertThat(problem.slots()).isEqualTo(SlotSet.of(slot));
                assertThat(problem.openSlot()).isEqualTo(new OpenSlot(slot,
                        new CheckReport.Node(source.id(), source.address()), true, 2L,
                        new CheckReport.Node(target.id(), target.address()), true, 1L, source.id()));
                assertThat(problem.message()).isEqualTo("slot " + slot + " is MIGRATING on " + problem.nodes().get(0)
                        + " and IMPORTING on " + problem.nodes().get(1) + "; keys: 2 on the source, 1 on the target");
                assertThat(report.table()).containsPattern("\nopen-slot +" + slot + " +slot " + slot + " is MIGRATING");
                ObjectMapper json = new ObjectMapper();
                assertThat(json.readValue(json.writeValueAsString(report), CheckReport.class)).isEqualTo(report);

                // Half closed: only the target still imports.
                onSource.clusterSetSlotStable(slot);
                OpenSlot half = ClusterCheck.check(access).problems(Kind.OPEN_SLOT).get(0).openSlot();
                assertThat(half.migrating()).isFalse();
                assertThat(half.importing()).isTrue();
            } finally {
                onSource.clusterSetSlotStable(slot);
                onTarget.clusterSetSlotStable(slot);
                onSource.del(keyIn(slot, "a"), keyIn(slot, "b"));
                removeUnowned(access, target, source, slot, keyIn(slot, "c"));
            }
            assertThat(ClusterCheck.check(access).problems()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void countsKeysInSlotsANodeDoesNotServe(BundledRedis version) {
        try (ClusterAccess access = connect(cluster(version))) {
            Topology topology = access.topology();
            NodeInfo owner = topology.masters().get(2);
            NodeInfo holder = topology.masters().get(0);
            int slot = owner.slots().next(0) + 3;
            // A key lands on a node that does not serve its slot when a move is opened, written to with ASKING,
            // and closed again without moving the slot: what an interrupted move or a hand-made mistake leaves.
            RedisCommands<byte[], byte[]> onHolder = access.connection(holder).sync();
            onHolder.clusterSetSlotImporting(slot, owner.id());
            setAsking(access, holder, keyIn(slot, "x"));
            setAsking(access, holder, keyIn(slot, "y"));
            onHolder.clusterSetSlotStable(slot);
            try {
                CheckReport report = ClusterCheck.check(access);

                assertThat(report.problems()).extracting(Problem::kind).containsExactly(Kind.KEYS_IN_UNOWNED_SLOTS);
                Problem problem = report.problems().get(0);
                assertThat(problem.nodes()).containsExactly(new CheckReport.Node(holder.id(), holder.address()));
                assertThat(problem.slots()).isEqualTo(SlotSet.of(slot));
                assertThat(problem.keysPerSlot()).containsExactly(Map.entry(slot, 2L));
                assertThat(problem.keys()).isEqualTo(2);
                assertThat(problem.message()).isEqualTo(problem.nodes().get(0)
                        + " holds 2 keys in 1 slot it does not serve: " + slot + " (2)");
            } finally {
                removeUnowned(access, holder, owner, slot, keyIn(slot, "x"), keyIn(slot, "y"));
            }
            assertThat(ClusterCheck.check(access).problems()).isEmpty();
        }
    }

    @Test
    void reportsSlotsNoMasterServes() {
        LocalCluster cluster = cluster(BundledRedis.DEFAULT);
        try (ClusterAccess access = connect(cluster)) {
            NodeInfo owner = access.topology().masters().get(1);
            int slot = owner.slots().next(0) + 11;
            for (ClusterNode node : cluster.nodes()) {
                try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                    c.sync().clusterDelSlots(slot);
                }
            }
            try {
                CheckReport report = ClusterCheck.check(access);

                assertThat(report.problems()).extracting(Problem::kind).containsExactly(Kind.UNCOVERED_SLOTS);
                assertThat(report.problems().get(0).slots()).isEqualTo(SlotSet.of(slot));
                assertThat(report.problems().get(0).message()).isEqualTo("1 slot is served by no master: " + slot);
            } finally {
                access.connection(owner).sync().clusterAddSlots(slot);
                cluster.awaitReady();
            }
            assertThat(ClusterCheck.check(access).problems()).isEmpty();
        }
    }

    @Test
    void reportsAKilledNodeAsUnreachableAndThenFailing() throws Exception {
        LocalCluster cluster = cluster(BundledRedis.DEFAULT);
        ClusterNode replica = cluster.replicas().get(0);
        try (ClusterAccess access = connect(cluster)) {
            cluster.kill(replica);
            try {
                CheckReport report = ClusterCheck.check(access);

                assertThat(report.answered()).isEqualTo(5);
                Problem unreachable = report.problems(Kind.NODE_UNREACHABLE).get(0);
                assertThat(unreachable.nodes()).extracting(CheckReport.Node::id).containsExactly(replica.nodeId());
                assertThat(unreachable.message()).isEqualTo(unreachable.nodes().get(0) + " did not answer");

                // The others flag it once the node timeout (5 s in the sandbox) has passed.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (report.problems(Kind.NODE_FAILING).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                    report = ClusterCheck.check(access);
                }
                assertThat(report.problems()).extracting(Problem::kind)
                        .containsExactly(Kind.NODE_UNREACHABLE, Kind.NODE_FAILING);
                assertThat(report.problems(Kind.NODE_FAILING).get(0).message())
                        .startsWith(unreachable.nodes().get(0) + " is flagged failing by ")
                        .containsPattern("by [1-5] of 5 answering nodes: ");
            } finally {
                cluster.restart(replica);
            }
            assertThat(ClusterCheck.check(access).problems()).isEmpty();
        }
    }

    @Test
    void listsEveryNodeWithItsKeyCount() {
        LocalCluster cluster = cluster(BundledRedis.DEFAULT);
        try (ClusterAccess access = connect(cluster)) {
            NodeInfo master = access.topology().masters().get(0);
            byte[] key = keyIn(master.slots().next(0), "counted");
            access.connection(master).sync().set(key, new byte[] {1});
            try {
                NodesReport report = ClusterCheck.nodes(access);

                assertThat(report.nodes()).hasSize(6).allSatisfy(n -> assertThat(n.answered()).isTrue());
                NodesReport.Node listed = report.nodes().stream().filter(n -> n.id().equals(master.id()))
                        .findFirst().orElseThrow();
                assertThat(listed.role()).isEqualTo("master");
                assertThat(listed.keys()).isEqualTo(1L);
                assertThat(listed.slots()).isEqualTo(master.slots());
                assertThat(report.nodes().stream().filter(n -> n.role().equals("replica")))
                        .hasSize(3).allSatisfy(n -> assertThat(n.master()).isNotNull());
                assertThat(report.table().lines().findFirst().orElseThrow())
                        .matches("ID +ADDRESS +ROLE +MASTER +SLOTS +RANGES +KEYS +OPEN");
            } finally {
                access.connection(master).sync().del(key);
            }
        }
    }

    /** Writes {@code key} on {@code node} with {@code ASKING} first, so that it lands there while importing. */
    private static void setAsking(ClusterAccess access, NodeInfo node, byte[] key) {
        try (StatefulRedisConnection<byte[], byte[]> own = access.dedicated(node)) {
            own.sync().asking();
            own.sync().set(key, "v".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Deletes keys that {@code holder} has in {@code slot}, which {@code owner} serves, the way they got there. */
    private static void removeUnowned(ClusterAccess access, NodeInfo holder, NodeInfo owner, int slot, byte[]... keys) {
        RedisCommands<byte[], byte[]> onHolder = access.connection(holder).sync();
        onHolder.clusterSetSlotImporting(slot, owner.id());
        try (StatefulRedisConnection<byte[], byte[]> own = access.dedicated(holder)) {
            for (byte[] key : keys) {
                own.sync().asking();
                own.sync().del(key);
            }
        } finally {
            onHolder.clusterSetSlotStable(slot);
        }
    }
}
