package io.reslot.migrate.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.JobRecord;
import io.reslot.migrate.JobState;
import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.RedisServerBinary;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mover may move the {@code {reslot}} slot itself while a run holds the lock and records its job there. The lock
 * and the job store must follow their keys through ASK (slot open, keys moved) and MOVED (slot given away), on both
 * bundled Redis versions, whose handling of scripts sent after {@code ASKING} differs in implementation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataSlotMoveIT {

    private static final Duration LEASE = Duration.ofMillis(1200);
    private static final int SLOT = KeySlot.of(LeaseLock.KEY);

    private final Map<BundledRedis, LocalCluster> clusters = new EnumMap<>(BundledRedis.class);

    @AfterAll
    void stopClusters() {
        clusters.values().forEach(LocalCluster::close);
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void lockAndJobsFollowTheirSlotToAnotherMaster(BundledRedis version) throws Exception {
        LocalCluster cluster = clusters.computeIfAbsent(version,
                v -> LocalCluster.builder().masters(3).redis(RedisServerBinary.bundled(v)).start());
        try (ClusterAccess access = ClusterAccess.connect(
                AccessOptions.builder().seeds(cluster.masters().get(0).address()).build())) {
            StatefulRedisClusterConnection<String, String> metadata = access.metadata();
            JobStore jobs = new JobStore(metadata);
            LeaseLock lock = LeaseLock.acquire(metadata, "move-slots", LEASE);
            JobRecord job = jobs.create(JobStoreIT.plan("0-99"), MoverOptions.defaults());
            jobs.markDone(job.id(), 0);

            Topology before = access.topology();
            NodeInfo source = before.node(before.ownerOf(SLOT));
            NodeInfo target = before.masters().stream().filter(m -> !m.id().equals(source.id())).findFirst()
                    .orElseThrow();
            RedisCommands<String, String> onSource = cluster.connect(node(cluster, source)).sync();
            RedisCommands<String, String> onTarget = cluster.connect(node(cluster, target)).sync();

            assertThat(onTarget.clusterSetSlotImporting(SLOT, source.id())).isEqualTo("OK");
            assertThat(onSource.clusterSetSlotMigrating(SLOT, target.id())).isEqualTo("OK");
            // Open, keys still on the source: commands run there.
            jobs.markDone(job.id(), 1);
            assertStillHeld(lock);

            List<String> keys = onSource.clusterGetKeysInSlot(SLOT, 100);
            assertThat(keys).contains(LeaseLock.KEY, JobStore.INDEX_KEY, JobStore.jobKey(job.id()),
                    JobStore.doneKey(job.id()));
            onSource.migrate(target.host(), target.port(), 0, 5000, MigrateArgs.Builder.keys(keys));
            assertThat(onSource.clusterCountKeysInSlot(SLOT)).isZero();
            // Open, keys on the target: the source answers ASK.
            jobs.markDone(job.id(), 2);
            jobs.markDoneAsync(job.id(), 3).toCompletableFuture().get();
            jobs.markDone(job.id(), 4, 5);
            JobRecord second = jobs.create(JobStoreIT.plan("100-199"), MoverOptions.defaults());
            jobs.finish(second.id(), JobState.STOPPED, "interrupted");
            assertThat(jobs.load(job.id()).done()).isEqualTo(SlotSet.parse("0-5"));
            assertThat(LeaseLock.holder(metadata)).hasValueSatisfying(h -> assertThat(h).contains("move-slots"));
            assertStillHeld(lock);

            // Target first, then the source, then the other master: the order the mover uses.
            assertThat(onTarget.clusterSetSlotNode(SLOT, target.id())).isEqualTo("OK");
            assertThat(onSource.clusterSetSlotNode(SLOT, target.id())).isEqualTo("OK");
            for (NodeInfo other : before.masters()) {
                if (!other.id().equals(source.id()) && !other.id().equals(target.id())) {
                    cluster.connect(node(cluster, other)).sync().clusterSetSlotNode(SLOT, target.id());
                }
            }
            // Moved: the source answers MOVED.
            jobs.markDone(job.id(), 6);
            assertThat(jobs.load(job.id()).done()).isEqualTo(SlotSet.parse("0-6"));
            assertThat(jobs.latestUnfinished()).hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(second.id()));
            assertThat(jobs.list()).hasSize(2);
            assertStillHeld(lock);
            assertThat(onTarget.exists(LeaseLock.KEY)).as("the lock lives on the target now").isEqualTo(1);

            lock.close();
            assertThat(onTarget.exists(LeaseLock.KEY)).as("released where it lives").isZero();
            LeaseLock.acquire(metadata, "drain", LEASE).close();
        }
    }

    /**
     * Waits one and a half leases: the lock is still held only if a renewal sent in this state of the slot (after
     * the first half lease) was confirmed.
     */
    private static void assertStillHeld(LeaseLock lock) throws InterruptedException {
        Thread.sleep(LEASE.toMillis() * 3 / 2);
        assertThat(lock.isHeld()).isTrue();
        lock.checkHeld();
    }

    private static ClusterNode node(LocalCluster cluster, NodeInfo info) {
        return cluster.masters().stream().filter(n -> n.nodeId().equals(info.id())).findFirst().orElseThrow();
    }
}
