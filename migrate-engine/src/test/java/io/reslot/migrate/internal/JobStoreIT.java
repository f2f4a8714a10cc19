package io.reslot.migrate.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.JobRecord;
import io.reslot.migrate.JobState;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.Plan;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Jobs stored in a real 3-master cluster. */
@WithLocalCluster(masters = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobStoreIT {

    private static final long DAY_MILLIS = 24L * 3600 * 1000;

    private ClusterAccess access;
    private StatefulRedisClusterConnection<String, String> metadata;
    private JobStore jobs;

    @BeforeAll
    void connect(LocalCluster cluster) {
        access = ClusterAccess.connect(AccessOptions.builder().seeds(cluster.masters().get(0).address()).build());
        metadata = access.metadata();
        jobs = new JobStore(metadata);
    }

    @AfterAll
    void disconnect() {
        access.close();
    }

    @BeforeEach
    void forgetAllJobs(LocalCluster cluster) {
        for (ClusterNode master : cluster.masters()) {
            try (StatefulRedisConnection<String, String> node = cluster.connect(master)) {
                node.sync().flushall();
            }
        }
    }

    static Plan plan(String slots) {
        return new Plan(Plan.Kind.MOVE_SLOTS,
                List.of(new Plan.Transfer("a1", "127.0.0.1:7000", "b2", "127.0.0.1:7001", SlotSet.parse(slots))),
                List.of());
    }

    @Test
    void storesAJobThatLoadsBackEqual() {
        JobRecord created = jobs.create(plan("0-99"), MoverOptions.builder().batchKeys(10).build());

        assertThat(created.id()).matches("[0-9a-f]{8}");
        assertThat(created.state()).isEqualTo(JobState.RUNNING);
        assertThat(created.createdBy()).isEqualTo(Identity.userAtHost());
        assertThat(created.done().isEmpty()).isTrue();
        assertThat(jobs.load(created.id())).isEqualTo(created);
        assertThat(jobs.load(" " + created.id().toUpperCase() + " ")).isEqualTo(created);
    }

    @Test
    void givesEveryJobItsOwnId() {
        List<String> ids = IntStream.range(0, 50).mapToObj(i -> jobs.create(plan("1"), MoverOptions.defaults()).id())
                .toList();

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(jobs.list()).hasSize(50);
    }

    @Test
    void marksEverySlotDoneFromEightThreadsAtOnce() throws Exception {
        JobRecord job = jobs.create(plan("0-16383"), MoverOptions.defaults());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                workers.add(threads.submit(() -> {
                    List<CompletableFuture<Void>> pending = new ArrayList<>();
                    for (int slot = thread; slot < 16384; slot += 8) {
                        if (thread % 2 == 0) {
                            jobs.markDone(job.id(), slot);
                        } else {
                            pending.add(jobs.markDoneAsync(job.id(), slot).toCompletableFuture());
                        }
                    }
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            threads.shutdown();
        }

        JobRecord loaded = jobs.load(job.id());

        assertThat(loaded.done()).isEqualTo(SlotSet.all());
        assertThat(loaded.remaining().isEmpty()).isTrue();
    }

    @Test
    void marksManySlotsDoneInOneCall() {
        JobRecord job = jobs.create(plan("0-16383"), MoverOptions.defaults());
        int[] slots = IntStream.iterate(16383, s -> s >= 0, s -> s - 3).toArray();

        jobs.markDone(job.id(), slots);

        assertThat(jobs.load(job.id()).done()).isEqualTo(SlotSet.of(slots));
    }

    @Test
    void latestUnfinishedIsTheNewestJobNotDone() throws Exception {
        assertThat(jobs.latestUnfinished()).isEmpty();
        JobRecord oldest = createAfterAMillisecond();
        JobRecord middle = createAfterAMillisecond();
        JobRecord newest = createAfterAMillisecond();

        assertThat(jobs.latestUnfinished()).hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(newest.id()));
        jobs.finish(newest.id(), JobState.DONE, null);
        assertThat(jobs.latestUnfinished()).hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(middle.id()));
        jobs.finish(middle.id(), JobState.STOPPED, "CLUSTERDOWN");
        assertThat(jobs.latestUnfinished()).hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(middle.id()));
        jobs.finish(middle.id(), JobState.DONE, null);
        jobs.finish(oldest.id(), JobState.DONE, null);
        assertThat(jobs.latestUnfinished()).isEmpty();
    }

    @Test
    void listsJobsNewestFirst() throws Exception {
        JobRecord oldest = createAfterAMillisecond();
        JobRecord newest = createAfterAMillisecond();
        jobs.markDone(oldest.id(), 7);

        assertThat(jobs.list()).containsExactly(newest, jobs.load(oldest.id()));
        assertThat(jobs.list().get(1).done()).isEqualTo(SlotSet.of(7));
    }

    @Test
    void recordsStopsResumesAndTheEnd() {
        JobRecord job = jobs.create(plan("0-9"), MoverOptions.defaults());

        jobs.finish(job.id(), JobState.STOPPED, "BUSYKEY user:1 differs on the target");
        JobRecord stopped = jobs.load(job.id());
        assertThat(stopped.state()).isEqualTo(JobState.STOPPED);
        assertThat(stopped.lastError()).isEqualTo("BUSYKEY user:1 differs on the target");
        assertThat(stopped.updatedAt()).isGreaterThanOrEqualTo(job.createdAt());
        assertThat(metadata.sync().pttl(JobStore.jobKey(job.id()))).as("a stopped job is kept").isEqualTo(-1);

        jobs.resume(job.id());
        JobRecord resumed = jobs.load(job.id());
        assertThat(resumed.state()).isEqualTo(JobState.RUNNING);
        assertThat(resumed.lastError()).isNull();

        jobs.markDone(job.id(), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        jobs.finish(job.id(), JobState.DONE, null);
        assertThat(jobs.load(job.id()).state()).isEqualTo(JobState.DONE);
        for (String key : List.of(JobStore.jobKey(job.id()), JobStore.doneKey(job.id()))) {
            assertThat(metadata.sync().pttl(key)).as("expiry of %s", key)
                    .isBetween(29 * DAY_MILLIS, 30 * DAY_MILLIS);
        }
        jobs.finish(job.id(), JobState.DONE, null); // again: changes nothing
        assertThatThrownBy(() -> jobs.resume(job.id()))
                .isInstanceOf(MigrateException.class).hasMessageContaining("job " + job.id() + " is done");
        assertThat(jobs.load(job.id()).state()).isEqualTo(JobState.DONE);
    }

    @Test
    void aFinishedStateIsStoppedOrDone() {
        JobRecord job = jobs.create(plan("0"), MoverOptions.defaults());

        assertThatThrownBy(() -> jobs.finish(job.id(), JobState.RUNNING, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resume()");
    }

    @Test
    void aMissingJobIsNamedWithTheUnfinishedOnes() {
        assertThatThrownBy(() -> jobs.load("deadbeef"))
                .isInstanceOf(MigrateException.class)
                .hasMessageContaining("there is no job deadbeef in this cluster")
                .hasMessageContaining("there is no unfinished job");

        JobRecord unfinished = jobs.create(plan("0-9"), MoverOptions.defaults());
        JobRecord done = jobs.create(plan("10-19"), MoverOptions.defaults());
        jobs.finish(done.id(), JobState.DONE, null);

        for (Runnable call : List.<Runnable>of(() -> jobs.load("deadbeef"), () -> jobs.resume("deadbeef"),
                () -> jobs.finish("deadbeef", JobState.STOPPED, "x"))) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(MigrateException.class)
                    .satisfies(e -> assertThat(((MigrateException) e).code()).isEqualTo(MigrateErrorCode.BAD_INPUT))
                    .hasMessageContaining("deadbeef")
                    .hasMessageContaining("unfinished jobs: " + unfinished.id() + " (move-slots, RUNNING, created ")
                    .hasMessageNotContaining(done.id());
        }
        assertThat(metadata.sync().exists(JobStore.jobKey("deadbeef"))).as("no half job left").isZero();
    }

    @Test
    void forgetsJobsWhoseRecordExpired() {
        JobRecord job = jobs.create(plan("0-9"), MoverOptions.defaults());
        jobs.finish(job.id(), JobState.DONE, null);
        metadata.sync().del(JobStore.jobKey(job.id())); // what the 30-day expiry does

        assertThat(jobs.list()).isEmpty();
        assertThat(metadata.sync().zscore(JobStore.INDEX_KEY, job.id())).isNull();
    }

    @Test
    void reportsARecordItCannotRead() {
        JobRecord job = jobs.create(plan("0-9"), MoverOptions.defaults());
        metadata.sync().hset(JobStore.jobKey(job.id()), "spec", "{\"id\": 42");

        assertThatThrownBy(() -> jobs.load(job.id()))
                .isInstanceOf(MigrateException.class)
                .satisfies(e -> assertThat(((MigrateException) e).code()).isEqualTo(MigrateErrorCode.PROTOCOL))
                .hasMessageContaining(JobStore.jobKey(job.id()) + " holds something this version of reslot cannot read");
    }

    /** Creation times have millisecond resolution; a job made a millisecond later is newer. */
    private JobRecord createAfterAMillisecond() throws InterruptedException {
        Thread.sleep(2);
        return jobs.create(plan("0-9"), MoverOptions.defaults());
    }
}
