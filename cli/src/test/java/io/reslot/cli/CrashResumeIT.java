package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.reslot.migrate.NodeInfo;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crashes: {@code java -jar reslot.jar move-slots} is killed with SIGKILL at a random moment, then
 * {@code reslot resume} (in-process) finishes what it left, and no key may be lost: the masters' key count, the
 * values of sampled keys and {@code reslot check} are compared after every trial. The slots go back and forth between
 * a master and one that was added empty. The random seed is fixed and printed; {@code -Dreslot.crash.seed=N} tries another.
 *
 * <p>A killed run's lock stays until its lease runs out; the runs here take it with a 2 s lease
 * ({@code RESLOT_LOCK_LEASE_MS}) so that the trials do not wait 30 s each.
 */
class CrashResumeIT {

    private static final long SEED = 20_260_101L;
    private static final int KEYS = 60_000;
    private static final int TRIALS = 4; // FaultsIT kills reshards, rebalances, retags and migrations under traffic too
    private static final String SLOTS = "0-1499"; // the sandbox gives the first master 0-5460
    private static final Map<String, String> ENV = Map.of(Moves.LOCK_LEASE_ENV, "2000");
    private static final long LOCKED_FOR_MILLIS = 10_000;

    @TempDir
    Path tmp;

    @Test
    void losesNoKeyWhenAMoveIsKilledAtRandomMoments() throws Exception {
        ReslotJar.requireBuilt();
        Random random = ReslotJar.crashRandom(CrashResumeIT.class, SEED);
        try (LocalCluster cluster = LocalCluster.builder().masters(3).start()) {
            List<String> keys = TestClusters.load(cluster, "crash", KEYS);
            ClusterNode home = cluster.masters().get(0);
            ClusterNode added = cluster.addMaster();
            // A slot it keeps: Redis 7 turns a master that loses its last slot into a replica.
            assertThat(Cli.run("-c", seed(cluster), "-q", "move-slots", "--slots", "16383", "--to", added.address(),
                    "--yes").exit()).isZero();

            // An uncrashed run first: it must succeed, and says how long a whole move takes.
            long started = System.nanoTime();
            ReslotJar.Run whole = reslot(cluster, "move-slots", "--slots", SLOTS, "--to", added.address(), "--yes", "--window", "4",
                    "--batch-keys", "50").waitFor();
            long expectedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(whole.exit()).as(whole.stderr()).isZero();
            assertThat(whole.stdout()).contains("moved 1500 slots");
            System.out.println("CrashResumeIT: a whole move takes " + expectedMillis + " ms");
            verify(cluster, keys, added, random);

            Map<String, Integer> outcomes = new TreeMap<>();
            for (int trial = 0; trial < TRIALS; trial++) {
                ClusterNode target = trial % 2 == 0 ? home : added;
                long killAt = 300 + (long) (random.nextDouble() * Math.max(1, expectedMillis - 300));
                ReslotJar.Run run = reslot(cluster, "move-slots", "--slots", SLOTS, "--to", target.address(), "--yes", "--window", "4",
                        "--batch-keys", "50");
                String ended = run.killAfter(killAt);
                long resumeStarted = System.nanoTime();
                Cli.Result resumed = resume(cluster);
                long resumeMillis = (System.nanoTime() - resumeStarted) / 1_000_000;
                // A run killed before it stored its job (or one that finished) leaves nothing to resume: move-slots
                // then moves what is left, and must find the cluster in a state to start from.
                Cli.Result finished = Cli.runWithEnv(ENV, "-c", seed(cluster), "-q", "move-slots", "--slots", SLOTS,
                        "--to", target.address(), "--yes");
                assertThat(finished.exit()).as(finished.stderr()).isZero();
                String outcome = ended + ", resume " + (resumed.exit() == 0 ? "finished the job" : "found no job")
                        + (finished.stdout().startsWith("nothing to move") ? "" : ", move-slots moved the rest");
                outcomes.merge(outcome, 1, Integer::sum);
                System.out.printf("CrashResumeIT: trial %d: to %s, kill at %d ms: %s (resume took %d ms)%n", trial,
                        target.address(), killAt, outcome, resumeMillis);
                verify(cluster, keys, target, random);
            }
            System.out.println("CrashResumeIT: outcomes " + outcomes);
        }
    }

    /**
     * SIGTERM (as Ctrl-C's SIGINT, which Java cannot send) runs the shutdown hook: the job stops, records its stop
     * and releases the lock, the message names the job to resume, and the JVM exits with the signal's status.
     */
    @Test
    void stopsTheJobAndReleasesTheLockOnSigterm() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().masters(3).start()) {
            TestClusters.load(cluster, "term", 10_000);
            ClusterNode target = cluster.masters().get(1);
            ReslotJar.Run run = reslot(cluster, "move-slots", "--slots", "0-2999", "--to", target.address(), "--yes",
                    "--rate", "500"); // about 1800 keys: 3.6 s
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!run.stderr().contains(" slots, ") && System.nanoTime() < deadline) {
                Thread.sleep(50); // until the first progress line: the job is moving
            }

            run.process().destroy();
            run.waitFor();

            assertThat(run.exit()).as(run.stderr()).isEqualTo(128 + 15);
            assertThat(run.stderr()).containsPattern("(?m)^reslot: \\d+/3000 slots, ")
                    .containsPattern("(?m)^reslot: interrupted. Job [0-9a-f]{8}: \\d+ of 3000 slots done; to finish it "
                            + "run `reslot resume --job [0-9a-f]{8}`.$");
            Cli.Result resumed = Cli.run("-c", seed(cluster), "-q", "resume", "--yes"); // no lease to wait for

            assertThat(resumed.exit()).as(resumed.stderr()).isZero();
            assertThat(TestClusters.userKeys(cluster)).isEqualTo(10_000);
            TestClusters.assertHealthy(cluster);
        }
    }

    /** Runs {@code reslot resume} until it no longer finds the lock held; returns its last result, 0 or 2. */
    private static Cli.Result resume(LocalCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCKED_FOR_MILLIS);
        while (true) {
            Cli.Result result = Cli.runWithEnv(ENV, "-c", seed(cluster), "-q", "resume", "--yes");
            if (result.exit() == ExitCode.LOCKED && System.nanoTime() < deadline) {
                Thread.sleep(200);
                continue;
            }
            assertThat(result.exit()).as(result.stderr()).isIn(ExitCode.OK, ExitCode.BAD_INPUT);
            if (result.exit() == ExitCode.BAD_INPUT) {
                assertThat(result.stderr()).contains("there is no unfinished job to resume");
            }
            return result;
        }
    }

    /** No key lost, 2,000 sampled values intact, every slot of {@link #SLOTS} on {@code owner}, cluster healthy. */
    private static void verify(LocalCluster cluster, List<String> keys, ClusterNode owner, Random random) {
        assertThat(TestClusters.userKeys(cluster)).isEqualTo(KEYS);
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sample.add(keys.get(random.nextInt(keys.size())));
        }
        TestClusters.assertValues(cluster, sample);
        NodeInfo node = TestClusters.topology(cluster).node(owner.nodeId());
        assertThat(node.slots().containsAll(SlotSet.parse(SLOTS))).as(node.toString()).isTrue();
        TestClusters.assertHealthy(cluster);
    }

    private ReslotJar.Run reslot(LocalCluster cluster, String... args) throws IOException {
        return ReslotJar.start(tmp, ENV, cluster, args);
    }
}
