package io.reslot.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.api.StatefulRedisConnection;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.JobState;
import io.reslot.migrate.Jobs;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.migrate.internal.LeaseLock;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;
import io.reslot.slot.SlotTags;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.reslot.cli.TestClusters.assertHealthy;
import static io.reslot.cli.TestClusters.seed;
import static io.reslot.cli.TestClusters.slotsByMaster;
import static io.reslot.cli.TestClusters.topology;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reshard}, {@code move-slots}, {@code rebalance}, {@code drain} and {@code resume} run in-process against
 * sandbox clusters. The tests of this class share one (3 masters, 20,000 keys) and each works from the layout it
 * finds; rebalance and drain get a cluster of their own, since they add a master.
 */
@WithLocalCluster(masters = 3)
class MoveCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 20_000;

    private static List<String> keys;

    @BeforeAll
    static void load(LocalCluster cluster) {
        keys = TestClusters.load(cluster, "shared", KEYS);
    }

    @Test
    void changesNothingOnADryRun(LocalCluster cluster) {
        Map<String, String> before = slotsByMaster(cluster);
        NodeInfo target = topology(cluster).masters().get(0);

        Cli.Result result = Cli.run("-c", seed(cluster), "reshard", "--to", target.address(), "--slots", "100",
                "--dry-run");

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("FROM", "RANGES", "100 slots in 2 transfers", "SLOTS AFTER");
        assertThat(result.stderr()).isEqualTo("reslot: --dry-run: nothing was changed\n");
        assertThat(slotsByMaster(cluster)).isEqualTo(before);
    }

    @Test
    void reshardsExactlyNSlotsToTheTarget(LocalCluster cluster) {
        NodeInfo target = topology(cluster).masters().get(1);
        int before = target.slots().size();

        Cli.Result result = Cli.run("-c", seed(cluster), "reshard", "--to", target.id().substring(0, 10),
                "--slots", "300", "--yes");

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout()).containsPattern("\nmoved 300 slots \\(\\d+ keys, [0-9.]+ [kMG]?B\\) in [0-9.]+ s; "
                + "job [0-9a-f]{8} done\n$");
        assertThat(topology(cluster).node(target.id()).slots().size()).isEqualTo(before + 300);
        assertThat(TestClusters.userKeys(cluster)).isEqualTo(KEYS);
        assertHealthy(cluster);
    }

    @Test
    void movesTheGivenSlotsAndPrintsOneJsonDocument(LocalCluster cluster) throws Exception {
        Topology topology = topology(cluster);
        NodeInfo source = topology.masters().get(0);
        NodeInfo target = topology.masters().get(2);
        int first = source.slots().next(0);
        SlotSet slots = SlotSet.parse(first + "-" + (first + 49) + "," + (first + 100));

        Cli.Result result = Cli.run("-c", seed(cluster), "--json", "move-slots", "--slots", slots.toString(),
                "--to", target.address(), "--window", "2", "--batch-keys", "7");

        assertThat(result.exit()).as(result.stderr()).isZero();
        // progress as JSON lines on stderr: the plan first, the job's end last
        List<String> events = result.stderr().lines().toList();
        assertThat(events).isNotEmpty().allSatisfy(line -> assertThat(JSON.readTree(line).get("event")).isNotNull());
        assertThat(JSON.readTree(events.get(0)).get("event").asText()).isEqualTo("plan");
        assertThat(JSON.readTree(events.get(events.size() - 1)).get("event").asText()).isEqualTo("finished");
        assertThat(result.stdout()).endsWith("}\n").hasLineCount(1);
        JsonNode report = JSON.readTree(result.stdout());
        assertThat(report.get("dryRun").asBoolean()).isFalse();
        assertThat(report.get("plan").get("kind").asText()).isEqualTo("MOVE_SLOTS");
        assertThat(report.get("plan").get("transfers").get(0).get("slots").asText()).isEqualTo(slots.toString());
        JsonNode outcome = report.get("outcome");
        assertThat(outcome.get("completed").asBoolean()).isTrue();
        assertThat(outcome.get("slotsDone").asInt()).isEqualTo(51);
        assertThat(outcome.get("keys").asLong()).isPositive();
        assertThat(report.get("job").asText()).isEqualTo(outcome.get("jobId").asText()).hasSize(8);
        assertThat(topology(cluster).node(target.id()).slots().containsAll(slots)).isTrue();
        TestClusters.assertValues(cluster, keys.subList(0, 500));
        assertHealthy(cluster);
    }

    @Test
    void changesNothingWhenTheMoveIsNotConfirmed(LocalCluster cluster) {
        Map<String, String> before = slotsByMaster(cluster);
        NodeInfo target = topology(cluster).masters().get(2);

        Cli.Result no = Cli.runWithStdin("n\n", "-c", seed(cluster), "reshard", "--to", target.address(),
                "--slots", "10");
        Cli.Result eof = Cli.run("-c", seed(cluster), "reshard", "--to", target.address(), "--slots", "10");

        assertThat(no.exit()).isEqualTo(1);
        assertThat(no.stdout()).contains("10 slots in ");
        assertThat(no.stderr()).isEqualTo("Move 10 slots? [y/N] reslot: not confirmed; nothing was changed\n");
        assertThat(eof.exit()).isEqualTo(1);
        assertThat(eof.stderr()).isEqualTo("Move 10 slots? [y/N] \nreslot: not confirmed; nothing was changed\n");
        assertThat(slotsByMaster(cluster)).isEqualTo(before);
    }

    @Test
    void movesWhenTheUserSaysYes(LocalCluster cluster) {
        NodeInfo target = topology(cluster).masters().get(0);
        int before = target.slots().size();

        Cli.Result result = Cli.runWithStdin("y\n", "-c", seed(cluster), "-q", "reshard", "--to", target.address(),
                "--slots", "5");

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEqualTo("Move 5 slots? [y/N] ");
        assertThat(topology(cluster).node(target.id()).slots().size()).isEqualTo(before + 5);
    }

    @Test
    void saysNothingToMoveForAnEmptyPlan(LocalCluster cluster) {
        NodeInfo target = topology(cluster).masters().get(0);
        int slot = target.slots().next(0);

        Cli.Result result = Cli.run("-c", seed(cluster), "move-slots", "--slots", Integer.toString(slot),
                "--to", target.address());

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("nothing to move\n");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void exitsWith2OnAnUnknownNode(LocalCluster cluster) {
        Cli.Result result = Cli.run("-c", seed(cluster), "drain", "--node", "nope");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).startsWith("reslot: no node is 'nope'; known: ").hasLineCount(1);
    }

    @Test
    void exitsWith4WhileAnotherRunHoldsTheLock(LocalCluster cluster) {
        Map<String, String> before = slotsByMaster(cluster);
        NodeInfo target = topology(cluster).masters().get(1);
        try (ClusterAccess access = TestClusters.access(cluster);
                LeaseLock lock = LeaseLock.acquire(access.metadata(), "test")) {
            Cli.Result result = Cli.run("-c", seed(cluster), "reshard", "--to", target.address(), "--slots", "10",
                    "--yes");

            assertThat(result.exit()).isEqualTo(4);
            assertThat(result.stderr()).startsWith("reslot: the cluster is locked by ").contains(" for test since ")
                    .hasLineCount(1);
        }
        assertThat(slotsByMaster(cluster)).isEqualTo(before);
    }

    @Test
    void exitsWith2WhenThereIsNoJobToResume(LocalCluster cluster) {
        Cli.Result none = Cli.run("-c", seed(cluster), "resume", "--yes");
        Cli.Result unknown = Cli.run("-c", seed(cluster), "resume", "--job", "00000000", "--yes");

        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.stderr()).isEqualTo("reslot: there is no unfinished job to resume; nothing was changed\n");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).startsWith("reslot: --job 00000000: the cluster has no such job");
    }

    /**
     * A key on the target with another value than the source's stops the job (BUSYKEY, policy compare); once the
     * target's copy is deleted, resume finishes it.
     */
    @Test
    void resumesAJobThatStoppedOnABusyKey(LocalCluster cluster) {
        Topology topology = topology(cluster);
        NodeInfo source = topology.masters().get(2);
        NodeInfo target = topology.masters().get(1);
        int slot = source.slots().next(0) + 20;
        String key = "{" + SlotTags.tagFor(slot) + "}:busy";
        assertThat(KeySlot.of(key)).isEqualTo(slot);
        try (var c = cluster.clusterClient().connect()) {
            c.sync().set(key, "the source's");
        }
        ClusterNode onTarget = sandboxNode(cluster, target.id());
        try (StatefulRedisConnection<String, String> t = cluster.connect(onTarget)) {
            // As a crashed earlier move could have left it: a copy of the key on the target, with another value.
            t.sync().clusterSetSlotImporting(slot, source.id());
            t.sync().asking();
            t.sync().set(key, "the target's");
            t.sync().clusterSetSlotStable(slot);

            Cli.Result stopped = Cli.run("-c", seed(cluster), "move-slots", "--slots", slot + "," + (slot + 1),
                    "--to", target.address(), "--yes");

            assertThat(stopped.exit()).isEqualTo(1);
            assertThat(stopped.stderr()).contains(key, "reslot resume --job ").hasLineCount(1);
            String job = stopped.stderr().replaceAll("(?s).*reslot resume --job ([0-9a-f]{8}).*", "$1");
            try (ClusterAccess access = TestClusters.access(cluster)) {
                assertThat(Jobs.list(access).get(0).state()).isEqualTo(JobState.STOPPED);
            }

            Cli.Result dryRun = Cli.run("-c", seed(cluster), "resume", "--dry-run");

            assertThat(dryRun.exit()).isZero();
            assertThat(dryRun.stdout()).containsPattern(" " + slot + "(-" + (slot + 1) + ")?\n");

            t.sync().asking();
            assertThat(t.sync().del(key)).isEqualTo(1);
        }

        Cli.Result resumed = Cli.run("-c", seed(cluster), "resume", "--job", job(cluster), "--yes");

        assertThat(resumed.exit()).as(resumed.stderr()).isZero();
        assertThat(resumed.stdout()).contains("; job ");
        try (var c = cluster.clusterClient().connect()) {
            assertThat(c.sync().get(key)).isEqualTo("the source's");
            c.sync().del(key);
        }
        assertThat(topology(cluster).ownerOf(slot)).isEqualTo(target.id());
        assertHealthy(cluster);
    }

    /** Ctrl-C: the job stops at its next step, records its stop and frees the lock; resume finishes it. */
    @Test
    void stopsOnCtrlCAndResumes(LocalCluster cluster) throws Exception {
        NodeInfo target = topology(cluster).masters().get(0);
        ByteArrayOutputStream err = new ByteArrayOutputStream(); // synchronized: read here while the run writes
        AtomicInteger exit = new AtomicInteger(-1);
        // 1000 slots hold about 1200 keys: 3 s at 400 keys/s
        String[] args = {"-c", seed(cluster), "reshard", "--to", target.address(), "--slots", "1000", "--yes",
            "--rate", "400", "--window", "2"};
        Thread runner = new Thread(() -> exit.set(Main.run(args, InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), err, Map.of())));
        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!err.toString(StandardCharsets.UTF_8).contains(" slots, ") && System.nanoTime() < deadline) {
            Thread.sleep(20); // until the first progress line: the job is moving
        }

        StopOnSignal.stopRunning();
        runner.join();

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit.get()).as(stderr).isEqualTo(130);
        assertThat(stderr).containsPattern("(?m)^reslot: \\d+/1000 slots, \\d+ keys, \\d+ keys/s, ETA ")
                .containsPattern("(?m)^reslot: interrupted. Job [0-9a-f]{8}: \\d+ of 1000 slots done; to finish it run "
                        + "`reslot resume --job [0-9a-f]{8}`.$");
        try (ClusterAccess access = TestClusters.access(cluster)) {
            assertThat(LeaseLock.holder(access.metadata())).isEmpty();
            assertThat(Jobs.list(access).get(0).state()).isEqualTo(JobState.STOPPED);
        }

        Cli.Result resumed = Cli.run("-c", seed(cluster), "-q", "resume", "--yes", "--window", "16");

        assertThat(resumed.exit()).as(resumed.stderr()).isZero();
        assertThat(resumed.stderr()).isEmpty();
        assertThat(TestClusters.userKeys(cluster)).isEqualTo(KEYS);
        assertHealthy(cluster);
    }

    /** Rebalance onto a new, empty master, then drain it again: a cluster of its own, since it adds a master. */
    @Test
    void rebalancesOntoAnEmptyMasterAndDrainsIt() throws Exception {
        try (LocalCluster own = LocalCluster.builder().masters(3).start()) {
            List<String> loaded = TestClusters.load(own, "own", 5000);
            ClusterNode added = own.addMaster();

            Cli.Result without = Cli.run("-c", seed(own), "rebalance", "--dry-run");
            // weights keep the move small: the new master's share is 16384 * 0.1 / 3.1 = 528.5 slots
            Cli.Result rebalanced = Cli.run("-c", seed(own), "rebalance", "--use-empty-masters", "--yes",
                    "--weight", added.address() + "=0.1", "--threshold", "1");

            assertThat(without.exit()).isZero();
            assertThat(without.stdout()).startsWith("nothing to move\n");
            assertThat(rebalanced.exit()).as(rebalanced.stderr()).isZero();
            int share = topology(own).node(added.nodeId()).slots().size();
            assertThat(share).isBetween(528, 529);
            assertThat(rebalanced.stdout()).contains("moved " + share + " slots");
            assertHealthy(own);

            Cli.Result drained = Cli.run("-c", seed(own), "drain", "--node", added.address(), "--yes");

            assertThat(drained.exit()).as(drained.stderr()).isZero();
            assertThat(drained.stdout()).contains("moved " + share + " slots");
            assertThat(topology(own).node(added.nodeId()).slots().isEmpty()).isTrue(); // Redis 7 makes it a replica
            assertThat(TestClusters.userKeys(own)).isEqualTo(loaded.size());
            TestClusters.assertValues(own, loaded);
            TestClusters.awaitHealthy(own);
        }
    }

    private static ClusterNode sandboxNode(LocalCluster cluster, String id) {
        return cluster.nodes().stream().filter(n -> n.nodeId().equals(id)).findFirst().orElseThrow();
    }

    private static String job(LocalCluster cluster) {
        try (ClusterAccess access = TestClusters.access(cluster)) {
            return Jobs.list(access).get(0).id();
        }
    }
}
