package io.reslot.migrate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.SlotSet;
import io.reslot.slot.SlotTags;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys of every value type in chosen slots, loaded through a cluster client, and snapshots (DUMP payload and TTL of
 * every key) to compare before and after a move.
 */
final class TestData {

    /** The value types loaded, one key of each per slot and round. */
    static final List<String> TYPES = List.of("string", "hash", "list", "set", "zset", "stream");

    private TestData() {
    }

    /**
     * Loads {@code rounds} keys of each type into every slot of {@code slots}; every other key gets a TTL of 10 to 20
     * minutes. Returns the key names.
     */
    static List<byte[]> load(LocalCluster cluster, SlotSet slots, int rounds) {
        List<byte[]> keys = new ArrayList<>();
        Random random = new Random(slots.hashCode());
        try (StatefulRedisClusterConnection<byte[], byte[]> connection =
                cluster.clusterClient().connect(ByteArrayCodec.INSTANCE)) {
            RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis = connection.async();
            List<RedisFuture<?>> replies = new ArrayList<>();
            for (int slot = slots.next(0); slot >= 0; slot = slots.next(slot + 1)) {
                String tag = "{" + SlotTags.tagFor(slot) + "}";
                for (int round = 0; round < rounds; round++) {
                    for (String type : TYPES) {
                        byte[] key = bytes(tag + type + ":" + round);
                        replies.add(write(redis, type, key, random));
                        if (keys.size() % 2 == 1) {
                            replies.add(redis.pexpire(key, 600_000 + random.nextInt(600_000)));
                        }
                        keys.add(key);
                    }
                }
                if (replies.size() > 10_000) {
                    awaitAll(replies);
                }
            }
            awaitAll(replies);
        }
        return keys;
    }

    /** A hash of {@code fields} fields in {@code slot}, with a TTL; returns its name. */
    static byte[] loadBigHash(LocalCluster cluster, int slot, int fields) {
        byte[] key = bytes("{" + SlotTags.tagFor(slot) + "}bighash");
        try (StatefulRedisClusterConnection<byte[], byte[]> connection =
                cluster.clusterClient().connect(ByteArrayCodec.INSTANCE)) {
            List<RedisFuture<?>> replies = new ArrayList<>();
            Map<byte[], byte[]> chunk = new LinkedHashMap<>();
            for (int i = 0; i < fields; i++) {
                chunk.put(bytes("field-" + i), bytes("value-" + i * 7919L));
                if (chunk.size() == 1000) {
                    replies.add(connection.async().hset(key, chunk));
                    chunk = new LinkedHashMap<>();
                }
            }
            if (!chunk.isEmpty()) {
                replies.add(connection.async().hset(key, chunk));
            }
            replies.add(connection.async().pexpire(key, 900_000));
            awaitAll(replies);
        }
        return key;
    }

    private static RedisFuture<?> write(RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis, String type,
            byte[] key, Random random) {
        byte[] value = new byte[16 + random.nextInt(100)];
        random.nextBytes(value);
        switch (type) {
            case "string":
                return redis.set(key, value);
            case "hash":
                return redis.hset(key, Map.of(bytes("a"), value, bytes("b"), bytes("2")));
            case "list":
                return redis.rpush(key, value, bytes("x"), bytes("y"));
            case "set":
                return redis.sadd(key, value, bytes("m1"), bytes("m2"));
            case "zset":
                return redis.zadd(key, ScoredValue.just(1.5, value), ScoredValue.just(-3, bytes("z")));
            case "stream":
                return redis.xadd(key, Map.of(bytes("f"), value));
            default:
                throw new IllegalArgumentException(type);
        }
    }

    /**
     * A key's DUMP payload, remaining TTL, type and contents.
     *
     * @param dump the payload, null if the key does not exist
     * @param pttl milliseconds to live, -1 without TTL, -2 if missing
     * @param type its TYPE
     * @param contents its value in an order-independent form: a hash or set stored as a hash table is dumped in
     *     the table's order, which differs between two servers holding the same value, so for those two types the
     *     payloads are compared by length and the contents compared instead
     */
    record Entry(byte[] dump, long pttl, String type, String contents) {
    }

