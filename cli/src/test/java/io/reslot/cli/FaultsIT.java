package io.reslot.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.lettuce.core.api.StatefulRedisConnection;
import io.reslot.migrate.NodeInfo;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.LocalClusterOptions;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault-injection suite: reshard, rebalance, retag and migrate, each run as {@code java -jar reslot.jar} under
 * client traffic ({@link Writers}), are hit by a fault, and the trial ends the way an operator would end it
 * ({@code resume}, the same command again, or {@code fix}) and with the full comparison of {@link Keyspace}: every
 * key's payload and expiry as before the trial (under its new name after a retag), no key left on two masters or
 * under an old name, every acknowledged write in its counter, and {@code reslot check} healthy. Writes and keys that a
 * master took with it when it died (asynchronous replication) are counted apart, never as passed.
 *
 * <p>The faults: SIGKILL of reslot at random moments; a node SIGSTOPped for longer than the MIGRATE timeout, then
 * continued; the target master killed mid-move so that its replica takes over; the target killed and restarted
 * mid-move; the target near {@code maxmemory}, so that RESTORE fails with OOM, until memory is freed.
 *
 * <p>{@code mvn verify} runs a few trials: 6 SIGKILL trials after an uninterrupted run of each operation, and each
 * other fault on two of the four operations. {@code -Pfaults} runs many more: {@code -Dreslot.faults.kills=N}
 * SIGKILL trials spread over the four operations, {@code -Dreslot.faults.rounds=N} rounds of each other fault on
 * every operation ({@code -Dreslot.faults.every-operation=true}). The random moments are seeded
 * ({@code -Dreslot.crash.seed=N}). The outcome of every trial goes to {@code target/fault-report.md}, the table the
 * README shows.
 */
class FaultsIT {

    private static final int KILLS = Integer.getInteger("reslot.faults.kills", 6);
    private static final int ROUNDS = Integer.getInteger("reslot.faults.rounds", 1);
    /** Every fault on every operation; without it ({@code mvn verify}), each fault on two of the four. */
    private static final boolean EVERY_OPERATION = Boolean.getBoolean("reslot.faults.every-operation");
    private static final long SEED = 20_261_125L;
    private static final int ENTITIES = 5_000; // four keys each
    private static final int COUNTERS = 500;
    private static final int WRITER_THREADS = 2;
    private static final Map<String, String> ENV = Map.of(Moves.LOCK_LEASE_ENV, "2000");
    private static final long LOCKED_FOR_MILLIS = 20_000;
    private static final FaultReport REPORT = new FaultReport();
    private static final String FAILOVER = "target master killed, replica takes over";

    /** What a trial runs. */
    enum Operation {
        RESHARD, REBALANCE, RETAG, MIGRATE;

        String label() {
            return name().toLowerCase();
        }

        /** Whether it renames keys (a retag, or a migration with a retag step). */
        boolean renames() {
            return this == RETAG || this == MIGRATE;
        }
    }

    @TempDir
    Path tmp;

    private int trials;
    /** The directory of each cluster's migrations: a cluster applies the scripts of its own trials. */
    private final Map<LocalCluster, Path> locations = new java.util.IdentityHashMap<>();

    @AfterAll
    static void report() throws Exception {
        REPORT.write(Path.of("target", "fault-report.md"));
    }

    /**
     * SIGKILL of reslot at a random moment of its run, then {@code resume} (a move) or the same command again (a
     * retag, a migration). Each operation first runs once uninterrupted, which measures how long it takes.
     */
    @Test
    void sigkillOfReslotAtRandomMoments() throws Exception {
        Random random = ReslotJar.crashRandom(FaultsIT.class, SEED);
        try (LocalCluster cluster = LocalCluster.builder().masters(3).start()) {
            cluster.addMaster();
            Keyspace.load(cluster, "base", ENTITIES);
            // how long each run takes by itself, from its start: the kills fall within it (not within the whole
            // trial, whose set-up and comparison took most kills past the end of the run)
            Map<Operation, Long> took = new EnumMap<>(Operation.class);
            for (Operation op : Operation.values()) {
                ClusterNode target = cluster.masters().get(trials % 4);
                trial(cluster, "none (uninterrupted)", op, target, "", run -> {
                    long started = System.nanoTime();
                    run.waitFor();
                    took.put(op, (System.nanoTime() - started) / 1_000_000);
                    return Struck.nothing("ran to the end");
                });
            }
            for (int kill = 0; kill < KILLS; kill++) {
                Operation op = Operation.values()[kill % 4];
                ClusterNode target = cluster.masters().get(trials % 4);
                long runMillis = took.get(op);
                long at = 300 + (long) (random.nextDouble() * runMillis * 0.8);
                trial(cluster, "SIGKILL of reslot", op, target, "", run -> Struck.nothing("kill at " + at
                        + " ms: " + run.killAfter(at)));
            }
        }
    }

