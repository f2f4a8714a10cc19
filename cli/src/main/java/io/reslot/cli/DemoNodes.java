package io.reslot.cli;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.KeySlot;

/**
 * One plain connection per master of the demo's sandbox cluster, and each key sent straight to the master that serves
 * its slot in a given topology, pipelined: commands are written when {@link #flush()} is called, not one by one. The
 * demo loads and reads back hundreds of thousands of keys this way, without a cluster client's per-command routing.
 * Not thread-safe.
 */
final class DemoNodes implements AutoCloseable {

    /** How long one flushed batch may take to be answered. */
    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, StatefulRedisConnection<String, String>> byAddress = new LinkedHashMap<>();
    private final List<NodeInfo> masters;
    private final RedisAsyncCommands<String, String>[] bySlot;

    @SuppressWarnings("unchecked")
    private DemoNodes(LocalCluster cluster, Topology topology) {
        List<String> started = cluster.nodes().stream().map(ClusterNode::address).toList();
        masters = topology.masters().stream().sorted(Comparator.comparingInt((NodeInfo m) -> {
            int index = started.indexOf(m.address());
            return index < 0 ? Integer.MAX_VALUE : index;
        }).thenComparing(NodeInfo::address)).toList();
        bySlot = new RedisAsyncCommands[KeySlot.SLOT_COUNT];
        try {
            Map<String, RedisAsyncCommands<String, String>> byId = new LinkedHashMap<>();
            for (NodeInfo master : masters) {
                ClusterNode node = cluster.nodes().stream().filter(n -> n.address().equals(master.address()))
                        .findFirst().orElseThrow(() -> new IllegalStateException(master.address()
                                + " is not a node of the demo's sandbox cluster"));
                StatefulRedisConnection<String, String> connection = cluster.connect(node);
                connection.setAutoFlushCommands(false);
                byAddress.put(master.address(), connection);
                byId.put(master.id(), connection.async());
            }
            for (int slot = 0; slot < KeySlot.SLOT_COUNT; slot++) {
                String owner = topology.ownerOf(slot);
                bySlot[slot] = owner == null ? null : byId.get(owner);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Connects to every master of {@code topology}, a topology of {@code cluster}. */
    static DemoNodes open(LocalCluster cluster, Topology topology) {
        return new DemoNodes(cluster, topology);
    }

    /** The masters, in the order the sandbox started them. */
    List<NodeInfo> masters() {
        return masters;
    }

    /** The commands of {@code master}'s connection; nothing is sent before {@link #flush()}. */
    RedisAsyncCommands<String, String> on(NodeInfo master) {
        return byAddress.get(master.address()).async();
    }

    /**
     * The commands of the connection to the master that serves {@code key}; nothing is sent before {@link #flush()}.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNHEALTHY} if no master serves its slot
     */
    RedisAsyncCommands<String, String> owner(String key) {
        int slot = KeySlot.of(key);
        RedisAsyncCommands<String, String> commands = bySlot[slot];
        if (commands == null) {
            throw new MigrateException(MigrateErrorCode.UNHEALTHY, "no master serves slot " + slot + " (key " + key
                    + ")");
        }
        return commands;
    }

    /** Writes every command queued so far, on every connection. */
    void flush() {
        byAddress.values().forEach(StatefulRedisConnection::flushCommands);
    }

    /**
     * {@linkplain #flush() Flushes}, then waits until every one of {@code pending} is answered (a command that failed
     * counts as answered: its future holds the error).
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} if they are not all answered within
     *     {@link #BATCH_TIMEOUT}, {@link MigrateErrorCode#INTERRUPTED} if the thread is interrupted meanwhile
     */
    void flushAndAwait(List<? extends RedisFuture<?>> pending) {
        flush();
        CompletableFuture<?>[] all = new CompletableFuture<?>[pending.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = pending.get(i).toCompletableFuture();
        }
        try {
            CompletableFuture.allOf(all).handle((ok, failed) -> null).get(BATCH_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrateException(MigrateErrorCode.INTERRUPTED, "interrupted while waiting for Redis", e);
        } catch (TimeoutException e) {
            throw new MigrateException(MigrateErrorCode.UNREACHABLE, pending.size() + " pipelined commands were not "
                    + "answered within " + BATCH_TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the failures were handled", e);
        }
    }

    @Override
    public void close() {
        byAddress.values().forEach(StatefulRedisConnection::close);
    }
}
