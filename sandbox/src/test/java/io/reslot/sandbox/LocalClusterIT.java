package io.reslot.sandbox;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.reslot.sandbox.ClusterNode.Role;
import io.reslot.sandbox.ClusterNode.State;
import io.reslot.sandbox.internal.NodeEntry;
import io.reslot.sandbox.internal.Readiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One cluster of 3 masters with 1 replica each per bundled Redis version, shared by the tests of this class, which
 * run in order: the cluster as started, then pause/resume, add a master, kill and restart, and finally close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
    private final Map<BundledRedis, LocalCluster> clusters = new EnumMap<>(BundledRedis.class);
    /** Every pid each cluster ever had, including those of killed processes. */
    private final Map<BundledRedis, List<Long>> pids = new EnumMap<>(BundledRedis.class);

    private LocalCluster cluster(BundledRedis version) {
        return clusters.computeIfAbsent(version, v -> {
            LocalCluster cluster = LocalCluster.builder()
                    .masters(3)
                    .replicas(1)
                    .redis(RedisServerBinary.bundled(v))
                    // short, so the kill test sees a failover quickly
                    .nodeTimeout(Duration.ofMillis(2000))
                    .start();
            pids.put(v, cluster.nodes().stream().map(ClusterNode::pid).collect(Collectors.toCollection(ArrayList::new)));
            return cluster;
        });
    }

    @AfterAll
    void closeWhatIsLeft() {
        clusters.values().forEach(LocalCluster::close);
    }

    @Order(1)
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void startsReadyClusterWithReplicas(BundledRedis version) {
        LocalCluster cluster = cluster(version);

        assertThat(cluster.redis().version()).startsWith(version.version() + ".");
        assertThat(cluster.nodes()).hasSize(6).allMatch(n -> n.state() == State.RUNNING);
        assertThat(cluster.masters()).hasSize(3);
        assertThat(cluster.replicas()).hasSize(3);
        for (ClusterNode master : cluster.masters()) {
            assertThat(cluster.replicasOf(master)).hasSize(1);
        }
        for (ClusterNode node : cluster.nodes()) {
            assertThat(node.directory().resolve("nodes.conf")).exists();
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                String info = c.sync().clusterInfo();
                assertThat(Readiness.field(info, "cluster_state")).isEqualTo("ok");
                assertThat(Readiness.field(info, "cluster_slots_assigned")).isEqualTo("16384");
                assertThat(Readiness.field(info, "cluster_slots_ok")).isEqualTo("16384");
                assertThat(Readiness.field(info, "cluster_known_nodes")).isEqualTo("6");
                assertThat(c.sync().clusterMyId()).isEqualTo(node.nodeId());
                assertThat(c.sync().configGet("bind")).containsEntry("bind", "127.0.0.1");
            }
        }

        StatefulRedisClusterConnection<String, String> connection = cluster.clusterClient().connect();
        try {
            RedisAdvancedClusterCommands<String, String> redis = connection.sync();
            for (int i = 0; i < 100; i++) {
                redis.set("key:" + i, "value:" + i);
            }
            for (int i = 0; i < 100; i++) {
                assertThat(redis.get("key:" + i)).isEqualTo("value:" + i);
            }
        } finally {
            connection.close();
        }
        for (ClusterNode master : cluster.masters()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(master)) {
                assertThat(c.sync().dbsize()).as("keys on %s", master).isPositive();
            }
        }
    }

    @Order(2)
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void pausesAndResumesNode(BundledRedis version) {
        LocalCluster cluster = cluster(version);
        ClusterNode replica = cluster.replicas().get(0);
        try (StatefulRedisConnection<String, String> c = cluster.connect(replica)) {
            c.setTimeout(Duration.ofMillis(300));
            assertThat(c.sync().ping()).isEqualTo("PONG");

            cluster.pause(replica);
            assertThat(replica.state()).isEqualTo(State.PAUSED);
            assertThat(ProcessHandle.of(replica.pid())).get().matches(ProcessHandle::isAlive);
            assertThatThrownBy(() -> c.sync().ping()).isInstanceOf(RedisCommandTimeoutException.class);
            assertThatThrownBy(() -> cluster.pause(replica)).isInstanceOf(IllegalStateException.class);

            cluster.resume(replica);
            assertThat(replica.state()).isEqualTo(State.RUNNING);
            c.setTimeout(Duration.ofSeconds(2));
            assertThat(c.sync().ping()).isEqualTo("PONG");
        }
        cluster.awaitReady();
    }

    @Order(3)
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void addsEmptyMaster(BundledRedis version) {
        LocalCluster cluster = cluster(version);

        ClusterNode added = cluster.addMaster();
        pids.get(version).add(added.pid());

        assertThat(added.role()).isEqualTo(Role.MASTER);
        assertThat(cluster.nodes()).hasSize(7).endsWith(added);
        assertThat(cluster.masters()).hasSize(4).contains(added);
        for (ClusterNode node : cluster.nodes()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                NodeEntry entry = entry(c.sync().clusterNodes(), added.nodeId());
                assertThat(entry.isMaster()).as("%s sees %s as master", node, added).isTrue();
                assertThat(entry.slots().isEmpty()).as("%s sees %s without slots", node, added).isTrue();
                assertThat(Readiness.field(c.sync().clusterInfo(), "cluster_known_nodes")).isEqualTo("7");
            }
        }
    }

    @Order(4)
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void restartsKilledMasterWhichRejoinsAsReplica(BundledRedis version) {
        LocalCluster cluster = cluster(version);
        ClusterNode master = cluster.masters().stream().filter(m -> !cluster.replicasOf(m).isEmpty()).findFirst()
                .orElseThrow();
        ClusterNode replica = cluster.replicasOf(master).get(0);
        long oldPid = master.pid();

        cluster.kill(master);
        assertThat(master.state()).isEqualTo(State.KILLED);
        assertThat(isAlive(oldPid)).isFalse();
        assertThatThrownBy(() -> cluster.pause(master)).isInstanceOf(IllegalStateException.class);

        // The replica takes over once the others flag the master as failed.
        cluster.awaitReady();
        assertThat(replica.role()).isEqualTo(Role.MASTER);

        cluster.restart(master);
        pids.get(version).add(master.pid());

        assertThat(master.state()).isEqualTo(State.RUNNING);
        assertThat(master.pid()).isNotEqualTo(oldPid);
        assertThat(master.role()).isEqualTo(Role.REPLICA);
        assertThat(master.masterId()).contains(replica.nodeId());
        for (ClusterNode node : cluster.nodes()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                assertThat(Readiness.field(c.sync().clusterInfo(), "cluster_state")).isEqualTo("ok");
                NodeEntry entry = entry(c.sync().clusterNodes(), master.nodeId());
                assertThat(entry.troubleFlag()).as("%s flags the restarted node", node).isNull();
                assertThat(entry.masterId()).isEqualTo(replica.nodeId());
            }
        }
        StatefulRedisClusterConnection<String, String> connection = cluster.clusterClient().connect();
        try {
            for (int i = 0; i < 100; i++) {
                assertThat(connection.sync().get("key:" + i)).isEqualTo("value:" + i);
            }
        } finally {
            connection.close();
        }
    }

    @Order(5)
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void closeStopsEveryProcessAndDeletesDirectory(BundledRedis version) {
        LocalCluster cluster = cluster(version);
        List<Long> all = pids.get(version);
        assertThat(all).hasSizeGreaterThanOrEqualTo(8);
        assertThat(Files.isDirectory(cluster.directory())).isTrue();

        cluster.close();

        assertThat(all).noneMatch(LocalClusterIT::isAlive);
        assertThat(cluster.directory()).doesNotExist();
        assertThat(cluster.isClosed()).isTrue();
        assertThat(cluster.nodes()).allMatch(n -> n.state() == State.CLOSED);
        cluster.close();
        assertThatThrownBy(cluster::addMaster).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(cluster::clusterClient).isInstanceOf(IllegalStateException.class);
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static NodeEntry entry(String clusterNodes, String id) {
        Set<NodeEntry> matches = NodeEntry.parseAll(clusterNodes).stream().filter(e -> e.id().equals(id))
                .collect(Collectors.toSet());
        assertThat(matches).as("entries for %s in%n%s", id, clusterNodes).hasSize(1);
        return matches.iterator().next();
    }
}