    /** A node SIGSTOPped for 3 s, longer than the MIGRATE timeout of 500 ms, then continued with SIGCONT. */
    @Test
    void aNodePausedLongerThanTheMigrateTimeout() throws Exception {
        Random delays = ReslotJar.crashRandom(FaultsIT.class, SEED);
        eachRound(0, LocalCluster.builder().masters(3), false, (cluster, target, op) ->
                trial(cluster, "target paused 3 s (MIGRATE timeout 500 ms)", op, target, "timeout=500", run -> {
                    String when = strikeMidway(run, delays);
                    cluster.pause(target);
                    Thread.sleep(3000);
                    cluster.resume(target);
                    return Struck.nothing(when + "; the run " + ended(run));
                }));
    }

    /**
     * The target master killed mid-move: its replica takes over. The moves wait for a replica's acknowledgement of
     * every batch ({@code --wait-replicas 1}), so no moved key may be lost; writes the clients made on the dead master
     * and that did not reach the replica are counted apart. The killed node is then started again (it comes back as
     * the new master's replica), and the trial ends as any other: {@code resume} goes on with the replica that took
     * over, a migration run again continues its job the same way. A cluster each: a shard that failed over once did
     * not always elect again within 30 s.
     */
    @Test
    void theTargetMasterKilledMidMoveFailsOverToItsReplica() throws Exception {
        Random delays = ReslotJar.crashRandom(FaultsIT.class, SEED);
        eachRound(1, LocalCluster.builder().masters(3).replicas(1).nodeTimeout(Duration.ofMillis(1500)), true,
                (cluster, target, op) -> trial(cluster, FAILOVER, op, target,
                        "wait-replicas=1", run -> {
                            String when = strikeMidway(run, delays);
                            SlotSet served = servedBy(cluster, target);
                            cluster.kill(target);
                            cluster.awaitReady(); // a replica took over
                            // back as a replica: reslot's commands queued for it (its own records may have lived
                            // there) are answered with MOVED to the new master instead of waiting out their timeout
                            cluster.restart(target);
                            return new Struck(when + "; the run " + ended(run),
                                    name -> served.contains(KeySlot.of(name)));
                        }));
    }

    /** The target killed mid-move and started again a second later (with its append-only file, fsync always). */
    @Test
    void theTargetRestartedMidMove() throws Exception {
        Random delays = ReslotJar.crashRandom(FaultsIT.class, SEED);
        eachRound(2, LocalCluster.builder().masters(3).config("appendonly", "yes").config("appendfsync", "always"),
                false, (cluster, target, op) -> trial(cluster, "target killed and restarted", op, target, "", run -> {
                    String when = strikeMidway(run, delays);
                    cluster.kill(target);
                    Thread.sleep(1000);
                    cluster.restart(target);
                    return Struck.nothing(when + "; the run " + ended(run));
                }));
    }

