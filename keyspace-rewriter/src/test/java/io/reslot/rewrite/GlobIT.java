package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.RedisServerBinary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Glob} against the server it imitates: on a one-master cluster of each bundled Redis version holding every
 * short key over an alphabet of glob metacharacters, letters and non-ASCII bytes, {@code SCAN ... MATCH} must return
 * exactly the keys that {@link Glob} matches, for every glob of one or two bytes over the same alphabet, every range
 * and negated range between two of its bytes, and a few hundred random globs.
 */
class GlobIT {

    /** Metacharacters, a few letters, and bytes that are negative as Java bytes and signed chars. */
    private static final byte[] ALPHABET = {'a', 'b', 'z', '*', '?', '[', ']', '^', '-', '\\', (byte) 0xC3,
        (byte) 0xFF};

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void matchesTheKeysThatScanMatchReturns(BundledRedis version) {
        List<byte[]> keys = new ArrayList<>();
        addAll(keys, new byte[0], 3);
        List<byte[]> globs = new ArrayList<>();
        addAll(globs, new byte[0], 2);
        globs.removeIf(glob -> glob.length == 0 || Arrays.equals(glob, new byte[] {'*'}));
        for (byte x : ALPHABET) {
            for (byte y : ALPHABET) {
                globs.add(new byte[] {'[', x, '-', y, ']'});
                globs.add(new byte[] {'[', '^', x, '-', y, ']'});
            }
        }
        globs.addAll(randomGlobs(new Random(20261124L), 400));
        try (LocalCluster cluster = LocalCluster.builder().masters(1).redis(RedisServerBinary.bundled(version))
                .start()) {
            RedisClient client = RedisClient.create(cluster.masters().get(0).uri());
            try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
                RedisCommands<byte[], byte[]> redis = connection.sync();
                for (byte[] key : keys) {
                    redis.set(key, new byte[] {1});  // one by one: MSET wants one slot even on a single master
                }
                assertThat(redis.dbsize()).isEqualTo(keys.size());
                // a lone "*" is not matched at all: SCAN returns every key, the empty one too, and so does Glob
                assertThat(scan(redis, new byte[] {'*'})).hasSize(keys.size()).contains("");
                assertThat(keys).allMatch(Glob.of("*")::matches);

                for (byte[] glob : globs) {
                    TreeSet<String> expected = new TreeSet<>();
                    for (byte[] key : keys) {
                        if (Glob.matches(glob, key)) {
                            expected.add(text(key));
                        }
                    }

                    assertThat(scan(redis, glob)).as("SCAN MATCH %s on Redis %s", text(glob), version.version())
                            .isEqualTo(expected);
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** Adds every key of up to {@code length} more bytes after {@code prefix}. */
    private static void addAll(List<byte[]> keys, byte[] prefix, int length) {
        keys.add(prefix);
        if (length == 0) {
            return;
        }
        for (byte b : ALPHABET) {
            byte[] key = Arrays.copyOf(prefix, prefix.length + 1);
            key[prefix.length] = b;
            addAll(keys, key, length - 1);
        }
    }

    /**
     * Random globs of 1 to 6 bytes, leaving out a lone "*": SCAN does not match with it (every key is returned),
     * which {@link Glob#matches(byte[])} knows but the raw matcher tested here does not.
     */
    private static List<byte[]> randomGlobs(Random random, int count) {
        List<byte[]> globs = new ArrayList<>();
        while (globs.size() < count) {
            byte[] glob = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < glob.length; i++) {
                glob[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            if (!(glob.length == 1 && glob[0] == '*')) {
                globs.add(glob);
            }
        }
        return globs;
    }

    private static TreeSet<String> scan(RedisCommands<byte[], byte[]> redis, byte[] glob) {
        TreeSet<String> found = new TreeSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = redis.scan(cursor, ScanArgs.Builder.matches(glob).limit(10_000));
            page.getKeys().forEach(key -> found.add(text(key)));
            cursor = page;
        } while (!cursor.isFinished());
        return found;
    }

    /** One char per byte, so that sets of keys compare and print exactly. */
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
