package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.JobRecord;
import io.reslot.migrate.JobState;
import io.reslot.migrate.Jobs;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Crashes of a versioned migration: {@code java -jar reslot.jar migrate --yes} with the two examples of
 * {@code examples/migrations} (V1 rebalances onto a master added empty, V2 retags {@code user:<id>:<field>} to
 * {@code user:{<id>}:<field>}) is killed with SIGKILL during V1's move or during V2's retag, then run again, as
 * often as it is refused with exit 4 while the dead run's lock lasts (a 2 s lease). The next run must continue the
 * killed migration (a move by finishing the engine job its checkpoint names) and apply the rest: each migration
 * succeeds once in the history, every key is under its new name only with its value and expiry, no slot is left
 * open, and the added master serves slots.
 *
 * <p>Each trial has a fresh cluster. The first runs migrate uncrashed, and the execution times its history records
 * say how long V1 and V2 take; the others kill alternately during V1 and during V2, at a random point of the middle
 * 60% of that time, counted from the line the killed run writes on stderr as the step starts (seed fixed and printed;
 * {@code -Dreslot.crash.seed=N} tries another); a kill that lands after its step shortens that time for the next
 * trials. Random moments over the whole run would land too often at JVM start or between the migrations. Before the
 * next run, {@code info --json} and the history say where the kill landed (which migration is running, its steps
 * done and its job); the test logs it and asserts that some kill landed in the middle of V1's move and some in the
 * middle of V2's retag.
 */
class MigrateCrashIT {

    private static final long SEED = 20_261_125L;
    private static final Path EXAMPLES = Path.of("..", "examples", "migrations");
    private static final List<String> FIELDS = List.of("name", "cart", "mail");
    private static final int USERS = 18_000; // three keys each
    /** Every this many users, the user's keys expire (in an hour, so not during the test). */
    private static final int WITH_TTL_EVERY = 4;
    private static final Map<String, String> ENV = Map.of(Moves.LOCK_LEASE_ENV, "2000");
    private static final long LOCKED_FOR_MILLIS = 15_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A migration whose one step a run is killed during. */
    private enum Phase {
        V1("1", "V1 running, its job under way"), V2("2", "V2 running, its retag under way");

        final String version;
        /** The line the run writes on stderr as the phase starts. */
        final String line;
        /** The {@link Landing#kind()} of a kill in the middle of the phase. */
        final String midway;

        Phase(String version, String midway) {
            this.version = version;
            this.line = "reslot: V" + version + " step 1: ";
            this.midway = midway;
        }
    }

    /** Where the killed runs are killed, trial by trial after the uncrashed first. */
    private static final List<Phase> KILLS = List.of(Phase.V1, Phase.V2, Phase.V1, Phase.V2);

    @TempDir
    Path tmp;

