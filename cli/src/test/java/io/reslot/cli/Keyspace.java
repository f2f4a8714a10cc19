package io.reslot.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reslot.migrate.NodeInfo;
import io.reslot.sandbox.LocalCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data of the fault trials, and the full comparison each trial ends with: every key of every master, read with
 * {@code DUMP} and {@code PTTL} before the trial and after it, must be there afterwards under its expected name with
 * the same payload and the same expiry (within {@link #EXPIRY_TOLERANCE_MILLIS}), and no other key may have
 * appeared. Counters ({@code ...:ctr}), which the trial's {@link Writers} change, are left to the writers' tally, and
 * reslot's own keys ({@code {reslot}...}) are not data.
 */
final class Keyspace {

    /** MIGRATE and RESTORE carry an expiry as a time to live, so the absolute expiry may shift by the transfer time. */
    static final long EXPIRY_TOLERANCE_MILLIS = 1000;
    private static final int PIPELINE = 1000;

    private Keyspace() {
    }

    /**
     * reslot's own keys: its state under {@code {reslot}}, the markers {@code --wait-replicas} writes in each slot it
     * moves (a run that dies leaves them; they expire after a minute), and a retag's page ledgers (a run that dies
     * between a page's checkpoint and their deletion leaves them; they expire after 7 days).
     */
    static boolean isReslots(String name) {
        return name.startsWith("{reslot}") || name.endsWith("}reslot:replicated")
                || name.startsWith("reslot:retag:ledger:");
    }

    /** Counters: written by the trial's writers, so compared by {@link #checkCounters}, not by payload. */
    static boolean isCounter(String name) {
        return name.endsWith(":ctr");
    }

    /**
     * Writes {@code entities} entities {@code <space>:<id>}, each a string {@code :s}, a list {@code :l}, a hash
     * {@code :h} and a set of integers {@code :n} (small, so that their payload is the same bytes on every node), one
     * entity in four with an expiry an hour or so from now (so none expires during the test).
     */
    static void load(LocalCluster cluster, String space, int entities) {
        long expireBase = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1);
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterAsyncCommands<String, String> async = c.async();
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int id = 0; id < entities; id++) {
                String entity = space + ":" + id + ":";
                sent.add(async.set(entity + "s", "value " + id));
                sent.add(async.rpush(entity + "l", "a" + id, "b", "c"));
                sent.add(async.hset(entity + "h", Map.of("name", "n" + id, "age", Integer.toString(id % 90))));
                sent.add(async.sadd(entity + "n", Integer.toString(id), "7", "42"));
                if (id % 4 == 0) {
                    for (String field : new String[] {"s", "l", "h", "n"}) {
                        sent.add(async.pexpireat(entity + field, expireBase + id));
                    }
                }
                if (sent.size() >= 5000) {
                    await(sent);
                }
            }
            await(sent);
        }
    }

    private static void await(List<RedisFuture<?>> sent) {
        assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, sent.toArray(new RedisFuture[0]))).isTrue();
        sent.clear();
    }

    /**
     * A key as read: its payload, and its absolute expiry known to lie between {@code expiresFrom} and
     * {@code expiresTo} (the read's start and end plus PTTL); both -1 for none.
     */
    record KeyState(byte[] payload, long expiresFrom, long expiresTo) {

        boolean sameExpiry(KeyState other) {
            if (expiresFrom < 0 || other.expiresFrom < 0) {
                return expiresFrom < 0 && other.expiresFrom < 0;
            }
            return expiresFrom <= other.expiresTo + EXPIRY_TOLERANCE_MILLIS
                    && other.expiresFrom <= expiresTo + EXPIRY_TOLERANCE_MILLIS;
        }
    }

    /**
     * Every data key of every master serving slots now, by SCAN on each; a name found on two masters (a slot left
     * half moved) is listed in {@code duplicates}.
     */
    record Snapshot(Map<String, KeyState> keys, Set<String> duplicates) {
    }

    static Snapshot snapshot(LocalCluster cluster) {
        Map<String, KeyState> keys = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        RedisClient client = RedisClient.create();
        try {
            for (NodeInfo master : TestClusters.topology(cluster).masters()) {
                if (master.slots().isEmpty() || master.isFailing()) {
                    continue;
                }
                try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE,
                        RedisURI.create(master.host(), master.port()))) {
                    read(c.async(), keys, duplicates);
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
        return new Snapshot(keys, duplicates);
    }

    private static void read(RedisAsyncCommands<byte[], byte[]> node, Map<String, KeyState> into,
            Set<String> duplicates) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = get(node.scan(cursor, ScanArgs.Builder.limit(PIPELINE)));
            List<String> names = new ArrayList<>();
            for (byte[] key : page.getKeys()) {
                String name = new String(key, StandardCharsets.UTF_8);
                if (!isReslots(name) && !isCounter(name)) {
                    names.add(name);
                }
            }
            long start = System.currentTimeMillis();
            List<RedisFuture<byte[]>> dumps = new ArrayList<>();
            List<RedisFuture<Long>> ttls = new ArrayList<>();
            for (String name : names) {
                byte[] key = name.getBytes(StandardCharsets.UTF_8);
                dumps.add(node.dump(key));
                ttls.add(node.pttl(key));
            }
            for (int i = 0; i < names.size(); i++) {
                byte[] payload = get(dumps.get(i));
                long ttl = get(ttls.get(i));
                long end = System.currentTimeMillis();
                if (payload == null) {
                    continue; // expired between SCAN and DUMP: none of ours does
                }
                KeyState state = ttl < 0 ? new KeyState(payload, -1, -1) : new KeyState(payload, start + ttl, end + ttl);
                if (into.put(names.get(i), state) != null) {
                    duplicates.add(names.get(i));
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    private static <T> T get(RedisFuture<T> reply) {
        try {
            return reply.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a trial did to the data.
     *
     * @param lost        keys of before missing afterwards under their expected name
     * @param changed     keys there with another payload
     * @param expiry      keys there with another expiry
     * @param notMoved    keys still under their old name, intact: a rename that did not happen (yet)
     * @param appeared    keys afterwards that were not expected (e.g. an old name left behind by a retag)
     * @param duplicates  names found on two masters afterwards
     */
    record Comparison(List<String> lost, List<String> changed, List<String> expiry, List<String> notMoved,
            List<String> appeared, Set<String> duplicates) {

        /** Keys that are not as they were: lost, changed or with another expiry. */
        int keysLost() {
            return lost.size() + changed.size() + expiry.size();
        }

        /** The first few of each kind, for an assertion message. */
        String describe() {
            return "lost " + first(lost) + ", changed " + first(changed) + ", expiry " + first(expiry)
                    + ", not renamed " + first(notMoved) + ", appeared "
                    + first(appeared) + ", on two masters " + first(new ArrayList<>(duplicates));
        }

        /** Lost or changed keys among those {@code lostToFailover} accepts, which a dead master took with it. */
        int keysLost(Predicate<String> lostToFailover) {
            int n = 0;
            for (List<String> names : List.of(lost, changed, expiry)) {
                n += (int) names.stream().filter(lostToFailover).count();
            }
            return n;
        }

        private static String first(List<String> names) {
            return names.size() + (names.isEmpty() ? "" : " " + names.subList(0, Math.min(5, names.size())));
        }
    }

    /** Compares before with after, each key of before expected under {@code rename.apply(name)}. */
    static Comparison compare(Snapshot before, Snapshot after, UnaryOperator<String> rename) {
        List<String> lost = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> expiry = new ArrayList<>();
        List<String> notMoved = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        before.keys().forEach((name, was) -> {
            String now = rename.apply(name);
            expected.add(now);
            KeyState is = after.keys().get(now);
            KeyState stayed = now.equals(name) ? null : after.keys().get(name);
            if (is == null && stayed != null && Arrays.equals(was.payload(), stayed.payload())) {
                notMoved.add(name); // a rename not (yet) done: the key is intact under its old name
                expected.add(name);
            } else if (is == null) {
                lost.add(now);
            } else if (!Arrays.equals(was.payload(), is.payload())) {
                changed.add(now);
            } else if (!was.sameExpiry(is)) {
                expiry.add(now);
            }
        });
        List<String> appeared = after.keys().keySet().stream().filter(name -> !expected.contains(name)).sorted()
                .toList();
        return new Comparison(lost, changed, expiry, notMoved, appeared, after.duplicates());
    }
}
