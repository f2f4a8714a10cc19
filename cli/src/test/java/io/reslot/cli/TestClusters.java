package io.reslot.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;

import static org.assertj.core.api.Assertions.assertThat;

/** What the integration tests of the moving commands do to and read from their sandbox clusters. */
final class TestClusters {

    private TestClusters() {
    }

    /** The address of the first master, for {@code -c}. */
    static String seed(LocalCluster cluster) {
        return cluster.masters().get(0).address();
    }

    /** A connection as the CLI makes it, as the default user (with the cluster's password and TLS, if it has them). */
    static ClusterAccess access(LocalCluster cluster) {
        AccessOptions.Builder options = AccessOptions.builder().seeds(seed(cluster));
        cluster.options().password().ifPresent(password -> options.password(password.toCharArray()));
        cluster.tlsCertificate().ifPresent(options::tlsCaFile);
        return ClusterAccess.connect(options.build());
    }

    /** The merged view of the cluster now. */
    static Topology topology(LocalCluster cluster) {
        try (ClusterAccess access = access(cluster)) {
            return access.topology();
        }
    }

    /** Master id → the slots it serves, as text ({@code 0-5460}), in id order. */
    static Map<String, String> slotsByMaster(LocalCluster cluster) {
        Map<String, String> slots = new TreeMap<>();
        for (NodeInfo master : topology(cluster).masters()) {
            slots.put(master.id(), master.slots().toString());
        }
        return slots;
    }

    /**
     * Writes {@code key:<prefix>:<i>} = {@code value:<i>} for i in [0, count), pipelined through the cluster client
     * (sent without waiting for replies; with auto-flush off, commands for a node whose connection Lettuce opens
     * lazily can stay unsent).
     *
     * @return the keys
     */
    static List<String> load(LocalCluster cluster, String prefix, int count) {
        List<String> keys = new ArrayList<>(count);
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterAsyncCommands<String, String> async = c.async();
            List<RedisFuture<String>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "key:" + prefix + ":" + i;
                keys.add(key);
                pending.add(async.set(key, "value:" + i));
                if (pending.size() == 5000 || i == count - 1) {
                    assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, pending.toArray(new RedisFuture[0])))
                            .isTrue();
                    pending.clear();
                }
            }
        }
        return keys;
    }

    /**
     * The sum of the masters' {@code DBSIZE}s, less the keys reslot keeps for itself ({@code {reslot}:...}). The
     * masters are those of the cluster now: Redis 7 turns a master that lost its last slot into a replica.
     */
    static long userKeys(LocalCluster cluster) {
        long total = 0;
        for (NodeInfo master : topology(cluster).masters()) {
            ClusterNode node = cluster.nodes().stream().filter(n -> n.nodeId().equals(master.id())).findFirst()
                    .orElseThrow();
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                total += c.sync().dbsize() - c.sync().keys("{reslot}:*").size();
            }
        }
        return total;
    }

    /** Reads {@code keys} through the cluster client and asserts each holds the value {@link #load} gave it. */
    static void assertValues(LocalCluster cluster, List<String> keys) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            for (String key : keys) {
                String i = key.substring(key.lastIndexOf(':') + 1);
                assertThat(c.sync().get(key)).as(key).isEqualTo("value:" + i);
            }
        }
    }

    /**
     * Runs {@code reslot check} until it finds the cluster healthy, for up to 15 s: after a drain, Redis 7 turns the
     * emptied master into a replica, and the nodes disagree until gossip has spread that.
     */
    static void awaitHealthy(LocalCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (Cli.run("-c", seed(cluster), "check").exit() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertHealthy(cluster);
    }

    /** Runs {@code reslot check} and asserts that the cluster is healthy. */
    static void assertHealthy(LocalCluster cluster) {
        Cli.Result check = Cli.run("-c", seed(cluster), "check");
        assertThat(check.exit()).as(check.stdout() + check.stderr()).isZero();
    }
}
