package io.reslot.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * What the demo found when it read every key it loaded back from the cluster after the job: each under its new name
 * (users' keys) or its old one (sessions), holding the value it was loaded with, with a TTL exactly where it was
 * loaded with one, and that TTL no longer than the original and not yet run out. Plain data, written as JSON by
 * {@code --json}.
 *
 * @param keys keys checked
 * @param missing keys not found under the name they should have
 * @param wrongValue keys found with another value (or type)
 * @param wrongTtl keys with a TTL where they had none, none where they had one, or one longer than the original
 * @param examples a few of the keys that are wrong, with what is wrong
 */
record DemoVerification(long keys, long missing, long wrongValue, long wrongTtl, List<String> examples) {

    /** Keys read back per pipelined batch. */
    static final int BATCH = 2000;
    private static final int MAX_EXAMPLES = 5;

    /** Whether every key is as it was loaded. */
    @JsonProperty("passed")
    boolean passed() {
        return missing + wrongValue + wrongTtl == 0;
    }

    /**
     * Reads back keys {@code 0 .. keys-1} of {@link DemoData} under their new names, each from the master that
     * serves it.
     *
     * @throws io.reslot.migrate.MigrateException as {@link DemoNodes#flushAndAwait}
     */
    static DemoVerification verify(DemoNodes nodes, int keys) {
        Tally tally = new Tally();
        List<RedisFuture<?>> pending = new ArrayList<>(2 * BATCH);
        List<RedisFuture<?>> values = new ArrayList<>(BATCH);
        List<RedisFuture<Long>> ttls = new ArrayList<>(BATCH);
        for (int from = 0; from < keys; from += BATCH) {
            int to = Math.min(keys, from + BATCH);
            pending.clear();
            values.clear();
            ttls.clear();
            for (int i = from; i < to; i++) {
                String name = DemoData.newName(i);
                RedisAsyncCommands<String, String> node = nodes.owner(name);
                values.add(read(node, i, name));
                ttls.add(node.pttl(name));
            }
            pending.addAll(values);
            pending.addAll(ttls);
            nodes.flushAndAwait(pending);
            for (int i = from; i < to; i++) {
                tally.check(i, outcome(values.get(i - from)), outcome(ttls.get(i - from)));
            }
        }
        return new DemoVerification(keys, tally.missing, tally.wrongValue, tally.wrongTtl, List.copyOf(tally.examples));
    }

    private static RedisFuture<?> read(RedisAsyncCommands<String, String> node, int i, String name) {
        return switch (DemoData.kind(i)) {
            case PROFILE -> node.hgetall(name);
            case CART -> DemoData.cartIsList(DemoData.user(i)) ? node.lrange(name, 0, -1) : node.smembers(name);
            case SESSION -> node.get(name);
        };
    }

    /** The value of an answered command, or the error it failed with (a {@code WRONGTYPE}, say). */
    private static Object outcome(RedisFuture<?> future) {
        CompletableFuture<?> done = future.toCompletableFuture();
        try {
            return done.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** The expected value of key {@code i} as the command {@link #read} sends returns it. */
    static Object expected(int i) {
        int user = DemoData.user(i);
        return switch (DemoData.kind(i)) {
            case PROFILE -> DemoData.profile(user);
            case CART -> DemoData.cartIsList(user) ? DemoData.cart(user) : new HashSet<>(DemoData.cart(user));
            case SESSION -> DemoData.session(user);
        };
    }

    /** Counts of what is wrong, and a few examples. */
    static final class Tally {

        long missing;
        long wrongValue;
        long wrongTtl;
        final List<String> examples = new ArrayList<>();

        /**
         * Checks key {@code i}, read back as {@code value} with {@code PTTL} {@code ttl} (each the command's answer
         * or the error it failed with).
         */
        void check(int i, Object value, Object ttl) {
            String name = DemoData.newName(i);
            if (Long.valueOf(-2).equals(ttl)) {
                missing++;
                example(name + " is missing" + (name.equals(DemoData.name(i)) ? "" : " (loaded as " + DemoData.name(i)
                        + ")"));
                return;
            }
            Object expected = expected(i);
            if (!expected.equals(value)) { // HGETALL gives a Map, LRANGE a List, SMEMBERS a Set: equal by content
                wrongValue++;
                example(name + " holds " + value + ", not " + expected);
            }
            long original = DemoData.ttlMillis(i);
            boolean ttlRight = ttl instanceof Long left && (original == 0 ? left == -1 : left > 0 && left <= original);
            if (!ttlRight) {
                wrongTtl++;
                example(name + " has PTTL " + ttl + ", expected " + (original == 0 ? "-1 (none)"
                        : "1 to " + original + " ms"));
            }
        }

        private void example(String what) {
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(what);
            }
        }
    }
}
