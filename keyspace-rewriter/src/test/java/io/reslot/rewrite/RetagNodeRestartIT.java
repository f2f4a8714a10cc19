package io.reslot.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.reslot.migrate.ClusterAccess;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import org.junit.jupiter.api.Test;

import static io.reslot.rewrite.RetagTesting.access;
import static io.reslot.rewrite.RetagTesting.await;
import static io.reslot.rewrite.RetagTesting.renamed;
import static io.reslot.rewrite.RetagTesting.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A retag stopped part way and run again continues each master's scan from its saved cursor, and may meet again the
 * old names of keys it moved already: a master restarted since orders its keys anew, so its cursor no longer marks the
 * pages done and its scan starts over; and SCAN may return a key twice anyway. Clients that wrote those old names
 * since made new keys; the next run must leave them (both names keep their writes), not stop on them as conflicts.
 * Found by the fault suite (FaultsIT: a target restarted mid-retag, and a retag killed, under client writes).
 */
class RetagNodeRestartIT {

    private static final int KEYS = 3000;
    private static final int PAGES_DONE = 4;

    @Test
    void leavesOldNamesWrittenAgainWhenAMasterRestartedBetweenRuns() throws Exception {
        continuesAfterOldNamesWereWrittenAgain((cluster, access) -> {
            ClusterNode restarted = cluster.masters().get(1);
            cluster.kill(restarted);
            cluster.restart(restarted);
        });
    }

    /** A scan that returns again keys it returned before: here every master's saved cursor set back to the start. */
    @Test
    void leavesOldNamesWrittenAgainThatTheContinuedScanReturnsAgain() throws Exception {
        continuesAfterOldNamesWereWrittenAgain((cluster, access) -> {
            for (String field : access.metadata().sync().hkeys(Retag.STATE_KEY)) {
                if (field.startsWith("cursor:")) {
                    access.metadata().sync().hset(Retag.STATE_KEY, field, "0");
                }
            }
        });
    }

    private interface Between {
        void apply(LocalCluster cluster, ClusterAccess access) throws Exception;
    }

    private static void continuesAfterOldNamesWereWrittenAgain(Between between) throws Exception {
        // AOF with fsync always: a restarted master comes back with every key it acknowledged
        try (LocalCluster cluster = LocalCluster.builder().masters(3).config("appendonly", "yes")
                .config("appendfsync", "always").start();
                StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterCommands<String, String> redis = c.sync();
            List<String> names = new ArrayList<>();
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                names.add("node:" + i + ":v");
                sent.add(c.async().set(names.get(i), "value " + i));
            }
            await(sent);
            // small pages: each master's first pages are done (cursor saved) before the run stops on the next
            RetagOptions options = RetagOptions.builder().scanCount(50).build();
            Map<String, AtomicInteger> pages = new ConcurrentHashMap<>();
            Retag.Hook stopAfterSomePages = (point, master) -> {
                AtomicInteger done = pages.computeIfAbsent(master.id(), id -> new AtomicInteger());
                if (point == Retag.Hook.Point.MOVED && done.incrementAndGet() > PAGES_DONE) {
                    throw new IllegalStateException("stopped at MOVED");
                }
            };
            try (ClusterAccess access = access(cluster)) {
                assertThatThrownBy(() -> Retag.run(access, rules("node"), options, Retag.Listener.NONE,
                        stopAfterSomePages)).hasMessageContaining("stopped at MOVED");
            }
            List<String> again = names.stream().filter(old -> redis.exists(old) == 0).toList();
            assertThat(again).as("keys the stopped run moved").hasSizeGreaterThan(100);
            again.forEach(old -> redis.set(old, "written again"));
            try (ClusterAccess access = access(cluster)) {
                between.apply(cluster, access);
            }

            RetagCounts counts;
            try (ClusterAccess access = access(cluster)) {
                counts = Retag.run(access, rules("node"), options, Retag.Listener.NONE);
            }

            for (int i = 0; i < KEYS; i++) {
                String old = names.get(i);
                assertThat(redis.get(renamed(old))).as(renamed(old)).isEqualTo("value " + i);
                assertThat(redis.get(old)).as(old).isEqualTo(again.contains(old) ? "written again" : null);
            }
            assertThat(counts.left()).isEqualTo(again.size());
        }
    }
}
