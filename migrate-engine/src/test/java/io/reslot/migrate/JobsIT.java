package io.reslot.migrate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.reslot.migrate.internal.LeaseLock;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;
import io.reslot.slot.SlotTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plans run as jobs: recorded in the cluster, kept apart by the lock, finished by resume after a stop. */
class JobsIT {

    @RegisterExtension
    static final SandboxClusters CLUSTERS = new SandboxClusters(0);

    private static Plan movePlan(Topology topology, NodeInfo target, SlotSet slots) {
        return Planner.moveSlots(topology, slots, target.id());
    }

    @Test
    void runsAPlanAsAJobAndRecordsItDone() {
        LocalCluster cluster = CLUSTERS.get(BundledRedis.REDIS_7_0);
        try (ClusterAccess access = ClusterAccess.connect(SandboxClusters.seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            SlotSet slots = TestData.slotsOf(source, 400, 20);
            List<byte[]> keys = TestData.load(cluster, slots, 1);
            List<MoveEvent> events = Collections.synchronizedList(new ArrayList<>());

            JobOutcome outcome = Jobs.run(access, movePlan(topology, topology.masters().get(1), slots),
                    MoverOptions.defaults(), events::add);

            assertThat(outcome.completed()).isTrue();
            assertThat(outcome.slotsDone()).isEqualTo(20);
            assertThat(outcome.keys()).isEqualTo(keys.size());
            assertThat(events.get(0)).isInstanceOf(MoveEvent.PlanStarted.class);
            assertThat(events.get(events.size() - 1)).isInstanceOf(MoveEvent.Finished.class);
            JobRecord job = Jobs.list(access).stream().filter(j -> j.id().equals(outcome.jobId())).findFirst()
                    .orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.DONE);
            assertThat(job.done()).isEqualTo(slots);
        }
    }

    /** A caller that records the id first (versioned migrations do) finds the job whenever it dies. */
    @Test
    void storesAJobUnderTheIdItIsGivenAndNeverTwice() {
        LocalCluster cluster = CLUSTERS.get(BundledRedis.REDIS_7_0);
        try (ClusterAccess access = ClusterAccess.connect(SandboxClusters.seed(cluster))) {
            Topology topology = access.topology();
            SlotSet slots = TestData.slotsOf(topology.masters().get(0), 900, 3);
            Plan plan = movePlan(topology, topology.masters().get(1), slots);
            String id = Jobs.newJobId();

            JobOutcome outcome = Jobs.run(access, plan, MoverOptions.defaults(), Jobs.DEFAULT_LOCK_LEASE,
                    MoveListener.NONE, id);

            assertThat(outcome.jobId()).isEqualTo(id);
            assertThat(Jobs.list(access)).filteredOn(j -> j.id().equals(id)).extracting(JobRecord::state)
                    .containsExactly(JobState.DONE);
            Topology moved = access.topology();
            Plan back = movePlan(moved, moved.masters().get(0), slots);
            assertThatThrownBy(() -> Jobs.run(access, back, MoverOptions.defaults(), Jobs.DEFAULT_LOCK_LEASE,
                    MoveListener.NONE, id)).isInstanceOf(MigrateException.class).hasMessageContaining(id)
                    .extracting(e -> ((MigrateException) e).code()).isEqualTo(MigrateErrorCode.BAD_INPUT);
            assertThat(access.topology().ownerOf(slots.next(0))).as("nothing moved back")
                    .isEqualTo(topology.masters().get(1).id());
        }
    }

