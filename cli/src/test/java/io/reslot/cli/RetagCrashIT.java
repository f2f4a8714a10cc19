package io.reslot.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crashes: {@code java -jar reslot.jar retag} is killed with SIGKILL at a random moment of its run, then run again
 * until it completes; afterwards every key is under its new name only, with its value. Each trial retags a key space
 * of its own. The runs take the lock with a 2 s lease so that a killed run's lock frees quickly. The seed is fixed and
 * printed; {@code -Dreslot.crash.seed=N} tries another.
 */
@WithLocalCluster(masters = 3)
class RetagCrashIT {

    private static final long SEED = 20_261_124L;
    private static final int TRIALS = 3; // FaultsIT kills retags under traffic too
    private static final int ENTITIES = 10_000; // two keys each
    private static final Map<String, String> ENV = Map.of(Moves.LOCK_LEASE_ENV, "2000");

    @TempDir
    Path tmp;

    @Test
    void aRetagKilledAtRandomMomentsCompletesWhenRunAgain(LocalCluster cluster) throws Exception {
        ReslotJar.requireBuilt();
        Random random = ReslotJar.crashRandom(RetagCrashIT.class, SEED);
        long whole = 0;
        for (int trial = 0; trial <= TRIALS; trial++) {
            String space = "crash" + trial;
            load(cluster, space);
            long started = System.nanoTime();
            ReslotJar.Run run = ReslotJar.start(tmp, ENV, cluster, retag(space));
            String what;
            if (trial == 0) {
                // an uncrashed run first: it must succeed, and says how long a whole run takes
                assertThat(run.waitFor().exit()).as(run.stderr()).isZero();
                whole = (System.nanoTime() - started) / 1_000_000;
                what = "whole run took " + whole + " ms";
            } else {
                long killAt = 200 + (long) (random.nextDouble() * Math.max(1, whole - 200));
                what = "kill at " + killAt + " ms: " + run.killAfter(killAt);
                // runs the retag again until it is not refused by the killed run's lock (2 s lease)
                ReslotJar.Completed next = ReslotJar.runUntilUnlocked(tmp, ENV, cluster, 30_000, retag(space));
                assertThat(next.run().exit()).as(next.run().stderr()).isZero();
                what += ", then " + next.describe();
            }
            System.out.printf("RetagCrashIT: trial %d: %s%n", trial, what);
            verify(cluster, space);
        }
    }

    private static String[] retag(String space) {
        return new String[] {"-q", "retag", "--match", space + ":*", "--regex",
            "^" + space + ":(?<id>[0-9]+):(?<f>.*)$", "--to", space + ":{${id}}:${f}", "--yes"};
    }

    private static void load(LocalCluster cluster, String space) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            List<RedisFuture<?>> replies = new ArrayList<>();
            for (int id = 0; id < ENTITIES; id++) {
                replies.add(c.async().set(space + ":" + id + ":a", "a" + id));
                replies.add(c.async().set(space + ":" + id + ":b", "b" + id));
                if (replies.size() >= 5000) {
                    assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, replies.toArray(new RedisFuture[0])))
                            .isTrue();
                    replies.clear();
                }
            }
            assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, replies.toArray(new RedisFuture[0]))).isTrue();
        }
    }

    /** Every key under its new name only, with its value. */
    private static void verify(LocalCluster cluster, String space) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            List<RedisFuture<String>> news = new ArrayList<>();
            List<RedisFuture<Long>> olds = new ArrayList<>();
            for (int id = 0; id < ENTITIES; id++) {
                news.add(c.async().get(space + ":{" + id + "}:a"));
                news.add(c.async().get(space + ":{" + id + "}:b"));
                olds.add(c.async().exists(space + ":" + id + ":a", space + ":" + id + ":b"));
            }
            for (int id = 0; id < ENTITIES; id++) {
                assertThat(LettuceFutures.awaitOrCancel(news.get(2 * id), 60, TimeUnit.SECONDS)).isEqualTo("a" + id);
                assertThat(LettuceFutures.awaitOrCancel(news.get(2 * id + 1), 60, TimeUnit.SECONDS))
                        .isEqualTo("b" + id);
                assertThat(LettuceFutures.awaitOrCancel(olds.get(id), 60, TimeUnit.SECONDS)).as("old names of %d", id)
                        .isZero();
            }
        }
    }
}