    @Test
    void aMigrateKilledDuringAMoveOrARetagIsContinuedByTheNextRun() throws Exception {
        ReslotJar.requireBuilt();
        Random random = ReslotJar.crashRandom(MigrateCrashIT.class, SEED);
        Path location = examples();
        String[] migrate = {"migrate", "--location", location.toString(), "--yes"};

        Map<Phase, Long> took = new TreeMap<>();
        Map<String, Integer> landings = new TreeMap<>();
        for (int trial = 0; trial <= KILLS.size(); trial++) {
            long trialStarted = System.nanoTime();
            try (LocalCluster cluster = LocalCluster.builder().masters(3).start()) {
                ClusterNode added = cluster.addMaster();
                long expireBase = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1);
                load(cluster, expireBase);
                long setUp = (System.nanoTime() - trialStarted) / 1_000_000;
                ReslotJar.Run run = ReslotJar.start(tmp, ENV, cluster, migrate);
                String what;
                if (trial == 0) {
                    // uncrashed: must succeed, and its history says how long V1 and V2 take
                    assertThat(run.waitFor().exit()).as(run.stderr()).isZero();
                    for (Phase phase : Phase.values()) {
                        took.put(phase, info(cluster, location).get(phase.version).get("executionMillis").asLong());
                    }
                    what = "uncrashed: V1 took " + took.get(Phase.V1) + " ms, V2 " + took.get(Phase.V2) + " ms";
                } else {
                    Phase phase = KILLS.get(trial - 1);
                    long after = (long) ((0.2 + 0.6 * random.nextDouble()) * took.get(phase));
                    assertThat(run.awaitStderr(phase.line, 60_000)).as(phase + " starts: " + run.stderr()).isTrue();
                    String ended = run.killAfter(after);
                    long killed = System.nanoTime();
                    String lock = deadLock(cluster, run, ended);
                    Landing landing = landing(cluster, location);
                    landings.merge(landing.kind(), 1, Integer::sum);
                    if (landing.done(phase)) {
                        // the phase was over before the kill (this machine got faster since the first trial): kill
                        // sooner in the next trials of the phase
                        took.put(phase, after * 3 / 4);
                    }
                    long nextStarted = System.nanoTime();
                    long read = (nextStarted - killed) / 1_000_000;
                    ReslotJar.Completed next = ReslotJar.runUntilUnlocked(tmp, ENV, cluster, LOCKED_FOR_MILLIS,
                            migrate);
                    assertThat(next.run().exit()).as(next.run().stderr()).isZero();
                    if (landing.jobId() != null) {
                        // the next run finished the job the checkpoint named, rather than planning the move anew
                        assertThat(next.run().stdout()).contains("applied V1 (Rebalance onto empty masters), "
                                + "continued");
                        try (ClusterAccess access = TestClusters.access(cluster)) {
                            assertThat(Jobs.list(access)).extracting(JobRecord::id, JobRecord::state)
                                    .containsExactly(tuple(landing.jobId(), JobState.DONE));
                        }
                    }
                    what = "kill " + after + " ms into " + phase + ": " + ended + ", " + lock + ", " + landing.text()
                            + " (read in " + read + " ms); then " + next.describe() + " in "
                            + (System.nanoTime() - nextStarted) / 1_000_000 + " ms";
                }
                long verifyStarted = System.nanoTime();
                verify(cluster, location, added, expireBase);
                System.out.printf("MigrateCrashIT: trial %d (%d ms; set up in %d ms, verified in %d ms): %s%n", trial,
                        (System.nanoTime() - trialStarted) / 1_000_000, setUp,
                        (System.nanoTime() - verifyStarted) / 1_000_000, what);
            }
        }
        System.out.println("MigrateCrashIT: kills landed " + landings);
        assertThat(landings).as("kills during V1's move and during V2's retag").containsKeys(Phase.V1.midway,
                Phase.V2.midway);
    }

    /**
     * Two {@code migrate} processes started together: one applies V1 and V2, the other is refused by the lock (exit
     * 4) or, if it came too late for that, finds nothing left to apply. Each migration runs once, V1's move is one job.
     */
    @Test
    void twoMigratesStartedTogetherApplyEachMigrationOnce() throws Exception {
        ReslotJar.requireBuilt();
        Path location = examples();
        String[] migrate = {"migrate", "--location", location.toString(), "--yes"};
        try (LocalCluster cluster = LocalCluster.builder().masters(3).start()) {
            ClusterNode added = cluster.addMaster();
            long expireBase = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1);
            load(cluster, expireBase);

            ReslotJar.Run one = ReslotJar.start(tmp, ENV, cluster, migrate);
            ReslotJar.Run other = ReslotJar.start(tmp, ENV, cluster, migrate);
            List<Integer> exits = List.of(one.waitFor().exit(), other.waitFor().exit());

            System.out.println("MigrateCrashIT: two migrates started together exited with " + exits);
            assertThat(exits).as(one.stderr() + other.stderr()).containsAnyOf(0).allMatch(e -> e == 0
                    || e == ExitCode.LOCKED);
            ReslotJar.Run applied = one.exit() == 0 && one.stdout().contains("applied V1") ? one : other;
            assertThat(applied.stdout()).contains("applied V1", "applied V2");
            ReslotJar.Run refused = applied == one ? other : one;
            assertThat(refused.stdout()).doesNotContain("applied V");
            try (ClusterAccess access = TestClusters.access(cluster)) {
                assertThat(Jobs.list(access)).as("V1's move, once").hasSize(1);
            }
            verify(cluster, location, added, expireBase);
        }
    }

    /** A directory holding copies of the two examples. */
    private Path examples() throws IOException {
        Path location = Files.createDirectory(tmp.resolve("migrations"));
        for (String name : new String[] {"V1__Rebalance_onto_empty_masters.yaml", "V2__Tag_users.yaml"}) {
            Files.copy(EXAMPLES.resolve(name), location.resolve(name));
        }
        return location;
    }

    /**
     * Where a killed run stopped, from {@code info --json} and the history's checkpoint.
     *
     * @param kind a {@link Phase#midway}, or another short description
     * @param states each migration's state, by version
     * @param jobId the engine job of V1's checkpoint; null if none
     * @param text for the log
     */
    private record Landing(String kind, Map<String, String> states, String jobId, String text) {

        /** Whether {@code phase}'s migration had succeeded. */
        boolean done(Phase phase) {
            return "SUCCESS".equals(states.get("V" + phase.version));
        }
    }

    /**
     * Right after the kill, the lock is still the killed run's, for the rest of its lease: the next run can only
     * take it once the lease runs out (a run that ended by itself released it).
     */
    private static String deadLock(LocalCluster cluster, ReslotJar.Run run, String ended) throws Exception {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            String value = c.sync().get("{reslot}:lock");
            long pttl = c.sync().pttl("{reslot}:lock");
            if (!ended.equals("killed")) {
                assertThat(value).as("the lock after a run that ended").isNull();
                return "no lock left";
            }
            assertThat(value).as("the killed run's lock").isNotNull();
            assertThat(JSON.readTree(value).get("pid").asLong()).isEqualTo(run.process().pid());
            return "its lock left with " + pttl + " ms of lease";
        }
    }

    private static Landing landing(LocalCluster cluster, Path location) throws Exception {
        Map<String, String> states = new TreeMap<>();
        JsonNode running = null;
        for (JsonNode m : info(cluster, location).values()) {
            states.put("V" + m.get("version").asText(), m.get("state").asText());
            if (m.get("state").asText().equals("RUNNING")) {
                running = m;
            }
        }
        if (running == null) {
            return new Landing("nothing running " + states, states, null, "no migration running: " + states);
        }
        String version = running.get("version").asText();
        int stepsDone = running.get("stepsDone").asInt();
        JsonNode checkpoint = history(cluster).stream().filter(e -> e.get("version").asText().equals(version))
                .findFirst().orElseThrow().path("checkpoint");
        String jobId = checkpoint.hasNonNull("jobId") ? checkpoint.get("jobId").asText() : null;
        String where = "V" + version + " RUNNING with stepsDone " + stepsDone;
        if (version.equals("1") && jobId != null) {
            Optional<JobRecord> job;
            try (ClusterAccess access = TestClusters.access(cluster)) {
                job = Jobs.list(access).stream().filter(j -> j.id().equals(jobId)).findFirst();
            }
            assertThat(job).as("job " + jobId).isPresent();
            int total = job.get().plan().slotCount();
            int done = total - job.get().remaining().size();
            return new Landing(done < total ? Phase.V1.midway : "V1 running, its job done", states, jobId,
                    where + ", job " + jobId + " " + job.get().state() + " with " + done + " of " + total
                            + " slots moved");
        }
        if (version.equals("2") && stepsDone == 0) {
            return new Landing(Phase.V2.midway, states, null, where + ", " + retagged(cluster) + " of "
                    + USERS * FIELDS.size() + " keys under their new names");
        }
        return new Landing("V" + version + " running, stepsDone " + stepsDone + ", job " + jobId, states, null,
                where + (jobId == null ? ", no job" : ", job " + jobId));
    }

    /** The rows of {@code reslot --json info} by version, in order; fails if a version has two. */
    private static Map<String, JsonNode> info(LocalCluster cluster, Path location) throws Exception {
        Cli.Result info = Cli.run("-c", seed(cluster), "--json", "info", "--location", location.toString());
        assertThat(info.exit()).as(info.stderr()).isZero();
        Map<String, JsonNode> rows = new TreeMap<>();
        for (JsonNode m : JSON.readTree(info.stdoutBytes()).get("migrations")) {
            assertThat(rows.put(m.get("version").asText(), m)).as("a second row of V" + m.get("version")).isNull();
        }
        return rows;
    }

    /** The history's entries as JSON, from the hash itself: {@code info} shows one row per version. */
    private static List<JsonNode> history(LocalCluster cluster) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            for (String json : new TreeMap<>(c.sync().hgetall("{reslot}:history")).values()) {
                entries.add(JSON.readTree(json));
            }
        }
        return entries;
    }

    private static String key(int id, String field) {
        return "user:" + id + ":" + field;
    }

    private static String newKey(int id, String field) {
        return "user:{" + id + "}:" + field;
    }

    /** Every user's keys; those of every {@link #WITH_TTL_EVERY}th expire at {@code expireBase + id} ms. */
    private static void load(LocalCluster cluster, long expireBase) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterAsyncCommands<String, String> async = c.async();
            List<RedisFuture<String>> replies = new ArrayList<>();
            for (int id = 0; id < USERS; id++) {
                for (String field : FIELDS) {
                    replies.add(id % WITH_TTL_EVERY == 0
                            ? async.set(key(id, field), field + id, SetArgs.Builder.pxAt(expireBase + id))
                            : async.set(key(id, field), field + id));
                }
                if (replies.size() >= 6000 || id == USERS - 1) {
                    assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, replies.toArray(new RedisFuture[0])))
                            .isTrue();
                    replies.clear();
                }
            }
        }
    }

    /** How many keys are under their new names. */
    private static long retagged(LocalCluster cluster) {
        long count = 0;
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            List<RedisFuture<Long>> replies = new ArrayList<>();
            for (int id = 0; id < USERS; id++) {
                for (String field : FIELDS) {
                    replies.add(c.async().exists(newKey(id, field)));
                }
            }
            for (RedisFuture<Long> reply : replies) {
                count += LettuceFutures.awaitOrCancel(reply, 60, TimeUnit.SECONDS);
            }
        }
        return count;
    }

    /**
     * V1 and V2 succeeded once each; every key under its new name only, with its value and its expiry (within 1 s);
     * no slot open; the added master serves slots.
     */
    private static void verify(LocalCluster cluster, Path location, ClusterNode added, long expireBase)
            throws Exception {
        assertThat(info(cluster, location).values()).extracting(m -> m.get("version").asText(),
                m -> m.get("state").asText()).containsExactly(tuple("1", "SUCCESS"), tuple("2", "SUCCESS"));
        assertThat(history(cluster)).extracting(e -> e.get("version").asText(), e -> e.get("state").asText())
                .as("the history hash").containsExactly(tuple("1", "SUCCESS"),
                        tuple("2", "SUCCESS"));

        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterAsyncCommands<String, String> async = c.async();
            int chunk = 2000;
            for (int from = 0; from < USERS; from += chunk) {
                int to = Math.min(USERS, from + chunk);
                long before = System.currentTimeMillis();
                List<RedisFuture<String>> values = new ArrayList<>();
                List<RedisFuture<Long>> ttls = new ArrayList<>();
                List<RedisFuture<Long>> olds = new ArrayList<>();
                for (int id = from; id < to; id++) {
                    for (String field : FIELDS) {
                        values.add(async.get(newKey(id, field)));
                        ttls.add(async.pttl(newKey(id, field)));
                        olds.add(async.exists(key(id, field)));
                    }
                }
                assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, ttls.toArray(new RedisFuture[0]))).isTrue();
                long after = System.currentTimeMillis();
                int i = 0;
                for (int id = from; id < to; id++) {
                    for (String field : FIELDS) {
                        String name = newKey(id, field);
                        assertThat(values.get(i).get()).as(name).isEqualTo(field + id);
                        assertThat(olds.get(i).get()).as("old name of " + name).isZero();
                        long ttl = ttls.get(i).get();
                        if (id % WITH_TTL_EVERY == 0) {
                            // the expiry seen between before and after is expireBase + id, give or take 1 s
                            assertThat(expireBase + id - ttl).as("expiry of " + name).isBetween(before - 1000,
                                    after + 1000);
                        } else {
                            assertThat(ttl).as("no expiry on " + name).isEqualTo(-1);
                        }
                        i++;
                    }
                }
            }
        }
        TestClusters.awaitHealthy(cluster);
        assertThat(TestClusters.topology(cluster).node(added.nodeId()).slots().size()).as("slots of the added master")
                .isPositive();
    }
}