    @Test
    void refusesToRunWhileAnotherRunHoldsTheLock() {
        LocalCluster cluster = CLUSTERS.get(BundledRedis.REDIS_7_0);
        try (ClusterAccess access = ClusterAccess.connect(SandboxClusters.seed(cluster))) {
            Topology topology = access.topology();
            Plan plan = movePlan(topology, topology.masters().get(2), TestData.slotsOf(topology.masters().get(0), 500, 5));
            // another run: another connection (the lock is re-entrant for its holder's own thread and connection)
            try (ClusterAccess another = ClusterAccess.connect(SandboxClusters.seed(cluster));
                    LeaseLock other = LeaseLock.acquire(another.metadata(), "another run")) {
                assertThatThrownBy(() -> Jobs.run(access, plan, MoverOptions.defaults(), MoveListener.NONE))
                        .isInstanceOfSatisfying(MigrateException.class,
                                e -> assertThat(e.code()).isEqualTo(MigrateErrorCode.LOCKED))
                        .hasMessageContaining("another run");
            }
            assertThat(access.topology().node(topology.masters().get(0).id()).slots()
                    .containsAll(plan.transfers().get(0).slots())).isTrue();
        }
    }

    @Test
    void resumeFinishesAJobThatStoppedOnABusyKey() {
        LocalCluster cluster = CLUSTERS.get(BundledRedis.REDIS_7_0);
        try (ClusterAccess access = ClusterAccess.connect(SandboxClusters.seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(1);
            NodeInfo target = topology.masters().get(2);
            SlotSet slots = TestData.slotsOf(source, 600, 3);
            int busySlot = slots.next(0);
            byte[] key = TestData.load(cluster, slots, 1).get(0);
            // another value under the key on the target, left there as a stray (the slot closed again), so that the
            // cluster passes the job's health check and the move then meets the copy
            try (var onTarget = access.dedicated(target)) {
                onTarget.sync().clusterSetSlotImporting(busySlot, source.id());
                onTarget.sync().asking();
                onTarget.sync().set(key, TestData.bytes("another value"));
                onTarget.sync().clusterSetSlotStable(busySlot);
            }

            assertThatThrownBy(() -> Jobs.run(access, movePlan(topology, target, slots),
                    MoverOptions.builder().window(1).build(), MoveListener.NONE))
                    .isInstanceOf(MigrateException.class)
                    .hasMessageContaining(SlotMigration.printable(key))
                    .hasMessageContaining("reslot resume --job");
            JobRecord stopped = Jobs.list(access).get(0);
            assertThat(stopped.state()).isEqualTo(JobState.STOPPED);
            // the cluster has no replicas: a resume that would wait for one is refused before it changes anything
            assertThatThrownBy(() -> Jobs.resume(access, stopped.id(), MoverOptions.builder().waitReplicas(1).build(),
                    MoveListener.NONE))
                    .isInstanceOfSatisfying(MigrateException.class,
                            e -> assertThat(e.code()).isEqualTo(MigrateErrorCode.BAD_INPUT))
                    .hasMessageContaining("--wait-replicas 1 but " + target.address() + " has 0 working replicas");
            assertThat(Jobs.list(access).get(0)).isEqualTo(stopped);

            JobOutcome outcome = Jobs.resume(access, stopped.id(),
                    MoverOptions.builder().onBusyKey(BusyKeyPolicy.REPLACE).build(), MoveListener.NONE);

            assertThat(outcome.completed()).isTrue();
            assertThat(outcome.slotsDone()).isEqualTo(3);
            assertThat(MoverIT.awaitAgreement(access).nodes()).noneMatch(NodeInfo::hasOpenSlots);
            assertThat(access.topology().node(target.id()).slots().containsAll(slots)).isTrue();
        }
    }

    /**
     * The target master dies mid-job and its replica takes over: resume goes on with the replica, which holds every
     * key the target had received (the job waits for a replica after each batch), and the old target, back as its
     * replica, is left alone.
     */
    @Test
    void resumeFollowsATargetThatFailedOverToItsReplica() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().masters(3).replicas(1)
                .nodeTimeout(java.time.Duration.ofMillis(1500)).start();
                ClusterAccess access = ClusterAccess.connect(SandboxClusters.seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            NodeInfo target = topology.masters().get(1);
            SlotSet slots = TestData.slotsOf(source, 100, 200);
            List<byte[]> keys = TestData.load(cluster, slots, 3);
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            io.reslot.sandbox.ClusterNode targetNode = cluster.nodes().stream()
                    .filter(n -> n.nodeId().equals(target.id())).findFirst().orElseThrow();
            io.reslot.sandbox.ClusterNode replica = cluster.replicasOf(targetNode).get(0);
            java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CompletableFuture<Void> replaced = new java.util.concurrent.CompletableFuture<>();
            MoveListener killMidway = event -> {
                if (event instanceof MoveEvent.BatchMoved && batches.incrementAndGet() == 40) {
                    cluster.kill(targetNode);
                    // the replica takes over and the old target comes back as its replica while the run goes on:
                    // the run's commands for reslot's own records, which lived on the target, then get MOVED
                    // instead of waiting out their timeout for a node that stays down
                    replaced.completeAsync(() -> {
                        cluster.awaitReady();
                        cluster.restart(targetNode);
                        return null;
                    });
                }
            };
            MoverOptions options = MoverOptions.builder().window(2).batchKeys(5).timeoutMillis(2000).waitReplicas(1)
                    .build();

            // the lock lived on the dead target, so the stopped run could not release it: a short lease frees it
            assertThatThrownBy(() -> Jobs.run(access, movePlan(topology, target, slots), options,
                    java.time.Duration.ofSeconds(2), killMidway)).isInstanceOf(MigrateException.class);
            replaced.get(60, java.util.concurrent.TimeUnit.SECONDS);
            awaitAReplicaOnline(cluster, replica);
            try (ClusterAccess again = ClusterAccess.connect(SandboxClusters.seed(cluster))) {
                Thread.sleep(2_000);
                JobOutcome outcome = Jobs.resume(again, null, null, MoveListener.NONE);

                assertThat(outcome.completed()).isTrue();
                assertThat(outcome.warnings()).anyMatch(w -> w.contains("is now a replica of " + replica.address()));
                NodeInfo successor = again.topology().node(replica.nodeId());
                assertThat(successor.slots().containsAll(slots)).as(successor.toString()).isTrue();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (!ClusterCheck.check(again).problems().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(200); // the other masters learn the last slots by gossip
                }
                assertThat(ClusterCheck.check(again).problems()).isEmpty();
            }
            TestData.assertSame(before, TestData.snapshot(cluster, keys), 60_000);
        }
    }

