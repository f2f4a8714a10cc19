package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;

import static org.assertj.core.api.Assertions.assertThat;

/** What the retag integration tests share: the rule they retag with, and reading and checking keys before and after. */
final class RetagTesting {

    /** Keys read per pipelined round, short enough that the time of the read bounds each expiry within milliseconds. */
    private static final int READ_CHUNK = 1000;

    private RetagTesting() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ClusterAccess access(LocalCluster cluster) {
        return ClusterAccess.connect(AccessOptions.builder().seeds(cluster.masters().get(0).address()).build());
    }

    /** {@code <space>:<id>:<field>} → {@code <space>:{<id>}:<field>}. */
    static Rules rules(String space) {
        return Rules.of(List.of(new Rule(space + ":*", "^" + space + ":(?<id>[0-9]+):(?<field>.*)$",
                space + ":{${id}}:${field}")));
    }

    /** The new name {@link #rules} give {@code old}. */
    static String renamed(String old) {
        String[] parts = old.split(":", 3);
        return parts[0] + ":{" + parts[1] + "}:" + parts[2];
    }

    /**
     * How many scripts the masters have run so far ({@code EVAL} and {@code EVALSHA} calls in
     * {@code INFO commandstats}): a retag that moves pages a few scripts at a time runs far fewer than one per key.
     */
    static long scriptCalls(LocalCluster cluster) {
        long calls = 0;
        for (ClusterNode master : cluster.masters()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(master)) {
                for (String line : c.sync().info("commandstats").split("\r?\n")) {
                    if (line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_evalsha:")) {
                        String count = line.substring(line.indexOf("calls=") + 6);
                        calls += Long.parseLong(count.substring(0, count.indexOf(',')));
                    }
                }
            }
        }
        return calls;
    }

    /** How many times {@code node} has run {@code command} (lower case), scripts' calls included: INFO commandstats. */
    static long commandCalls(RedisCommands<String, String> node, String command) {
        String prefix = "cmdstat_" + command + ":calls=";
        for (String line : node.info("commandstats").split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return Long.parseLong(line.substring(prefix.length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    /** The increments the writers had acknowledged, per counter, summed over the writers (each waited for 60 s). */
    static long[] acknowledged(List<Future<long[]>> writers, int counters) throws Exception {
        long[] acknowledged = new long[counters];
        for (Future<long[]> writer : writers) {
            long[] counts = writer.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < counters; i++) {
                acknowledged[i] += counts[i];
            }
        }
        return acknowledged;
    }

    /** Waits for every reply and clears the list. */
    static void await(List<RedisFuture<?>> replies) {
        assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, replies.toArray(new RedisFuture[0]))).isTrue();
        replies.clear();
    }

    /**
     * A key as read: its {@code DUMP} payload ({@code null}: missing) and its absolute expiry in ms, known to lie
     * between {@code expiresFrom} and {@code expiresTo} (the read's start and end plus {@code PTTL}); both -1 for none.
     */
    record KeyState(byte[] payload, long expiresFrom, long expiresTo) {

        /** Whether this expiry and {@code other}'s can be the same within {@code toleranceMillis}. */
        boolean expiresWithin(KeyState other, long toleranceMillis) {
            if (expiresFrom < 0 || other.expiresFrom < 0) {
                return expiresFrom < 0 && other.expiresFrom < 0;
            }
            return expiresFrom <= other.expiresTo + toleranceMillis && other.expiresFrom <= expiresTo + toleranceMillis;
        }
    }

    /** Each key's payload and expiry, pipelined a chunk at a time. */
    static Map<String, KeyState> snapshot(LocalCluster cluster, Collection<String> names) {
        Map<String, KeyState> out = new HashMap<>();
        List<String> all = new ArrayList<>(names);
        try (StatefulRedisClusterConnection<byte[], byte[]> c = cluster.clusterClient().connect(ByteArrayCodec.INSTANCE)) {
            for (int from = 0; from < all.size(); from += READ_CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + READ_CHUNK));
                List<RedisFuture<byte[]>> dumps = new ArrayList<>();
                List<RedisFuture<Long>> ttls = new ArrayList<>();
                long start = System.currentTimeMillis();
                for (String name : chunk) {
                    dumps.add(c.async().dump(b(name)));
                    ttls.add(c.async().pttl(b(name)));
                }
                for (int i = 0; i < chunk.size(); i++) {
                    try {
                        byte[] payload = dumps.get(i).get();
                        long ttl = ttls.get(i).get();
                        long end = System.currentTimeMillis();
                        out.put(chunk.get(i), ttl < 0 ? new KeyState(payload, -1, -1)
                                : new KeyState(payload, start + ttl, end + ttl));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return out;
    }

    /** No ledger key is left on any master: every page's was deleted after its checkpoint, or read and deleted. */
    static void assertNoLedgerLeft(LocalCluster cluster) {
        for (ClusterNode master : cluster.masters()) {
            try (StatefulRedisConnection<String, String> node = cluster.connect(master)) {
                assertThat(node.sync().keys(Ledger.PREFIX + "*")).as("ledger keys on %s", master.nodeId()).isEmpty();
            }
        }
    }

    /**
     * Asserts that every key of {@code before} is gone under its old name and found under its {@link #renamed new
     * name} with the same payload and, within a second, the same expiry.
     */
    static void assertRetagged(LocalCluster cluster, Map<String, KeyState> before) {
        Map<String, KeyState> oldAfter = snapshot(cluster, before.keySet());
        Map<String, KeyState> after = snapshot(cluster, before.keySet().stream().map(RetagTesting::renamed).toList());
        before.forEach((old, was) -> {
            KeyState now = after.get(renamed(old));
            assertThat(oldAfter.get(old).payload()).as("%s is gone", old).isNull();
            assertThat(now.payload()).as("payload of %s", renamed(old)).isEqualTo(was.payload());
            assertThat(now.expiresWithin(was, 1000)).as("expiry of %s: %d..%d, was %d..%d", renamed(old),
                    now.expiresFrom(), now.expiresTo(), was.expiresFrom(), was.expiresTo()).isTrue();
        });
    }
}
