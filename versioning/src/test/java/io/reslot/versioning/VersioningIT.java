package io.reslot.versioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.migrate.internal.LeaseLock;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RedisVersioning} against a real 3-master cluster. The tests share the cluster, so each starts from an empty
 * history and works on slots and keys of its own.
 */
@WithLocalCluster(masters = 3)
class VersioningIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private LocalCluster cluster;
    private ClusterAccess access;
    private StatefulRedisClusterConnection<String, String> redis;

    @BeforeEach
    void connect(LocalCluster cluster) {
        this.cluster = cluster;
        access = access();
        redis = cluster.clusterClient().connect();
        redis.sync().del(History.KEY, History.RANK_KEY, LeaseLock.KEY);
    }

    @AfterEach
    void disconnect() {
        redis.close();
        access.close();
    }

    private ClusterAccess access() {
        return ClusterAccess.connect(AccessOptions.builder().seeds(cluster.masters().get(0).address()).build());
    }

    private RedisAdvancedClusterCommands<String, String> sync() {
        return redis.sync();
    }

    // --- the tests -------------------------------------------------------------------------------------------

    @Test
    void appliesScriptsAndJavaOnceAndThenOnlyWhatIsNew() throws IOException {
        String v1Target = otherMaster(0);
        write("V1__Move_first_slots.yaml", moveSlots("0-9", v1Target));
        load("a", 100);
        write("V2__Tag_users.yaml", retag("a"));
        V3__Move_more_slots.target = otherMaster(20);
        RedisVersioning versioning = configure().javaMigrations(new V3__Move_more_slots()).load();

        MigrateResult first = versioning.migrate();

        assertThat(first.migrations()).extracting(a -> a.version().toString()).containsExactly("1", "2", "3");
        assertThat(first.migrations()).allSatisfy(a -> assertThat(a.resumed()).isFalse());
        assertThat(first.initialVersion()).isNull();
        assertThat(first.currentVersion()).hasToString("3");
        assertThat(ownerAddress(0)).isEqualTo(v1Target);
        assertThat(ownerAddress(9)).isEqualTo(v1Target);
        assertThat(ownerAddress(20)).isEqualTo(V3__Move_more_slots.target);
        assertTagged("a", 100);
        assertThat(versioning.info()).extracting(MigrationInfo::state).containsOnly(MigrationState.SUCCESS);
        assertThat(versioning.info()).extracting(MigrationInfo::installedBy).doesNotContainNull();
        assertThat(versioning.validate().valid()).isTrue();

        Map<String, String> history = sync().hgetall(History.KEY);
        MigrateResult again = versioning.migrate();

        assertThat(again.migrations()).isEmpty();
        assertThat(sync().hgetall(History.KEY)).isEqualTo(history);

        String v4Target = otherMaster(30);
        write("V4__Move_slot_30.json", "{\"steps\": [{\"move-slots\": {\"slots\": \"30\", \"to\": \"" + v4Target
                + "\"}}]}");
        List<Integer> stepsRun = Collections.synchronizedList(new ArrayList<>());
        MigrateResult third = configure().javaMigrations(new V3__Move_more_slots())
                .callbacks(stepCounter(stepsRun)).load().migrate();

        assertThat(third.migrations()).extracting(a -> a.version().toString()).containsExactly("4");
        assertThat(stepsRun).containsExactly(1);
        assertThat(ownerAddress(30)).isEqualTo(v4Target);
        assertThat(sync().hlen(History.KEY)).isEqualTo(4);
    }

    @Test
    void anEditedScriptFailsValidationWithBothChecksumsAndMigrateChangesNothing() throws IOException {
        String target = otherMaster(100);
        write("V1__Move.yaml", moveSlots("100-104", target));
        configure().load().migrate();
        String applied = sync().hgetall(History.KEY).values().iterator().next();
        String ownerOf105 = ownerAddress(105);
        String ownerOf110 = ownerAddress(110);
        write("V1__Move.yaml", moveSlots("100-105", target));
        write("V2__Move_more.yaml", moveSlots("110", otherMaster(110)));
        RedisVersioning versioning = configure().load();

        ValidateResult result = versioning.validate();

        String newChecksum = Checksums.of(Files.readString(dir.resolve("V1__Move.yaml")));
        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).singleElement().asString().startsWith("V1 (Move): applied with checksum sha256:")
                .contains(newChecksum).contains(applied.replaceAll(".*\"checksum\":\"([^\"]+)\".*", "$1"));
        assertThatThrownBy(versioning::migrate).isInstanceOfSatisfying(VersioningException.class,
                e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.VALIDATION_FAILED))
                .hasMessageContaining(newChecksum).hasMessageContaining("nothing was changed");
        assertThat(ownerAddress(105)).isEqualTo(ownerOf105);
        assertThat(ownerAddress(110)).isEqualTo(ownerOf110);
        assertThat(sync().hlen(History.KEY)).isEqualTo(1);
        assertThat(LeaseLock.holder(access.metadata())).isEmpty();

        RepairResult repair = versioning.repair();

        assertThat(repair.realigned()).extracting(Object::toString).containsExactly("1");
        assertThat(versioning.validate().valid()).isTrue();
    }

    @Test
    void aSecondConcurrentMigrateIsRefusedAndNothingRunsTwice() throws Exception {
        write("V1__Move.yaml", moveSlots("200-201", otherMaster(200)));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Callback waits = new Callback() {
            @Override
            public void beforeMigrate() {
                holding.countDown();
                await(release);
            }
        };
        ExecutorService first = Executors.newSingleThreadExecutor();
        try (ClusterAccess other = access()) {
            Future<MigrateResult> running = first.submit(() -> configure().cluster(other).callbacks(waits).load()
                    .migrate());
            await(holding);

            assertThatThrownBy(() -> configure().load().migrate()).isInstanceOfSatisfying(VersioningException.class,
                    e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.LOCKED))
                    .hasMessageContaining("for migrate since");
            release.countDown();

            assertThat(running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).migrations()).hasSize(1);
        } finally {
            first.shutdownNow();
        }
        assertThat(sync().hlen(History.KEY)).isEqualTo(1);
        assertThat(configure().load().migrate().migrations()).isEmpty();
    }

    @Test
    void aFailedMigrationIsContinuedFromItsCheckpoint() throws IOException {
        load("b", 50);
        load("c", 50);
        write("V1__Tag_two_spaces.yaml", "steps:\n" + retagStep("b") + retagStep("c"));
        Callback failsAtStep2 = new Callback() {
            @Override
            public void beforeEachStep(MigrationInfo migration, int index, Step step) {
                if (index == 2) {
                    throw new IllegalStateException("simulated crash before step 2");
                }
            }
        };
        List<VersioningException> errors = new ArrayList<>();
        Callback recordsErrors = new Callback() {
            @Override
            public void onError(MigrationInfo migration, VersioningException error) {
                errors.add(error);
            }
        };

        assertThatThrownBy(() -> configure().callbacks(failsAtStep2, recordsErrors).load().migrate())
                .isInstanceOfSatisfying(VersioningException.class,
                        e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.FAILED))
                .hasMessageContaining("failed at step 2 of 2 after 1 steps done: simulated crash")
                .hasMessageContaining("run migrate again to continue it from step 2");
        assertThat(errors).hasSize(1);
        assertTagged("b", 50);
        assertThat(sync().keys("c:{*")).isEmpty();
        RedisVersioning versioning = configure().load();
        assertThat(versioning.info()).singleElement().satisfies(info -> {
            assertThat(info.state()).isEqualTo(MigrationState.FAILED);
            assertThat(info.stepsDone()).isEqualTo(1);
        });
        assertThat(versioning.dryRun().migrations()).singleElement()
                .satisfies(m -> assertThat(m.steps()).extracting(MigratePlan.PlannedStep::index).containsExactly(2));

        List<Integer> stepsRun = Collections.synchronizedList(new ArrayList<>());
        MigrateResult resumed = configure().callbacks(stepCounter(stepsRun)).load().migrate();

        assertThat(resumed.migrations()).singleElement().satisfies(a -> {
            assertThat(a.resumed()).isTrue();
            assertThat(a.stepsSkipped()).isEqualTo(1);
            assertThat(a.stepsRun()).isEqualTo(1);
        });
        assertThat(stepsRun).containsExactly(2);
        assertTagged("c", 50);
        assertThat(versioning.info()).singleElement().extracting(MigrationInfo::state)
                .isEqualTo(MigrationState.SUCCESS);
        assertThat(sync().hlen(History.KEY)).isEqualTo(1);
    }

    @Test
    void theLockOfARunThatDiedIsTakenOverAfterItsLeaseAndItsMigrationContinued() throws IOException {
        load("d", 30);
        String target = otherMaster(301);
        write("V1__Move.yaml", moveSlots("300", otherMaster(300)));
        write("V2__Tag.yaml", "steps:\n" + retagStep("d") + "  - move-slots: {slots: '301', to: '" + target
                + "'}\n");
        configure().target("1").load().migrate();
        // A run that applied V2's first step, recorded it, and died holding the lock with a short lease.
        History history = new History(access.metadata());
        ResolvedMigration v2 = new MigrationResolver(getClass().getClassLoader())
                .resolve(List.of(Location.parse(dir.toString())), List.of()).get(1);
        history.add(new HistoryEntry(0, v2.version(), v2.description(), MigrationType.SCRIPT, v2.script(),
                v2.checksum(), "ghost@elsewhere", "2026-01-01T00:00:00Z", 5, HistoryEntry.State.RUNNING,
                new HistoryEntry.Checkpoint(1, null)));
        sync().set(LeaseLock.KEY, "{\"token\":\"x\",\"holder\":\"ghost@elsewhere\",\"pid\":1,\"purpose\":\"migrate\","
                + "\"since\":\"2026-01-01T00:00:00Z\"}", SetArgs.Builder.px(1500));
        RedisVersioning versioning = configure().lockLease(Duration.ofMillis(600)).load();

        assertThatThrownBy(versioning::migrate).isInstanceOfSatisfying(VersioningException.class,
                e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.LOCKED)).hasMessageContaining("ghost@");
        MigrateResult result = awaitMigrate(versioning);

        assertThat(result.migrations()).singleElement().satisfies(a -> {
            assertThat(a.version()).hasToString("2");
            assertThat(a.resumed()).isTrue();
            assertThat(a.stepsSkipped()).isEqualTo(1);
        });
        assertThat(ownerAddress(301)).isEqualTo(target);
        assertThat(sync().keys("d:{*")).as("step 1 was not run again").isEmpty();
        assertThat(versioning.info()).extracting(MigrationInfo::state).containsOnly(MigrationState.SUCCESS);
    }

    @Test
    void aMalformedScriptIsRefusedBeforeAnythingChanges() throws IOException {
        write("V1__Move.yaml", moveSlots("400", otherMaster(400)));
        write("V2__Broken.yaml", "steps:\n  - move-slots: {slots: 401, too: x}\n");
        String owner = ownerAddress(400);

        assertThatThrownBy(() -> configure().load().migrate()).isInstanceOfSatisfying(VersioningException.class,
                e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.BAD_SCRIPT))
                .hasMessageContaining("V2__Broken.yaml:2:");
        assertThat(ownerAddress(400)).isEqualTo(owner);
        assertThat(sync().exists(History.KEY, LeaseLock.KEY)).isZero();
    }

    @Test
    void anOlderScriptNeverAppliedNeedsOutOfOrder() throws IOException {
        write("V2__Move.yaml", moveSlots("500", otherMaster(500)));
        configure().load().migrate();
        String target = otherMaster(501);
        write("V1_5__Late.yaml", moveSlots("501", target));

        assertThat(configure().load().info()).extracting(MigrationInfo::state)
                .containsExactly(MigrationState.IGNORED, MigrationState.SUCCESS);
        assertThatThrownBy(() -> configure().load().migrate()).isInstanceOfSatisfying(VersioningException.class,
                e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.VALIDATION_FAILED))
                .hasMessageContaining("--out-of-order");

        MigrateResult result = configure().outOfOrder(true).load().migrate();

        assertThat(result.migrations()).extracting(a -> a.version().toString()).containsExactly("1.5");
        assertThat(ownerAddress(501)).isEqualTo(target);
        assertThat(configure().load().info()).extracting(MigrationInfo::state)
                .containsExactly(MigrationState.OUT_OF_ORDER, MigrationState.SUCCESS);
    }

    @Test
    void baselineSkipsOlderMigrationsOnlyOnAnEmptyHistory() throws IOException {
        write("V1__Old.yaml", moveSlots("600", otherMaster(600)));
        write("V2__New.yaml", moveSlots("601", otherMaster(601)));
        String owner600 = ownerAddress(600);
        RedisVersioning versioning = configure().load();

        versioning.baseline("1");
        MigrateResult result = versioning.migrate();

        assertThat(result.migrations()).extracting(a -> a.version().toString()).containsExactly("2");
        assertThat(ownerAddress(600)).isEqualTo(owner600);
        assertThat(versioning.info()).extracting(MigrationInfo::state)
                .containsExactly(MigrationState.BASELINE, MigrationState.BELOW_BASELINE, MigrationState.SUCCESS);
        assertThatThrownBy(() -> versioning.baseline("2")).isInstanceOfSatisfying(VersioningException.class,
                e -> assertThat(e.code()).isEqualTo(VersioningErrorCode.BAD_INPUT));
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** Moves the slots of {@code target} (set by the test) to it; no parameters, so its checksum is fixed. */
    public static final class V3__Move_more_slots extends BaseRedisMigration {

        static volatile String target;

        @Override
        public void migrate(MigrationContext context) {
            context.run(new Step.MoveSlots(SlotSet.parse("20-24"), target));
        }
    }

    private RedisVersioning.Configuration configure() {
        return RedisVersioning.configure().cluster(access).locations("filesystem:" + dir);
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String moveSlots(String slots, String to) {
        return "steps:\n  - move-slots:\n      slots: '" + slots + "'\n      to: '" + to + "'\n";
    }

    private static String retagStep(String space) {
        return "  - retag:\n      match: '" + space + ":*'\n      regex: '^" + space + ":(?<id>[0-9]+):(?<f>.*)$'\n"
                + "      to: '" + space + ":{${id}}:${f}'\n";
    }

    private static String retag(String space) {
        return "steps:\n" + retagStep(space);
    }

    /** {@code <space>:<id>:name} and {@code <space>:<id>:mail} for {@code entities} ids. */
    private void load(String space, int entities) {
        for (int id = 0; id < entities; id++) {
            sync().set(space + ":" + id + ":name", "n" + id);
            sync().set(space + ":" + id + ":mail", id + "@example.com");
        }
    }

    private void assertTagged(String space, int entities) {
        assertThat(sync().keys(space + ":[0-9]*")).isEmpty();
        assertThat(sync().keys(space + ":{*")).hasSize(entities * 2);
        assertThat(sync().get(space + ":{7}:mail")).isEqualTo("7@example.com");
    }

    private String ownerAddress(int slot) {
        Topology topology = access.topology();
        String id = topology.ownerOf(slot);
        return topology.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow().address();
    }

    /** A master that does not serve {@code slot} now. */
    private String otherMaster(int slot) {
        String owner = ownerAddress(slot);
        return access.topology().masters().stream().map(NodeInfo::address).filter(a -> !a.equals(owner))
                .findFirst().orElseThrow();
    }

    private static Callback stepCounter(List<Integer> steps) {
        return new Callback() {
            @Override
            public void beforeEachStep(MigrationInfo migration, int index, Step step) {
                steps.add(index);
            }
        };
    }

    private static MigrateResult awaitMigrate(RedisVersioning versioning) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return versioning.migrate();
            } catch (VersioningException e) {
                if (e.code() != VersioningErrorCode.LOCKED || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

}
