package io.reslot.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The key sets the slot benchmarks hash, the same for every implementation measured. Seeded, so every run and
 * every competitor sees the same keys.
 */
public enum BenchmarkKeys {

    /** 10–64 byte ASCII keys shaped like real ones ({@code user:1234:cart}); one in four carries a hash tag. */
    ASCII {
        @Override
        String key(SplittableRandom random) {
            String[] kinds = {"user", "session", "order", "cart", "product", "inventory", "feed", "ratelimit"};
            String[] fields = {"profile", "items", "followers", "last-seen", "tokens", "history:2026-11", "meta"};
            StringBuilder sb = new StringBuilder(64);
            String id = Long.toString(random.nextLong(1, 10_000_000_000L));
            sb.append(kinds[random.nextInt(kinds.length)]).append(':');
            sb.append(random.nextInt(4) == 0 ? "{" + id + "}" : id);
            while (sb.length() < 10 + random.nextInt(40)) {
                sb.append(':').append(fields[random.nextInt(fields.length)]);
            }
            return sb.length() > 64 ? sb.substring(0, 64) : sb.toString();
        }
    },

    /** Keys mixing ASCII with 2-, 3- and 4-byte UTF-8 characters (accents, CJK, emoji), some tagged. */
    UTF8 {
        @Override
        String key(SplittableRandom random) {
            String[] parts = {"user:", "café:", "Straße:", "東京:", "用户:", "😀:", "{42}", "ключ:", "data"};
            StringBuilder sb = new StringBuilder();
            int n = 2 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                sb.append(parts[random.nextInt(parts.length)]);
            }
            return sb.toString();
        }
    },

    /** 256-byte ASCII keys without tags: the cost of long keys. */
    LONG256 {
        @Override
        String key(SplittableRandom random) {
            StringBuilder sb = new StringBuilder(256).append("blob:");
            while (sb.length() < 256) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
            return sb.toString();
        }
    },

    /** 20-byte ASCII keys without tags, the size the batch goal is stated for. */
    ASCII20 {
        @Override
        String key(SplittableRandom random) {
            StringBuilder sb = new StringBuilder(20).append("user:");
            while (sb.length() < 20) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
            return sb.toString();
        }
    };

    /** How many keys each set holds: enough to defeat branch prediction, few enough to stay in L1/L2. */
    public static final int COUNT = 1024;

    abstract String key(SplittableRandom random);

    /** The key set as strings. */
    public String[] strings() {
        SplittableRandom random = new SplittableRandom(20261124L + ordinal());
        String[] keys = new String[COUNT];
        for (int i = 0; i < COUNT; i++) {
            keys[i] = key(random);
        }
        return keys;
    }

    /** The same keys as UTF-8 bytes. */
    public byte[][] bytes() {
        String[] strings = strings();
        byte[][] keys = new byte[COUNT][];
        for (int i = 0; i < COUNT; i++) {
            keys[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        }
        return keys;
    }

    /** The same keys in heap buffers, or direct ones. */
    public ByteBuffer[] buffers(boolean direct) {
        byte[][] bytes = bytes();
        ByteBuffer[] keys = new ByteBuffer[COUNT];
        for (int i = 0; i < COUNT; i++) {
            keys[i] = direct ? ByteBuffer.allocateDirect(bytes[i].length).put(bytes[i]).flip() : ByteBuffer.wrap(bytes[i]);
        }
        return keys;
    }
}
