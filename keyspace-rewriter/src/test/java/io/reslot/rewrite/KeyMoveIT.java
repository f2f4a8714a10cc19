package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.KeyMove.Outcome;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.junit.ClustersByVersion;
import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link KeyMove} on real clusters of both bundled Redis versions. */
class KeyMoveIT {

    @RegisterExtension
    static final ClustersByVersion CLUSTERS = new ClustersByVersion(0);

    private static final List<String> TYPES = List.of("string", "hash", "list", "set", "zset", "stream");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static StatefulRedisClusterConnection<byte[], byte[]> connect(BundledRedis version) {
        return CLUSTERS.get(version).clusterClient().connect(ByteArrayCodec.INSTANCE);
    }

    private static void write(RedisAdvancedClusterCommands<byte[], byte[]> redis, String type, byte[] key) {
        switch (type) {
            case "string" -> redis.set(key, b("value of " + new String(key, StandardCharsets.UTF_8)));
            case "hash" -> redis.hset(key, Map.of(b("f1"), b("v1"), b("f2"), b("v2")));
            case "list" -> redis.rpush(key, b("a"), b("b"), b("c"));
            case "set" -> redis.sadd(key, b("x"), b("y"), b("z"));
            case "zset" -> redis.zadd(key, 1.0, b("one"));
            case "stream" -> redis.xadd(key, Map.of(b("field"), b("value")));
            default -> throw new IllegalArgumentException(type);
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void movesEveryTypeToAnotherSlotKeepingPayloadAndExpiry(BundledRedis version) {
        try (var connection = connect(version)) {
            var redis = connection.sync();
            KeyMove move = new KeyMove(connection.async());
            for (String type : TYPES) {
                for (boolean withTtl : new boolean[] {false, true}) {
                    String id = type + (withTtl ? "-ttl" : "");
                    byte[] from = b("user:" + id + ":" + version);
                    byte[] to = b("user:{" + id + "}:" + version);
                    assertThat(KeySlot.of(from)).isNotEqualTo(KeySlot.of(to));
                    write(redis, type, from);
                    if (withTtl) {
                        redis.pexpire(from, 600_000);
                    }
                    byte[] payload = redis.dump(from);
                    List<String> members = type.equals("set") ? redis.smembers(from).stream()
                            .map(m -> new String(m, StandardCharsets.UTF_8)).toList() : List.of();
                    long pttl = redis.pttl(from);
                    long before = System.currentTimeMillis();

                    assertThat(move.move(from, to, OnConflict.FAIL)).as(id).isEqualTo(Outcome.MOVED);

                    assertThat(redis.exists(from)).as(id).isZero();
                    if (type.equals("set")) {
                        // a set of strings is a hash table on 7.0, dumped in table order, which differs by server
                        assertThat(redis.smembers(to).stream().map(m -> new String(m, StandardCharsets.UTF_8)))
                                .as(id).containsExactlyInAnyOrderElementsOf(members);
                    } else {
                        assertThat(redis.dump(to)).as(id).isEqualTo(payload);
                    }
                    if (withTtl) {
                        long elapsed = System.currentTimeMillis() - before;
                        assertThat(redis.pttl(to)).as(id).isBetween(pttl - elapsed - 1000, pttl);
                    } else {
                        assertThat(redis.pttl(to)).as(id).isEqualTo(-1);
                    }
                }
            }
        }
    }

    /** On Redis 7 the absolute expiry is read with PEXPIRETIME, so the copy expires at the very same millisecond. */
    @ParameterizedTest
    @EnumSource(value = BundledRedis.class, names = "REDIS_7_0")
    void keepsTheExactExpiryOnRedis7(BundledRedis version) {
        try (var connection = connect(version)) {
            var redis = connection.sync();
            byte[] from = b("exact:1");
            byte[] to = b("exact:{1}");
            redis.set(from, b("v"));
            redis.pexpireat(from, System.currentTimeMillis() + 3_600_123);
            long expiry = (Long) redis.dispatch(io.lettuce.core.protocol.CommandType.PEXPIRETIME,
                    new io.lettuce.core.output.IntegerOutput<>(ByteArrayCodec.INSTANCE),
                    new io.lettuce.core.protocol.CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(from));

            assertThat(new KeyMove(connection.async()).move(from, to, OnConflict.FAIL)).isEqualTo(Outcome.MOVED);

            assertThat((Long) redis.dispatch(io.lettuce.core.protocol.CommandType.PEXPIRETIME,
                    new io.lettuce.core.output.IntegerOutput<>(ByteArrayCodec.INSTANCE),
                    new io.lettuce.core.protocol.CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(to))).isEqualTo(expiry);
        }
    }

    /**
     * The scripts' absolute expiry is the very millisecond set, read after read: on 6.2 too, where it is derived from
     * a clock that runs on during the script. A key's expiry that seemed to drift made an unchanged key look changed
     * to the delete, and its copy was made again.
     */
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void readsTheExactAbsoluteExpiry(BundledRedis version) {
        try (var connection = connect(version)) {
            var redis = connection.sync();
            byte[] key = b("expiry:exact");
            long at = System.currentTimeMillis() + 3_600_123;
            redis.set(key, b("v"));
            redis.pexpireat(key, at);
            String read = KeyMove.EXPIRY_FUNCTION + "return expiry(KEYS[1])";
            for (int i = 0; i < 500; i++) {
                assertThat((Long) redis.eval(read, ScriptOutputType.INTEGER, key)).as("read " + i).isEqualTo(at);
            }
            redis.persist(key);
            assertThat((Long) redis.eval(read, ScriptOutputType.INTEGER, key)).as("no expiry").isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void renamesWithinASlotAndKeepsTheTtl(BundledRedis version) {
        try (var connection = connect(version)) {
            var redis = connection.sync();
            byte[] from = b("{same}:old");
            byte[] to = b("{same}:new");
            redis.set(from, b("v"));
            redis.pexpire(from, 500_000);

            assertThat(new KeyMove(connection.async()).move(from, to, OnConflict.FAIL)).isEqualTo(Outcome.RENAMED);

            assertThat(redis.exists(from)).isZero();
            assertThat(redis.get(to)).isEqualTo(b("v"));
            assertThat(redis.pttl(to)).isBetween(490_000L, 500_000L);
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void followsTheConflictPolicy(BundledRedis version) {
        try (var connection = connect(version)) {
            var redis = connection.sync();
            KeyMove move = new KeyMove(connection.async());
            for (OnConflict policy : OnConflict.values()) {
                for (String to : List.of("taken:{" + policy + "}", "{taken-" + policy + "}:new")) {
                    byte[] from = b("{taken-" + policy + "}:" + (to.startsWith("{") ? "old-same-slot" : "old"));
                    redis.set(from, b("old value"));
                    redis.set(b(to), b("other key"));

                    Outcome outcome = move.move(from, b(to), policy);

                    switch (policy) {
                        case FAIL -> assertThat(outcome).as(to).isEqualTo(Outcome.CONFLICT);
                        case SKIP -> assertThat(outcome).as(to).isEqualTo(Outcome.SKIPPED);
                        case REPLACE -> assertThat(outcome).as(to).isIn(Outcome.MOVED, Outcome.RENAMED);
                        default -> throw new IllegalStateException();
                    }
                    if (policy == OnConflict.REPLACE) {
                        assertThat(redis.exists(from)).as(to).isZero();
                        assertThat(redis.get(b(to))).as(to).isEqualTo(b("old value"));
                    } else {
                        assertThat(redis.get(from)).as(to).isEqualTo(b("old value"));
                        assertThat(redis.get(b(to))).as(to).isEqualTo(b("other key"));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void isIdempotentAndOverwritesItsOwnUnfinishedCopyOnlyWhenTold(BundledRedis version) {
        try (var connection = connect(version)) {
            var redis = connection.sync();
            KeyMove move = new KeyMove(connection.async());
            byte[] from = b("again:1");
            byte[] to = b("again:{1}");
            redis.set(from, b("v"));
            assertThat(move.move(from, to, OnConflict.FAIL)).isEqualTo(Outcome.MOVED);
            assertThat(move.move(from, to, OnConflict.FAIL)).isEqualTo(Outcome.ALREADY_DONE);
            assertThat(move.move(b("never:1"), b("never:{1}"), OnConflict.FAIL)).isEqualTo(Outcome.MISSING);

            // a run killed between the copy and the delete, and a client wrote the old name since
            byte[] half = b("half:1");
            byte[] halfTo = b("half:{1}");
            redis.set(half, b("copied"));
            redis.restore(halfTo, 0, redis.dump(half));
            redis.append(half, b(" and written since"));
            // the same value under both names is no proof that the new one is a copy: it takes the caller's word
            assertThat(move.move(half, halfTo, OnConflict.FAIL)).isEqualTo(Outcome.CONFLICT);
            assertThat(move.moveAsync(half, halfTo, OnConflict.FAIL, true).toCompletableFuture().join())
                    .isEqualTo(Outcome.MOVED);
            assertThat(redis.exists(half)).isZero();
            assertThat(redis.get(halfTo)).isEqualTo(b("copied and written since"));
        }
    }

    /**
     * Clients INCRement the old names while the keys move: every acknowledged increment must be found, in the new
     * key (made before the move's delete) or in the old name (created anew after it).
     */
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void losesNoIncrementMadeWhileTheKeysMove(BundledRedis version) throws Exception {
        int counters = 300;
        try (var connection = connect(version)) {
            var redis = connection.sync();
            for (int i = 0; i < counters; i++) {
                redis.set(b("ctr:" + version + ":" + i), b("0"));
            }
            AtomicBoolean moving = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<long[]>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int seed = w;
                writers.add(pool.submit(() -> increment(version, counters, seed, moving)));
            }
            Thread.sleep(200);
            KeyMove move = new KeyMove(connection.async());
            List<CompletableFuture<Outcome>> moves = new ArrayList<>();
            for (int i = 0; i < counters; i++) {
                moves.add(move.moveAsync(b("ctr:" + version + ":" + i), b("ctr:{" + version + ":" + i + "}"),
                        OnConflict.FAIL, false).toCompletableFuture());
            }
            CompletableFuture.allOf(moves.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            Thread.sleep(200);
            moving.set(false);
            long[] acknowledged = RetagTesting.acknowledged(writers, counters);
            pool.shutdown();
            long total = 0;
            for (int i = 0; i < counters; i++) {
                long old = value(redis.get(b("ctr:" + version + ":" + i)));
                long moved = value(redis.get(b("ctr:{" + version + ":" + i + "}")));
                assertThat(old + moved).as("counter %d", i).isEqualTo(acknowledged[i]);
                total += acknowledged[i];
            }
            assertThat(total).as("increments made").isGreaterThan(1000);
            assertThat(moves).allSatisfy(m -> assertThat(m.get()).isIn(Outcome.MOVED));
        }
    }

    private static long[] increment(BundledRedis version, int counters, int seed, AtomicBoolean moving) {
        long[] acknowledged = new long[counters];
        java.util.Random random = new java.util.Random(seed);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (StatefulRedisClusterConnection<String, String> c = CLUSTERS.get(version).clusterClient().connect()) {
            for (int op = 0; op < 500_000 && moving.get() && System.nanoTime() < deadline; op++) {
                int i = random.nextInt(counters);
                c.sync().incr("ctr:" + version + ":" + i);
                acknowledged[i]++;
            }
        }
        return acknowledged;
    }

    private static long value(byte[] v) {
        return v == null ? 0 : Long.parseLong(new String(v, StandardCharsets.US_ASCII));
    }
}
