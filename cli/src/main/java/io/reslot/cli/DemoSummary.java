package io.reslot.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.NodeInfo;
import io.reslot.slot.KeySlot;

/**
 * Where the demo's keys are, as the cluster says: slots and keys per master, and how many users have all their
 * {@code user:} keys in one slot. Read by scanning every master, so it counts what is there, not what the demo meant
 * to put there. Plain data, written as JSON by {@code --json}.
 *
 * @param masters every master, in the order they were started
 * @param keys the keys of all masters, without reslot's own ({@code {reslot}:...}: jobs, history, lock)
 * @param reslotKeys reslot's own keys
 * @param dbsize the sum of the masters' {@code DBSIZE}: {@code keys + reslotKeys} unless keys changed meanwhile
 * @param users users with at least one {@code user:} key, tagged ({@code user:{42}:cart}) or not
 *     ({@code user:42:cart})
 * @param coLocatedUsers those of them whose {@code user:} keys all share one slot
 * @param untaggedUserKeys {@code user:<id>:...} keys: names the retag should have left none of
 */
record DemoSummary(List<Master> masters, long keys, long reslotKeys, long dbsize, long users, long coLocatedUsers,
        long untaggedUserKeys) {

    /** Keys asked for per SCAN call. */
    private static final int SCAN_COUNT = 2000;
    /** How long scanning one master may take. */
    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(60);
    private static final String RESLOT_PREFIX = "{reslot}";

    /**
     * One master.
     *
     * @param address {@code host:port}
     * @param slots how many slots it serves
     * @param keys its keys, without reslot's own
     */
    record Master(String address, int slots, long keys) {
    }

    /**
     * Scans every master of {@code nodes}.
     *
     * @throws MigrateException {@link MigrateErrorCode#UNREACHABLE} if a master does not answer in time, or
     *     {@link MigrateErrorCode#STOPPED} if a scan does not end within its bounds
     */
    static DemoSummary read(DemoNodes nodes) {
        List<Master> masters = new ArrayList<>();
        CoLocation users = new CoLocation();
        long reslotKeys = 0;
        long dbsize = 0;
        long untagged = 0;
        for (NodeInfo master : nodes.masters()) {
            RedisAsyncCommands<String, String> commands = nodes.on(master);
            RedisFuture<Long> size = commands.dbsize();
            nodes.flushAndAwait(List.of(size));
            long nodeSize = size.toCompletableFuture().join();
            dbsize += nodeSize;
            long keys = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            long deadline = System.nanoTime() + SCAN_TIMEOUT.toNanos();
            // SCAN returns each key at least once while the keys do not change; bounded in calls and in time anyway
            long maxCalls = nodeSize / 10 + 1000;
            for (long call = 0; !cursor.isFinished(); call++) {
                if (call > maxCalls || System.nanoTime() - deadline > 0) {
                    throw new MigrateException(MigrateErrorCode.STOPPED, "scanning " + master.address() + " did not end"
                            + " after " + call + " calls");
                }
                RedisFuture<KeyScanCursor<String>> page = commands.scan(cursor, ScanArgs.Builder.limit(SCAN_COUNT));
                nodes.flushAndAwait(List.of(page));
                KeyScanCursor<String> result = page.toCompletableFuture().join();
                for (String key : result.getKeys()) {
                    if (key.startsWith(RESLOT_PREFIX)) {
                        reslotKeys++;
                        continue;
                    }
                    keys++;
                    if (users.add(key) == UserKey.UNTAGGED) {
                        untagged++;
                    }
                }
                cursor = result;
            }
            masters.add(new Master(master.address(), master.slots().size(), keys));
        }
        long keys = masters.stream().mapToLong(Master::keys).sum();
        return new DemoSummary(List.copyOf(masters), keys, reslotKeys, dbsize, users.users(), users.coLocated(),
                untagged);
    }

    /** The share of users whose keys share one slot, in percent; 0 when there are no users. */
    @JsonProperty("coLocatedPercent")
    double coLocatedPercent() {
        return users == 0 ? 0 : 100.0 * coLocatedUsers / users;
    }

    /** The master at {@code address}, if there is one. */
    Master master(String address) {
        return masters.stream().filter(m -> m.address().equals(address)).findFirst().orElse(null);
    }

    /**
     * The table of masters and the line about users, each line ending with a newline.
     *
     * @param added the address of the master that was added empty, marked as such; {@code null} for none
     */
    String text(String added) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("MASTER", "SLOTS", "KEYS"));
        for (Master m : masters) {
            rows.add(List.of(m.address() + (m.address().equals(added) ? " (added)" : ""), Integer.toString(m.slots()),
                    Long.toString(m.keys())));
        }
        return TextTable.of(rows) + "users whose keys share one slot: " + coLocatedUsers + " of " + users + " ("
                + percent(coLocatedUsers, users) + ")\n";
    }

    /**
     * {@code part} of {@code whole} in percent with one decimal, rounded down, so that 100.0 % means all and
     * 0.0 % can still mean a few: {@code 99.9 %}.
     */
    static String percent(long part, long whole) {
        long tenths = whole == 0 ? 0 : part * 1000 / whole;
        return String.format(Locale.ROOT, "%d.%d %%", tenths / 10, tenths % 10);
    }

    /** What a key's name says about its user. */
    enum UserKey {
        /** Not a {@code user:<id>:...} key. */
        NONE,
        /** {@code user:42:cart}: the id is not a hash tag. */
        UNTAGGED,
        /** {@code user:{42}:cart}. */
        TAGGED
    }

    /**
     * Counts users and whether each one's keys share a slot, from key names: {@code user:<id>:<field>} and
     * {@code user:{<id>}:<field>} (ids of digits) are user {@code <id>}'s keys; other keys are not counted.
     */
    static final class CoLocation {

        private static final int SPLIT = -1;

        /** User id → the slot of all their keys so far, or {@link #SPLIT}. */
        private final Map<String, Integer> slots = new HashMap<>();

        /** Counts {@code key} and says what kind of key it is. */
        UserKey add(String key) {
            if (!key.startsWith("user:")) {
                return UserKey.NONE;
            }
            boolean tagged = key.length() > 5 && key.charAt(5) == '{';
            int start = tagged ? 6 : 5;
            int end = key.indexOf(tagged ? '}' : ':', start);
            if (end <= start || !digits(key, start, end)) {
                return UserKey.NONE;
            }
            int after = tagged ? end + 1 : end;
            if (after >= key.length() || key.charAt(after) != ':') {
                return UserKey.NONE;
            }
            int slot = KeySlot.of(key);
            slots.merge(key.substring(start, end), slot, (was, now) -> was.equals(now) ? was : SPLIT);
            return tagged ? UserKey.TAGGED : UserKey.UNTAGGED;
        }

        /** Users seen. */
        long users() {
            return slots.size();
        }

        /** Users seen whose keys all share one slot. */
        long coLocated() {
            return slots.values().stream().filter(s -> s != SPLIT).count();
        }

        private static boolean digits(String s, int from, int to) {
            for (int i = from; i < to; i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }
    }
}