    /**
     * The target's {@code maxmemory} set just above what it uses, so that RESTORE soon fails with OOM; once the run
     * has ended, memory is freed ({@code maxmemory 0}) and the trial ends as after any stop.
     */
    @Test
    void theTargetNearMaxmemory() throws Exception {
        eachRound(3, LocalCluster.builder().masters(3), false, (cluster, target, op) ->
                trial(cluster, "target near maxmemory (OOM)", op, target, "", () -> {
                    try (StatefulRedisConnection<String, String> c = cluster.connect(target)) {
                        long used = Long.parseLong(c.sync().info("memory").lines()
                                .filter(l -> l.startsWith("used_memory:")).findFirst().orElseThrow()
                                .substring("used_memory:".length()).trim());
                        c.sync().configSet("maxmemory", Long.toString(used + 256 * 1024));
                    }
                }, run -> {
                    run.waitFor();
                    String output = run.stderr();
                    try (StatefulRedisConnection<String, String> c = cluster.connect(target)) {
                        c.sync().configSet("maxmemory", "0");
                    }
                    return Struck.nothing("the run exited " + run.exit() + (output.contains("OOM")
                            ? " naming OOM" : ""));
                }));
    }

    /** The trials of one fault on one cluster, the target being its second master. */
    @FunctionalInterface
    interface Trials {
        void run(LocalCluster cluster, ClusterNode target, Operation op) throws Exception;
    }