    /** DUMP and PTTL of every key, through the cluster client. */
    static Map<String, Entry> snapshot(LocalCluster cluster, List<byte[]> keys) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (StatefulRedisClusterConnection<byte[], byte[]> connection =
                cluster.clusterClient().connect(ByteArrayCodec.INSTANCE)) {
            RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis = connection.async();
            List<RedisFuture<byte[]>> dumps = new ArrayList<>();
            List<RedisFuture<Long>> ttls = new ArrayList<>();
            for (byte[] key : keys) {
                dumps.add(redis.dump(key));
                ttls.add(redis.pttl(key));
            }
            for (int i = 0; i < keys.size(); i++) {
                String type = get(redis.type(keys.get(i)));
                entries.put(new String(keys.get(i), StandardCharsets.ISO_8859_1),
                        new Entry(get(dumps.get(i)), get(ttls.get(i)), type, contents(redis, keys.get(i), type)));
            }
        }
        return entries;
    }

    private static String contents(RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis, byte[] key, String type) {
        switch (type) {
            case "hash":
                java.util.TreeMap<String, String> fields = new java.util.TreeMap<>();
                get(redis.hgetall(key)).forEach((f, v) -> fields.put(hex(f), hex(v)));
                return fields.toString();
            case "set":
                return new java.util.TreeSet<>(get(redis.smembers(key)).stream().map(TestData::hex).toList()).toString();
            default:
                return ""; // the payload of other types does not depend on the server's hash tables
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** Asserts that every key has the same payload as before and a TTL within 1 s (plus the time elapsed). */
    static void assertSame(Map<String, Entry> before, Map<String, Entry> after, long elapsedMillis) {
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        for (Map.Entry<String, Entry> was : before.entrySet()) {
            Entry now = after.get(was.getKey());
            assertThat(now.dump()).as("payload of %s", was.getKey()).isNotNull();
            assertThat(now.type()).as("type of %s", was.getKey()).isEqualTo(was.getValue().type());
            assertThat(now.contents()).as("contents of %s", was.getKey()).isEqualTo(was.getValue().contents());
            if (was.getValue().contents().isEmpty()) {
                assertThat(now.dump()).as("payload of %s", was.getKey()).isEqualTo(was.getValue().dump());
            } else {
                assertThat(now.dump()).as("payload of %s", was.getKey()).hasSameSizeAs(was.getValue().dump());
            }
            if (was.getValue().pttl() < 0) {
                assertThat(now.pttl()).as("ttl of %s", was.getKey()).isEqualTo(was.getValue().pttl());
            } else {
                assertThat(now.pttl()).as("ttl of %s", was.getKey())
                        .isBetween(was.getValue().pttl() - elapsedMillis - 1000, was.getValue().pttl());
            }
        }
    }

    /** The number of keys of {@code slot} that {@code node} holds. */
    static long countKeys(LocalCluster cluster, String nodeId, int slot) {
        try (StatefulRedisConnection<String, String> connection = cluster.connect(cluster.nodes().stream()
                .filter(n -> n.nodeId().equals(nodeId)).findFirst().orElseThrow())) {
            return connection.sync().clusterCountKeysInSlot(slot);
        }
    }

    /**
     * {@code count} consecutive slots of {@code node}, starting {@code offset} slots into the largest range it
     * serves, so that tests sharing a cluster (whose earlier moves leave small ranges behind) pick slots it owns.
     */
    static SlotSet slotsOf(NodeInfo node, int offset, int count) {
        io.reslot.slot.SlotRange largest = node.slots().ranges().stream()
                .max(java.util.Comparator.comparingInt(io.reslot.slot.SlotRange::size)).orElseThrow();
        assertThat(largest.size()).as("largest range of %s", node.address()).isGreaterThanOrEqualTo(offset + count);
        return SlotSet.parse((largest.first() + offset) + "-" + (largest.first() + offset + count - 1));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitAll(List<RedisFuture<?>> replies) {
        for (RedisFuture<?> reply : replies) {
            get(reply);
        }
        replies.clear();
    }

    private static <T> T get(RedisFuture<T> reply) {
        try {
            return reply.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