    /**
     * Waits, at most 30 s, until {@code master} lists a replica online in {@code INFO replication}: the resume waits
     * for it after every batch. The sandbox's readiness asks the replicas; this asks the master, which counts the
     * acknowledgements.
     */
    private static void awaitAReplicaOnline(LocalCluster cluster, io.reslot.sandbox.ClusterNode master)
            throws InterruptedException {
        try (var connection = cluster.connect(master)) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            String info = connection.sync().info("replication");
            while (!info.contains("state=online") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                info = connection.sync().info("replication");
            }
            assertThat(info).as("INFO replication of %s", master.address()).contains("state=online");
        }
    }

    /**
     * A target paused past the MIGRATE timeout restores the batch it was sent once it runs again, while the source,
     * which got no answer, keeps those keys, and clients go on writing them there. The copies left on the target are
     * stale: the move replaces them with the source's, whatever {@code --on-busy-key} says (here the default,
     * compare, which would stop on them), in the same run or, when that run was stopped meanwhile, in the resumed one;
     * also when the paused target holds reslot's records and the run stops because its lock, kept there, was lost: the
     * job then learns of the MIGRATE only once the node is back.
     */
    @ParameterizedTest(name = "finished by {0}")
    @ValueSource(strings = {"the same run", "resume", "resume after the lock was lost with the target"})
    void replacesTheStaleCopiesLeftByAMigrateThatGotNoAnswer(String finisher) throws Exception {
        LocalCluster cluster = CLUSTERS.get(BundledRedis.REDIS_7_0);
        try (ClusterAccess access = ClusterAccess.connect(SandboxClusters.seed(cluster))) {
            Topology topology = access.topology();
            String records = topology.ownerOf(KeySlot.of("{reslot}"));
            boolean onRecords = finisher.endsWith("with the target");
            NodeInfo target = topology.masters().stream().filter(m -> m.id().equals(records) == onRecords)
                    .findFirst().orElseThrow();
            NodeInfo source = topology.masters().stream().filter(m -> m != target).findFirst().orElseThrow();
            int slot = source.slots().next(finisher.equals("the same run") ? 1400 : onRecords ? 1600 : 1500);
            List<String> keys = new ArrayList<>();
            try (var redis = cluster.clusterClient().connect()) {
                for (int i = 0; i < 400; i++) {
                    keys.add("{" + SlotTags.tagFor(slot) + "}:key:" + i);
                    redis.sync().set(keys.get(i), "first");
                }
            }
            ClusterNode pausedNode = cluster.nodes().stream().filter(n -> n.nodeId().equals(target.id())).findFirst()
                    .orElseThrow();
            CountDownLatch paused = new CountDownLatch(1);
            MoveListener pauseAfterTheFirstBatch = event -> {
                if (event instanceof MoveEvent.BatchMoved && paused.getCount() > 0) {
                    cluster.pause(pausedNode);
                    paused.countDown();
                }
            };
            MoverOptions options = MoverOptions.builder().window(1).batchKeys(10).timeoutMillis(200).build();
            Plan plan = movePlan(topology, target, SlotSet.of(slot));
            CompletableFuture<JobOutcome> run = new CompletableFuture<>();
            Thread runner = new Thread(() -> {
                try {
                    run.complete(Jobs.run(access, plan, options,
                            onRecords ? Duration.ofSeconds(2) : Jobs.DEFAULT_LOCK_LEASE, pauseAfterTheFirstBatch));
                } catch (RuntimeException e) {
                    run.completeExceptionally(e);
                }
            });
            runner.start();
            Set<String> written = new HashSet<>();
            try {
                assertThat(paused.await(30, TimeUnit.SECONDS)).as("a batch moved").isTrue();
                Thread.sleep(600); // a MIGRATE is sent, times out, and its copies wait in the paused target's socket
                try (var onSource = cluster.connect(cluster.nodes().stream()
                        .filter(n -> n.nodeId().equals(source.id())).findFirst().orElseThrow())) {
                    for (String key : keys) {
                        try {
                            if ("OK".equals(onSource.sync().set(key, "second", SetArgs.Builder.xx()))) {
                                written.add(key);
                            }
                        } catch (RedisCommandExecutionException moved) {
                            // ASK: the key is on the target already
                        }
                    }
                }
                if (onRecords) {
                    Thread.sleep(3000); // past the lock's lease: its renewals wait for the paused node
                } else if (finisher.startsWith("resume")) {
                    runner.interrupt();
                }
            } finally {
                cluster.resume(pausedNode);
            }
            runner.join(60_000);
            assertThat(written).as("keys written on the source after the MIGRATE that got no answer").isNotEmpty();

            JobOutcome outcome;
            if (finisher.startsWith("resume")) {
                assertThatThrownBy(run::join).hasCauseInstanceOf(MigrateException.class);
                Thread.sleep(300); // the target restores what it was sent while paused
                outcome = Jobs.resume(access, null, null, MoveListener.NONE);
            } else {
                outcome = run.get(60, TimeUnit.SECONDS);
            }

            assertThat(outcome.completed()).isTrue();
            assertThat(MoverIT.awaitAgreement(access).ownerOf(slot)).isEqualTo(target.id());
            try (var redis = cluster.clusterClient().connect()) {
                for (String key : keys) {
                    assertThat(redis.sync().get(key)).as(key).isEqualTo(written.contains(key) ? "second" : "first");
                }
            }
        }
    }
}
