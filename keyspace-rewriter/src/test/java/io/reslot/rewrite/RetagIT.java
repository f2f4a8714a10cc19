package io.reslot.rewrite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.Topology;
import io.reslot.migrate.internal.LeaseLock;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.RetagTesting.KeyState;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.Test;

import static io.reslot.rewrite.RetagTesting.access;
import static io.reslot.rewrite.RetagTesting.acknowledged;
import static io.reslot.rewrite.RetagTesting.assertRetagged;
import static io.reslot.rewrite.RetagTesting.await;
import static io.reslot.rewrite.RetagTesting.b;
import static io.reslot.rewrite.RetagTesting.renamed;
import static io.reslot.rewrite.RetagTesting.rules;
import static io.reslot.rewrite.RetagTesting.snapshot;
import static io.reslot.rewrite.RetagTesting.scriptCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Retag} on a sandbox cluster of 3 masters; each test works in a key space of its own. */
@WithLocalCluster(masters = 3)
class RetagIT {

    private static final List<String> TYPES = List.of("string", "hash", "list", "set", "zset", "stream");

    /** One key per type for each of {@code entities} entities, every other with a TTL; returns old name → type. */
    private static Map<String, String> load(LocalCluster cluster, String space, int entities) {
        Map<String, String> keys = new HashMap<>();
        Random random = new Random(space.hashCode());
        try (StatefulRedisClusterConnection<byte[], byte[]> c = cluster.clusterClient().connect(ByteArrayCodec.INSTANCE)) {
            RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis = c.async();
            List<RedisFuture<?>> replies = new ArrayList<>();
            for (int id = 0; id < entities; id++) {
                for (String type : TYPES) {
                    String name = space + ":" + id + ":" + type;
                    byte[] key = b(name);
                    String v = "v" + random.nextInt(1000);
                    replies.add(switch (type) {
                        case "string" -> redis.set(key, b(v));
                        case "hash" -> redis.hset(key, Map.of(b("a"), b(v), b("b"), b("2")));
                        case "list" -> redis.rpush(key, b(v), b("x"));
                        case "set" -> redis.sadd(key, b("1"), b("2"), b("3"));
                        case "zset" -> redis.zadd(key, 1.5, b(v));
                        case "stream" -> redis.xadd(key, Map.of(b("f"), b(v)));
                        default -> throw new IllegalArgumentException(type);
                    });
                    if (keys.size() % 2 == 1) {
                        replies.add(redis.pexpire(key, 600_000 + random.nextInt(600_000)));
                    }
                    keys.put(name, type);
                    if (replies.size() >= 5000) {
                        await(replies);
                    }
                }
            }
            await(replies);
        }
        return keys;
    }

    @Test
    void retagsEveryTypeKeepingPayloadAndTtlAndLeavesOtherKeysAlone(LocalCluster cluster) {
        Map<String, String> keys = load(cluster, "user", 100_000 / TYPES.size());
        Map<String, String> others = load(cluster, "other", 100);
        Map<String, KeyState> before = snapshot(cluster, keys.keySet());
        Map<String, KeyState> othersBefore = snapshot(cluster, others.keySet());
        AtomicInteger pages = new AtomicInteger();
        long scriptsBefore = scriptCalls(cluster);

        RetagCounts counts;
        try (ClusterAccess access = access(cluster)) {
            counts = Retag.run(access, rules("user"), RetagOptions.defaults(), total -> pages.incrementAndGet());
        }

        // a page at a time: one key at a time would run two scripts per key, and be just as correct, only slower
        assertThat(scriptCalls(cluster) - scriptsBefore).isLessThan(keys.size() / 20);
        assertThat(counts.done()).isEqualTo(keys.size());
        assertThat(counts.left()).isZero();
        assertThat(pages.get()).isGreaterThan(10);
        assertRetagged(cluster, before);
        for (int id = 0; id < 100_000 / TYPES.size(); id++) {
            int slot = KeySlot.of("user:{" + id + "}:string");
            for (String type : TYPES) {
                assertThat(KeySlot.of("user:{" + id + "}:" + type)).isEqualTo(slot);
            }
        }
        Map<String, KeyState> othersAfter = snapshot(cluster, others.keySet());
        othersBefore.forEach((name, was) -> assertThat(othersAfter.get(name).payload()).as(name)
                .isEqualTo(was.payload()));
    }

