package io.reslot.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys {@code reslot demo} loads, in the untagged layout of an application that never thought about slots. Key
 * {@code i} of {@code n} is a pure function of {@code i}: its name, the name the demo's retag gives it, its type, its
 * value and its TTL can all be computed again to verify the cluster after the job, without keeping 200,000 values in
 * memory.
 *
 * <p>Keys come in groups of five, for two users {@code u = 2g} and {@code u + 1}: {@code user:<u>:profile} (a hash),
 * {@code user:<u>:cart} (a list for even users, a set for odd ones), {@code session:<u>} (a string expiring after
 * an hour), then {@code user:<u+1>:profile} and {@code user:<u+1>:cart}: 2.5 keys per user. The carts of every third
 * user expire too, after two hours, so TTLs are carried by keys that change their name as well as by keys that keep
 * it.
 */
final class DemoData {

    /** What a key is. */
    enum Kind {
        /** {@code user:<id>:profile}: a hash of three fields. */
        PROFILE,
        /** {@code user:<id>:cart}: a list (even ids) or a set (odd ids) of one to four items. */
        CART,
        /** {@code session:<id>}: a string with a TTL; keeps its name. */
        SESSION
    }

    /** The TTL of every session. */
    static final long SESSION_TTL_MILLIS = 3_600_000;

    /** The TTL of the carts of every third user. */
    static final long CART_TTL_MILLIS = 7_200_000;

    private static final int GROUP = 5;

    private DemoData() {
    }

    /** The user key {@code i} belongs to. */
    static int user(int i) {
        return 2 * (i / GROUP) + (i % GROUP >= 3 ? 1 : 0);
    }

    /** What key {@code i} is. */
    static Kind kind(int i) {
        return switch (i % GROUP) {
            case 0, 3 -> Kind.PROFILE;
            case 1, 4 -> Kind.CART;
            default -> Kind.SESSION;
        };
    }

    /** How many users the first {@code keys} keys belong to. */
    static int users(int keys) {
        return keys == 0 ? 0 : user(keys - 1) + 1;
    }

    /** The name key {@code i} is loaded under: {@code user:42:profile}, {@code user:42:cart}, {@code session:42}. */
    static String name(int i) {
        return name(i, false);
    }

    /**
     * The name key {@code i} has after the retag of {@code examples/migrations/V2__Tag_users.yaml}:
     * {@code user:{42}:profile}; sessions keep theirs.
     */
    static String newName(int i) {
        return name(i, true);
    }

    private static String name(int i, boolean tagged) {
        int user = user(i);
        String id = tagged ? "{" + user + "}" : Integer.toString(user);
        return switch (kind(i)) {
            case PROFILE -> "user:" + id + ":profile";
            case CART -> "user:" + id + ":cart";
            case SESSION -> "session:" + user;
        };
    }

    /** The TTL key {@code i} is loaded with, in milliseconds; 0 for none. */
    static long ttlMillis(int i) {
        return switch (kind(i)) {
            case SESSION -> SESSION_TTL_MILLIS;
            case CART -> user(i) % 3 == 0 ? CART_TTL_MILLIS : 0;
            case PROFILE -> 0;
        };
    }

    /** The fields of user {@code user}'s profile, in a fixed order. */
    static Map<String, String> profile(int user) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", "User " + user);
        fields.put("email", "user" + user + "@example.com");
        fields.put("visits", Integer.toString(user * 7 % 1000));
        return fields;
    }

    /** Whether user {@code user}'s cart is a list; otherwise it is a set. */
    static boolean cartIsList(int user) {
        return user % 2 == 0;
    }

    /** The items of user {@code user}'s cart: one to four, all different, in list order. */
    static List<String> cart(int user) {
        int count = 1 + user % 4;
        List<String> items = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            items.add(String.format(Locale.ROOT, "sku-%05d", (user * 31 + k * 7919) % 100_000));
        }
        return items;
    }

    /** The value of user {@code user}'s session: a token of 40 hex digits, different for every user. */
    static String session(int user) {
        long a = mix(user);
        long b = mix(a);
        return String.format(Locale.ROOT, "%016x%016x%08x", a, b, (int) mix(b));
    }

    /** SplitMix64's finaliser: a cheap, well-spread function of {@code x}. */
    private static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