    /**
     * Runs {@code trials} {@link #ROUNDS} times on clusters started with {@code options} and loaded with the base
     * data: on every operation with {@code -Pfaults} ({@link #EVERY_OPERATION}), else on two of the four, picked by
     * {@code shift} so that each operation meets two of the four faults.
     *
     * @param clusterPerTrial a cluster for each trial rather than one for each round
     */
    private static void eachRound(int shift, LocalClusterOptions.Builder options, boolean clusterPerTrial,
            Trials trials) throws Exception {
        Operation[] all = Operation.values();
        List<Operation> ops = EVERY_OPERATION ? List.of(all) : List.of(all[shift % 4], all[(shift + 2) % 4]);
        for (int round = 0; round < ROUNDS; round++) {
            for (List<Operation> group : clusterPerTrial ? ops.stream().map(List::of).toList() : List.of(ops)) {
                try (LocalCluster cluster = LocalCluster.start(options.build())) {
                    Keyspace.load(cluster, "base", ENTITIES);
                    for (Operation op : group) {
                        trials.run(cluster, cluster.masters().get(1), op);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** What a fault did, and which names lived on a master that died (its unreplicated writes are lost to it). */
    record Struck(String what, Predicate<String> onDeadMaster) {
        static Struck nothing(String what) {
            return new Struck(what, name -> false);
        }
    }

    @FunctionalInterface
    interface Fault {
        Struck strike(ReslotJar.Run run) throws Exception;
    }

    @FunctionalInterface
    interface Setup {
        void run() throws Exception;
    }

    private void trial(LocalCluster cluster, String fault, Operation op, ClusterNode target, String moverOption,
            Fault strike) throws Exception {
        trial(cluster, fault, op, target, moverOption, () -> { }, strike);
    }

    /**
     * One trial: prepares what {@code op} works on, snapshots the data, starts the writers and the run, lets
     * {@code strike} hit it, ends it, and compares.
     *
     * @param moverOption a mover option {@code name=value} for the moves, or empty
     */
    private void trial(LocalCluster cluster, String fault, Operation op, ClusterNode target, String moverOption,
            Setup setup, Fault strike) throws Exception {
        int n = trials++;
        String space = "t" + n;
        if (op.renames()) {
            Keyspace.load(cluster, space, ENTITIES);
        }
        String[] args = args(cluster, op, n, space, target, moverOption);
        Keyspace.Snapshot before = Keyspace.snapshot(cluster);
        long started = System.nanoTime();
        Writers.Tally tally;
        String how;
        Struck struck;
        try (Writers writers = new Writers(cluster, COUNTERS, WRITER_THREADS, i -> counter(space, i))) {
            Thread.sleep(200);
            setup.run();
            ReslotJar.Run run = ReslotJar.start(tmp, ENV, cluster, args);
            struck = strike.strike(run);
            run.waitFor();
            how = finish(cluster, op, args, run);
            tally = writers.stop();
        }
        Keyspace.Snapshot after = Keyspace.snapshot(cluster);
        Keyspace.Comparison comparison = Keyspace.compare(before, after, op.renames() ? name -> renamed(space, name)
                : name -> name);
        Writers.Counted counted = tally.count(cluster, i -> op.renames() ? List.of(counter(space, i),
                renamed(space, counter(space, i))) : List.of(counter(space, i)), struck.onDeadMaster());
        int lostToFailover = comparison.keysLost(struck.onDeadMaster());
        FaultReport.Trial outcome = new FaultReport.Trial(how, comparison.keysLost() - lostToFailover, lostToFailover,
                counted);
        REPORT.add(fault, op.label(), outcome);
        System.out.printf("FaultsIT: trial %d, %s, %s to %s: %s; finished by %s in %d ms; %d keys compared, %s;"
                + " writes %s%n", n, fault, op.label(), target.address(), struck.what(), how,
                (System.nanoTime() - started) / 1_000_000, before.keys().size(), comparison.describe(), counted);
        assertThat(comparison.keysLost() - lostToFailover).as("keys lost: " + comparison.describe()).isZero();
        if (!fault.equals(FAILOVER)) {
            // A failover can leave a job that cannot be finished. Seen once in CI: after the restart, both the old
            // target and the replica that took over served slots of the shard, so a slot of the job was served by
            // neither of its nodes; resume stopped naming it and fix repaired the cluster (26 keys held by the one
            // that no longer served their slots went back to the owner). Nothing may be lost even then (asserted
            // above and below); the table counts such a trial as not completed.
            assertThat(outcome.completed()).as("the operation completed: " + how).isTrue();
        }
        assertThat(comparison.notMoved()).as("keys not renamed").isEmpty();
        assertThat(comparison.appeared()).as("keys that appeared").isEmpty();
        assertThat(comparison.duplicates()).as("keys on two masters").isEmpty();
        assertThat(counted.lost()).as("acknowledged writes lost").isZero();
        assertThat(counted.beyond()).as("writes applied twice").isZero();
    }

    /** The command of {@code op}, as {@code java -jar reslot.jar -c seed} takes it. */
    private String[] args(LocalCluster cluster, Operation op, int n, String space, ClusterNode target,
            String moverOption) throws Exception {
        List<String> args = new ArrayList<>(List.of("--yes"));
        switch (op) {
            case RESHARD -> args.addAll(List.of("reshard", "--to", target.address(), "--slots", "1500"));
            case REBALANCE -> args.addAll(List.of("rebalance", "--weight", target.address() + "=3"));
            case RETAG -> args.addAll(List.of("retag", "--match", space + ":*", "--regex", regex(space), "--to",
                    template(space)));
            case MIGRATE -> args.addAll(List.of("migrate", "--location", script(cluster, n, space, target,
                    moverOption).toString()));
        }
        if (!moverOption.isEmpty() && (op == Operation.RESHARD || op == Operation.REBALANCE)) {
            String[] option = moverOption.split("=");
            args.addAll(List.of("--" + option[0], option[1]));
        }
        return args.toArray(new String[0]);
    }

    /**
     * Adds {@code V<n>} to the migrations of the cluster's trials: 1,000 slots to the target, then a retag of
     * {@code space}.
     */
    private Path script(LocalCluster cluster, int n, String space, ClusterNode target, String moverOption)
            throws Exception {
        Path location = locations.computeIfAbsent(cluster, c -> tmp.resolve("migrations-" + locations.size()));
        Files.createDirectories(location);
        String mover = moverOption.isEmpty() ? "" : "      " + moverOption.replace("=", ": ") + "\n";
        Files.writeString(location.resolve("V" + n + "__Trial_" + n + ".yaml"), "steps:\n"
                + "  - reshard:\n      to: \"" + target.address() + "\"\n      slots: 1000\n" + mover
                + "  - retag:\n      match: \"" + space + ":*\"\n      regex: \"" + regex(space).replace("\\", "\\\\")
                + "\"\n      to: \"" + template(space) + "\"\n");
        return location;
    }

    private static String regex(String space) {
        return "^" + space + ":(?<id>[0-9]+):(?<f>.*)$";
    }

    private static String template(String space) {
        return space + ":{${id}}:${f}";
    }

    /** {@code t3:17:s} → {@code t3:{17}:s}; other names stay. */
    private static String renamed(String space, String name) {
        if (!name.startsWith(space + ":")) {
            return name;
        }
        String[] parts = name.split(":", 3);
        return parts[0] + ":{" + parts[1] + "}:" + parts[2];
    }

    /** Counter {@code i} of a trial: {@code <space>:<i>:ctr}, inside the retagged names when the trial retags. */
    private static String counter(String space, int i) {
        return space + ":" + i + ":ctr";
    }

    /**
     * Ends a trial as an operator would: a move with {@code resume}, or, when resume finds no job (the run died
     * before storing it, or after finishing it), by running the command again; a retag or a migration by running it
     * again; each as often as the dead run's lock refuses it. If {@code check} then still finds the cluster unhealthy
     * (a slot left open by a node that died), {@code fix}.
     *
     * @return how it ended: "run", "resume", "re-run", "... failed", with "+ fix" if fix was needed
     */
    private String finish(LocalCluster cluster, Operation op, String[] args, ReslotJar.Run run) throws Exception {
        String how = run.exit() == 0 ? "run" : null;
        if (how == null && (op == Operation.RESHARD || op == Operation.REBALANCE)) {
            ReslotJar.Completed resumed = ReslotJar.runUntilUnlocked(tmp, ENV, cluster, LOCKED_FOR_MILLIS, "--yes",
                    "resume");
            if (resumed.run().exit() == 0) {
                how = "resume";
            } else if (!resumed.run().stderr().contains("there is no unfinished job to resume")) {
                System.out.println("FaultsIT: resume exited " + resumed.run().exit() + ": " + resumed.run().stderr());
                how = "resume failed";
            }
        }
        if (how == null) {
            // a retag or a migration; or a move killed before it stored its job, which moved nothing yet
            ReslotJar.Completed again = ReslotJar.runUntilUnlocked(tmp, ENV, cluster, LOCKED_FOR_MILLIS, args);
            if (again.run().exit() == 0) {
                how = "re-run";
            } else {
                System.out.println("FaultsIT: the re-run exited " + again.run().exit() + ": " + again.run().stderr());
                how = "re-run failed";
            }
        }
        if (!healthy(cluster)) {
            Cli.Result fixed = Cli.runWithEnv(ENV, "-c", seed(cluster), "-q", "fix", "--yes");
            System.out.println("FaultsIT: fix: " + fixed.stdout() + fixed.stderr());
            assertThat(fixed.exit()).as(fixed.stdout() + fixed.stderr()).isZero();
            how = (how == null ? "" : how + " + ") + "fix";
            TestClusters.awaitHealthy(cluster);
        }
        return how;
    }

    /** Whether {@code reslot check} finds the cluster healthy within 5 s (gossip may lag after a failover). */
    private static boolean healthy(LocalCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Cli.run("-c", seed(cluster), "check").exit() != 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    /** Waits until the run reports progress, then a random (seeded) 0–300 ms more; says when the fault struck. */
    private static String strikeMidway(ReslotJar.Run run, Random delays) throws Exception {
        long started = System.nanoTime();
        boolean working = run.awaitStderr("reslot: ", 60_000);
        Thread.sleep(delays.nextInt(300));
        return (working && run.process().isAlive() ? "struck mid-run" : "struck after the run ended") + " ("
                + (System.nanoTime() - started) / 1_000_000 + " ms in)";
    }

    /** How the run ended, waiting for it (it must end by itself). */
    private static String ended(ReslotJar.Run run) throws Exception {
        long started = System.nanoTime();
        run.waitFor();
        String[] lines = run.stderr().strip().split("\n");
        return "exited " + run.exit() + " " + (System.nanoTime() - started) / 1_000_000 + " ms later"
                + (run.exit() == 0 ? "" : " (" + lines[lines.length - 1] + ")");
    }

    /** The slots {@code node} serves or imports now. */
    private static SlotSet servedBy(LocalCluster cluster, ClusterNode node) {
        NodeInfo info = TestClusters.topology(cluster).node(node.nodeId());
        return info.slots().union(SlotSet.of(info.importing().keySet().stream().mapToInt(Integer::intValue)
                .toArray()));
    }

}