    /** Clients INCRement the old names during the retag: old + new must hold every acknowledged increment. */
    @Test
    void losesNoIncrementMadeDuringTheRetag(LocalCluster cluster) throws Exception {
        int counters = 2000;
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < counters; i++) {
                sent.add(c.async().set("ctr:" + i + ":n", "0"));
            }
            await(sent);
        }
        AtomicBoolean retagging = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<long[]>> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int seed = w;
            writers.add(pool.submit(() -> {
                long[] acknowledged = new long[counters];
                Random random = new Random(seed);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
                    for (int op = 0; op < 1_000_000 && retagging.get() && System.nanoTime() < deadline; op++) {
                        int i = random.nextInt(counters);
                        c.sync().incr("ctr:" + i + ":n");
                        acknowledged[i]++;
                    }
                }
                return acknowledged;
            }));
        }
        Thread.sleep(300);
        try (ClusterAccess access = access(cluster)) {
            Retag.run(access, rules("ctr"), RetagOptions.builder().scanCount(50).inFlight(20).build(), Retag.Listener.NONE);
        } finally {
            Thread.sleep(300);
            retagging.set(false);
        }
        long[] acknowledged = acknowledged(writers, counters);
        pool.shutdown();
        long total = 0;
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            for (int i = 0; i < counters; i++) {
                String old = c.sync().get("ctr:" + i + ":n");
                String moved = c.sync().get("ctr:{" + i + "}:n");
                assertThat((old == null ? 0 : Long.parseLong(old)) + (moved == null ? 0 : Long.parseLong(moved)))
                        .as("counter %d", i).isEqualTo(acknowledged[i]);
                total += acknowledged[i];
            }
        }
        assertThat(total).as("increments").isGreaterThan(1000);
    }

    @Test
    void followsEachConflictPolicy(LocalCluster cluster) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect();
                ClusterAccess access = access(cluster)) {
            for (OnConflict policy : OnConflict.values()) {
                String space = "conflict" + policy.name().toLowerCase();
                for (int i = 0; i < 50; i++) {
                    c.sync().set(space + ":" + i + ":v", "old " + i);
                }
                c.sync().set(space + ":{7}:v", "taken");
                RetagOptions options = RetagOptions.builder().onConflict(policy).build();
                switch (policy) {
                    case FAIL -> {
                        assertThatThrownBy(() -> Retag.run(access, rules(space), options, Retag.Listener.NONE))
                                .isInstanceOf(RewriteException.class)
                                .hasMessageContaining("'" + space + ":7:v'")
                                .extracting(e -> ((RewriteException) e).code()).isEqualTo(RewriteErrorCode.CONFLICT);
                        assertThat(c.sync().get(space + ":7:v")).isEqualTo("old 7");
                        assertThat(c.sync().get(space + ":{7}:v")).isEqualTo("taken");
                    }
                    case SKIP -> {
                        RetagCounts counts = Retag.run(access, rules(space), options, Retag.Listener.NONE);
                        assertThat(counts.skipped()).isEqualTo(1);
                        assertThat(counts.moved()).isEqualTo(49);
                        assertThat(c.sync().get(space + ":7:v")).isEqualTo("old 7");
                        assertThat(c.sync().get(space + ":{7}:v")).isEqualTo("taken");
                    }
                    case REPLACE -> {
                        RetagCounts counts = Retag.run(access, rules(space), options, Retag.Listener.NONE);
                        assertThat(counts.moved()).isEqualTo(50);
                        assertThat(c.sync().exists(space + ":7:v")).isZero();
                        assertThat(c.sync().get(space + ":{7}:v")).isEqualTo("old 7");
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }
    }

    /** A run stopped part way keeps its progress in the cluster; the next run with the same rules finishes it. */
    @Test
    void aStoppedRunContinuesWhereItStopped(LocalCluster cluster) {
        Map<String, String> keys = load(cluster, "resume", 3000);
        AtomicInteger pages = new AtomicInteger();
        try (ClusterAccess access = access(cluster)) {
            assertThatThrownBy(() -> Retag.run(access, rules("resume"), RetagOptions.builder().scanCount(100).build(),
                    total -> {
                        if (pages.incrementAndGet() == 20) {
                            throw new IllegalStateException("stop here");
                        }
                    })).hasMessageContaining("stop here");
            Map<String, String> saved = access.metadata().sync().hgetall(Retag.STATE_KEY);
            assertThat(saved).containsKey("fingerprint").hasSizeGreaterThan(1);
            assertThat(LeaseLock.holder(access.metadata())).isEmpty();

            RetagCounts rest = Retag.run(access, rules("resume"), RetagOptions.defaults(), Retag.Listener.NONE);

            assertThat(rest.done()).isLessThan(keys.size()).isPositive();
            assertThat(access.metadata().sync().exists(Retag.STATE_KEY)).isZero();
        }
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            for (String old : keys.keySet()) {
                assertThat(c.sync().exists(old)).as(old).isZero();
                assertThat(c.sync().exists(renamed(old))).as(renamed(old)).isOne();
            }
        }
    }

    /** The dual-read rollout: copy, clients write one old key, verify sees it, cleanup deletes only the others. */
    @Test
    void copiesVerifiesAndCleansUp(LocalCluster cluster) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect();
                ClusterAccess access = access(cluster)) {
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(c.async().set("cp:" + i + ":v", "value " + i));
                if (i % 2 == 0) {
                    sent.add(c.async().pexpire("cp:" + i + ":v", 900_000));
                }
            }
            await(sent);
            RetagOptions copy = RetagOptions.builder().mode(RetagOptions.Mode.COPY).build();
            RetagOptions verify = RetagOptions.builder().mode(RetagOptions.Mode.VERIFY).build();
            RetagOptions cleanup = RetagOptions.builder().mode(RetagOptions.Mode.CLEANUP).build();

            RetagCounts copied = Retag.run(access, rules("cp"), copy, Retag.Listener.NONE);
            assertThat(copied.copied()).isEqualTo(200);
            for (int i = 0; i < 200; i++) {
                assertThat(c.sync().get("cp:{" + i + "}:v")).isEqualTo("value " + i);
                assertThat(c.sync().get("cp:" + i + ":v")).isEqualTo("value " + i);
            }
            assertThat(c.sync().pttl("cp:{0}:v")).isBetween(800_000L, 900_000L);
            assertThat(Retag.run(access, rules("cp"), copy, Retag.Listener.NONE).alreadyDone()).isEqualTo(200);

            c.sync().set("cp:3:v", "written after the copy");
            RetagCounts verified = Retag.run(access, rules("cp"), verify, Retag.Listener.NONE);
            assertThat(verified.leftOver()).isEqualTo(199);
            assertThat(verified.differs()).isEqualTo(1);
            assertThat(c.sync().exists("cp:5:v")).isOne();

            RetagCounts cleaned = Retag.run(access, rules("cp"), cleanup, Retag.Listener.NONE);
            assertThat(cleaned.cleaned()).isEqualTo(199);
            assertThat(cleaned.differs()).isEqualTo(1);
            assertThat(c.sync().get("cp:3:v")).isEqualTo("written after the copy");
            assertThat(c.sync().exists("cp:5:v")).isZero();
            assertThat(c.sync().get("cp:{5}:v")).isEqualTo("value 5");

            RetagCounts after = Retag.run(access, rules("cp"), verify, Retag.Listener.NONE);
            assertThat(after.matched()).isEqualTo(1);
            assertThat(after.differs()).isEqualTo(1);
        }
    }

    /**
     * Large hashes and sets copied to another node dump their members in another order (each node seeds its hash
     * tables at random): copy again, verify and cleanup compare them by content, not by payload.
     */
    @Test
    void comparesLargeHashesAndSetsCopiedToAnotherNodeByContent(LocalCluster cluster) {
        try (StatefulRedisClusterConnection<byte[], byte[]> c = cluster.clusterClient().connect(ByteArrayCodec.INSTANCE);
                ClusterAccess access = access(cluster)) {
            Topology topology = access.topology();
            List<String> names = new ArrayList<>();
            for (int id = 0; names.size() < 12; id++) {
                for (String type : List.of("h", "s")) {
                    String old = "big:" + id + ":" + type;
                    if (!topology.ownerOf(KeySlot.of(old)).equals(topology.ownerOf(KeySlot.of(renamed(old))))) {
                        names.add(old);
                    }
                }
            }
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (String name : names) {
                for (int m = 0; m < 500; m++) { // past the listpack limits: a hash table
                    sent.add(name.endsWith("h") ? c.async().hset(b(name), b("field" + m), b("value" + m))
                            : c.async().sadd(b(name), b("member" + m)));
                }
                sent.add(c.async().pexpire(b(name), 900_000));
            }
            await(sent);
            RetagOptions copy = RetagOptions.builder().mode(RetagOptions.Mode.COPY).build();

            assertThat(Retag.run(access, rules("big"), copy, Retag.Listener.NONE).copied()).isEqualTo(names.size());
            long reordered = names.stream().filter(name -> !java.util.Arrays.equals(c.sync().dump(b(name)),
                    c.sync().dump(b(renamed(name))))).count();
            assertThat(reordered).as("copies whose payload differs from the original's").isPositive();
            assertThat(Retag.run(access, rules("big"), copy, Retag.Listener.NONE).alreadyDone())
                    .isEqualTo(names.size());
            RetagCounts verified = Retag.run(access, rules("big"),
                    RetagOptions.builder().mode(RetagOptions.Mode.VERIFY).build(), Retag.Listener.NONE);
            assertThat(verified.leftOver()).isEqualTo(names.size());
            assertThat(verified.differs()).isZero();
            RetagCounts cleaned = Retag.run(access, rules("big"),
                    RetagOptions.builder().mode(RetagOptions.Mode.CLEANUP).build(), Retag.Listener.NONE);
            assertThat(cleaned.cleaned()).isEqualTo(names.size());
            for (String name : names) {
                assertThat(c.sync().exists(b(name))).isZero();
                assertThat(name.endsWith("h") ? c.sync().hlen(b(renamed(name))) : c.sync().scard(b(renamed(name))))
                        .isEqualTo(500);
            }
        }
    }

    @Test
    void aSecondRunWhileOneHoldsTheLockIsRefused(LocalCluster cluster) {
        // another run: another connection (the lock is re-entrant for its holder's own thread and connection)
        try (ClusterAccess access = access(cluster);
                ClusterAccess another = access(cluster);
                LeaseLock held = LeaseLock.acquire(another.metadata(), "reshard")) {
            assertThatThrownBy(() -> Retag.run(access, rules("locked"), RetagOptions.defaults(), Retag.Listener.NONE))
                    .isInstanceOf(RewriteException.class)
                    .extracting(e -> ((RewriteException) e).code()).isEqualTo(RewriteErrorCode.LOCKED);
        }
    }
}
