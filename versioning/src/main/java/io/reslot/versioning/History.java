package io.reslot.versioning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/**
 * The history of applied migrations, in the cluster itself next to its lock, so that every machine that migrates
 * the cluster sees the same one: the hash {@value #KEY} of rank → JSON entry, and the counter {@value #RANK_KEY} that
 * hands out ranks. Both keys have the {@code {reslot}} tag, so they live in one slot with the lock, and a new entry is
 * made by one Lua script (rank and entry together). Every other change is one {@code HSET} or {@code HDEL} of one
 * field, atomic by itself.
 *
 * <p>Changes are made only under the lock; reads may be made without it ({@code info}).
 */
final class History {

    static final String KEY = "{reslot}:history";
    static final String RANK_KEY = "{reslot}:history:rank";

    private static final String ADD = "local rank = redis.call('INCR', KEYS[2])"
            + " redis.call('HSET', KEYS[1], rank, ARGV[1]) return rank";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatefulRedisClusterConnection<String, String> metadata;

    History(StatefulRedisClusterConnection<String, String> metadata) {
        this.metadata = metadata;
    }

    /**
     * Every entry, by rank.
     *
     * @throws VersioningException {@link VersioningErrorCode#FAILED} if the cluster cannot be read or an entry is not
     *     one this version of reslot can read
     */
    List<HistoryEntry> read() {
        Map<String, String> fields = call("read the history", () -> metadata.sync().hgetall(KEY));
        List<HistoryEntry> entries = new ArrayList<>(fields.size());
        fields.forEach((rank, json) -> {
            try {
                entries.add(JSON.readValue(json, HistoryEntry.class).withRank(Integer.parseInt(rank)));
            } catch (JsonProcessingException | NumberFormatException e) {
                throw new VersioningException(VersioningErrorCode.FAILED, KEY + " field " + rank + " holds something "
                        + "this version of reslot cannot read: " + e.getMessage(), e);
            }
        });
        entries.sort(Comparator.comparingInt(HistoryEntry::rank));
        return entries;
    }

    /** Stores a new entry under the next rank; returns it with that rank. */
    HistoryEntry add(HistoryEntry entry) {
        String json = write(entry);
        Long rank = call("add to the history", () -> metadata.sync().eval(ADD, ScriptOutputType.INTEGER,
                new String[] {KEY, RANK_KEY}, json));
        return entry.withRank(rank.intValue());
    }

    /** Replaces the entry of {@code entry.rank()}. */
    void update(HistoryEntry entry) {
        String json = write(entry);
        call("update the history", () -> metadata.sync().hset(KEY, Integer.toString(entry.rank()), json));
    }

    /** Removes the entry of {@code rank}. */
    void remove(int rank) {
        call("update the history", () -> metadata.sync().hdel(KEY, Integer.toString(rank)));
    }

    private static String write(HistoryEntry entry) {
        try {
            return JSON.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a history entry as JSON", e);
        }
    }

    private interface Call<T> {
        T run();
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (RedisException e) {
            throw new VersioningException(VersioningErrorCode.FAILED, "cannot " + what + " (" + KEY + "): "
                    + e.getMessage() + "; run again once the cluster answers", e);
        }
    }
}
