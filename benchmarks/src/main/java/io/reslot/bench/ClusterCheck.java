package io.reslot.bench;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.KeySlot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Loads a scenario's keys into a sandbox cluster and checks the cluster afterwards, independently of the tool that
 * moved them: plain {@code CLUSTER NODES}, {@code CLUSTER INFO}, {@code DBSIZE} and {@code EXISTS}.
 */
final class ClusterCheck {
    /** Keys per pipelined batch: about 2 MB of values, at least 100 keys. */
    private static final int BATCH_BYTES = 2 << 20;
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);
    private static final int EXISTS_SAMPLE = 20_000;

    private ClusterCheck() {
    }

    /**
     * Writes keys {@code 0 .. keys-1} of the scenario, each with a value of the scenario's size, pipelined as
     * {@link #writeAll} does, in batches of about 2 MB.
     *
     * @return the seconds it took
     * @throws IllegalStateException if a batch does not complete within 60 s or a {@code SET} is not acknowledged
     */
    static double load(LocalCluster cluster, Scenario scenario, int keys) {
        String value = "v".repeat(scenario.valueSize());
        long start = System.nanoTime();
        writeAll(cluster, keys, Math.max(100, BATCH_BYTES / scenario.valueSize()), scenario::key,
                (i, key, node) -> node.set(key, value));
        return (System.nanoTime() - start) / 1e9;
    }

    /** One write of {@link #writeAll}: key {@code i}, named {@code key}, to the master that serves it. */
    @FunctionalInterface
    interface Write {
        RedisFuture<?> send(int i, String key, RedisAsyncCommands<String, String> node);
    }

    /**
     * Sends {@code write} for keys {@code 0 .. keys-1}, pipelined: one plain connection per master with auto-flush
     * off, each key's command sent to the owner of its slot, flushed and awaited {@code batch} at a time. (A Lettuce
     * cluster connection with auto-flush off can strand commands it redirects or queues while connecting; plain
     * connections to the right node have nothing to redirect.)
     *
     * @throws IllegalStateException if a batch does not complete within 60 s or a command fails
     */
    static void writeAll(LocalCluster cluster, int keys, int batch, IntFunction<String> name, Write write) {
        String[] owners = view(cluster, cluster.masters().get(0)).owners();
        Map<String, StatefulRedisConnection<String, String>> connections = new HashMap<>();
        try {
            for (ClusterNode node : cluster.masters()) {
                StatefulRedisConnection<String, String> c = cluster.connect(node);
                c.setAutoFlushCommands(false);
                connections.put(node.nodeId(), c);
            }
            List<RedisFuture<?>> pending = new ArrayList<>(batch);
            for (int i = 0; i < keys; i++) {
                String key = name.apply(i);
                pending.add(write.send(i, key, connections.get(owners[KeySlot.of(key)]).async()));
                if (pending.size() == batch || i == keys - 1) {
                    connections.values().forEach(StatefulRedisConnection::flushCommands);
                    await(pending, "write");
                    pending.clear();
                }
            }
        } finally {
            connections.values().forEach(StatefulRedisConnection::close);
        }
    }

    /** @return the slot owners as {@code node} sees them */
    static ClusterView view(LocalCluster cluster, ClusterNode node) {
        try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
            return ClusterView.parse(c.sync().clusterNodes());
        }
    }

    /**
     * The outcome of {@link #awaitAgreement}.
     *
     * @param view     the first node's view at the last poll
     * @param problems empty when every node agreed, with no open slot and {@code cluster_state:ok}
     */
    record Agreement(ClusterView view, List<String> problems) {
    }

    /**
     * Polls every node until all give every slot the same owner, none reports an open slot and all report
     * {@code cluster_state:ok}, for at most {@code timeout}. Open slots do not close by themselves, so they end the
     * wait early.
     */
    static Agreement awaitAgreement(LocalCluster cluster, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> problems = new ArrayList<>();
            ClusterView first = null;
            for (ClusterNode node : cluster.nodes()) {
                try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                    ClusterView view = ClusterView.parse(c.sync().clusterNodes());
                    String info = c.sync().clusterInfo();
                    if (first == null) {
                        first = view;
                    } else if (!view.sameOwners(first)) {
                        problems.add(node.address() + " disagrees about slot owners");
                    }
                    if (!view.openSlots().isEmpty()) {
                        problems.add(node.address() + " has open slots " + view.openSlots());
                    }
                    if (!info.contains("cluster_state:ok")) {
                        problems.add(node.address() + " is not cluster_state:ok");
                    }
                }
            }
            boolean open = problems.stream().anyMatch(p -> p.contains("open slots"));
            if (problems.isEmpty() || open || System.nanoTime() - deadline > 0) {
                return new Agreement(first, problems);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * @return the sum of {@code DBSIZE} over all masters, less the keys reslot keeps about its jobs and lock
     *     ({@code {reslot}:...}, a few per run)
     */
    static long keyCount(LocalCluster cluster) {
        long sum = 0;
        for (ClusterNode node : cluster.masters()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                sum += c.sync().dbsize() - c.sync().keys("{reslot}:*").size();
            }
        }
        return sum;
    }

    /**
     * Asks the cluster, through a cluster client and asynchronously, whether up to 20,000 of the loaded keys (every
     * {@code keys/20000}-th) exist.
     *
     * @return how many of them do not
     */
    static long missingKeys(RedisClusterClient client, Scenario scenario, int keys) {
        int step = Math.max(1, keys / EXISTS_SAMPLE);
        long missing = 0;
        // Commands redirected by MOVED are re-queued but never flushed on a connection with auto-flush off, so this
        // one keeps auto-flush on (async commands still pipeline) and starts from the moved topology.
        client.refreshPartitions();
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            List<RedisFuture<Long>> pending = new ArrayList<>();
            for (int i = 0; i < keys; i += step) {
                pending.add(connection.async().exists(scenario.key(i)));
            }
            await(pending, "EXISTS");
            for (RedisFuture<Long> f : pending) {
                missing += f.toCompletableFuture().getNow(0L) == 1 ? 0 : 1;
            }
        }
        return missing;
    }

    private static void await(List<? extends RedisFuture<?>> pending, String command) {
        if (!LettuceFutures.awaitAll(BATCH_TIMEOUT, pending.toArray(new RedisFuture<?>[0]))) {
            throw new IllegalStateException(pending.size() + " pipelined " + command + " commands did not complete"
                    + " within " + BATCH_TIMEOUT);
        }
    }
}
