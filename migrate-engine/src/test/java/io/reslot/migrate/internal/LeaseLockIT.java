package io.reslot.migrate.internal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The lease lock against a real 3-master cluster. Leases are short so that expiry can be seen, and every wait for
 * something to happen allows several seconds, so a slow machine only makes the tests slower.
 */
@WithLocalCluster(masters = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseLockIT {

    private static final Duration SHORT = Duration.ofMillis(500);
    /** For a lock that must stay held while the test looks at it: three renewals a second leave room for stalls. */
    private static final Duration SAFE = Duration.ofMillis(1500);
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private ClusterAccess access;
    private StatefulRedisClusterConnection<String, String> metadata;

    @BeforeAll
    void connect(LocalCluster cluster) {
        access = ClusterAccess.connect(AccessOptions.builder().seeds(cluster.masters().get(0).address()).build());
        metadata = access.metadata();
    }

    @AfterAll
    void disconnect() {
        access.close();
    }

    @BeforeEach
    void unlock() {
        redis().del(LeaseLock.KEY);
    }

    private RedisAdvancedClusterCommands<String, String> redis() {
        return metadata.sync();
    }

    @Test
    void refusesASecondRunNamingTheHolder() {
        try (LeaseLock first = LeaseLock.acquire(metadata, "reshard")) {
            assertThatThrownBy(() -> anotherRun("rebalance"))
                    .isInstanceOf(MigrateException.class)
                    .satisfies(e -> assertThat(((MigrateException) e).code()).isEqualTo(MigrateErrorCode.LOCKED))
                    .hasMessageContaining(Identity.userAtHost() + " (pid " + Identity.pid() + ") for reshard since ")
                    .hasMessageMatching("(?s).*its lease expires in [0-9]+ s unless renewed.*")
                    .hasMessageContaining("taken over automatically");
            assertThat(first.isHeld()).isTrue();
            assertThat(LeaseLock.holder(metadata)).hasValueSatisfying(h -> assertThat(h).contains("for reshard"));
        }
    }

    @Test
    void releaseLetsAnotherRunTakeIt() {
        LeaseLock first = LeaseLock.acquire(metadata, "reshard");
        first.close();

        assertThat(first.isHeld()).isFalse();
        assertThat(LeaseLock.holder(metadata)).isEmpty();
        try (LeaseLock second = LeaseLock.acquire(metadata, "drain")) {
            assertThat(second.isHeld()).isTrue();
        }
    }

    @Test
    void takesOverTheLockOfARunThatDied() {
        LeaseLock dead = LeaseLock.acquire(metadata, "reshard", SHORT);
        dead.stopHeartbeat();
        assertThatThrownBy(() -> anotherRun("drain").close()).isInstanceOf(MigrateException.class);

        try (LeaseLock next = awaitAcquire("drain")) {
            assertThat(next.isHeld()).isTrue();
            assertThat(LeaseLock.holder(metadata)).hasValueSatisfying(h -> assertThat(h).contains("for drain"));
        }
    }

    @Test
    void releaseNeverDeletesAnotherRunsLock() {
        LeaseLock dead = LeaseLock.acquire(metadata, "reshard", SHORT);
        dead.stopHeartbeat();
        try (LeaseLock next = awaitAcquire("drain")) {
            dead.close();

            assertThat(LeaseLock.holder(metadata)).hasValueSatisfying(h -> assertThat(h).contains("for drain"));
            sleep(next.lease().multipliedBy(2)); // renewals go on after the stale release
            assertThat(next.isHeld()).isTrue();
        }
    }

    @Test
    void renewalKeepsTheLockPastSeveralLeases() {
        try (LeaseLock lock = LeaseLock.acquire(metadata, "reshard", SAFE)) {
            sleep(SAFE.multipliedBy(4));

            assertThat(lock.isHeld()).isTrue();
            assertThat(redis().pttl(LeaseLock.KEY)).isPositive();
            assertThatThrownBy(() -> anotherRun("drain").close())
                    .isInstanceOf(MigrateException.class);
        }
    }

    @Test
    void aDeletedLockIsLost() {
        try (LeaseLock lock = LeaseLock.acquire(metadata, "reshard", SAFE)) {
            redis().del(LeaseLock.KEY);

            await(() -> !lock.isHeld(), "the heartbeat to notice the lock is gone");
            assertThatThrownBy(lock::checkHeld)
                    .isInstanceOf(MigrateException.class)
                    .satisfies(e -> assertThat(((MigrateException) e).code()).isEqualTo(MigrateErrorCode.STOPPED))
                    .hasMessageContaining("the lock {reslot}:lock was lost")
                    .hasMessageContaining("gone or held by another run")
                    .hasMessageContaining("nothing more was changed; run `reslot resume`");
        }
    }

    @Test
    void anOverwrittenLockIsLostAndLeftToItsNewOwner() {
        LeaseLock lock = LeaseLock.acquire(metadata, "reshard", SAFE);
        redis().set(LeaseLock.KEY, "someone else", SetArgs.Builder.px(60_000));

        await(() -> !lock.isHeld(), "the heartbeat to notice the lock was overwritten");
        lock.close();

        assertThat(redis().get(LeaseLock.KEY)).isEqualTo("someone else");
        assertThat(LeaseLock.holder(metadata)).hasValueSatisfying(h -> assertThat(h)
                .contains("an unknown holder ({reslot}:lock = someone else)"));
    }

    @Test
    void namesAHandMadeLockWithoutExpiry() {
        redis().set(LeaseLock.KEY, "manual");

        assertThatThrownBy(() -> LeaseLock.acquire(metadata, "reshard"))
                .hasMessageContaining("has no expiry").hasMessageContaining("delete {reslot}:lock");
    }

    @Test
    void keepsTheLockThroughAStallShorterThanTheLease(LocalCluster cluster) {
        Duration lease = Duration.ofSeconds(6);
        try (LeaseLock lock = LeaseLock.acquire(metadata, "reshard", lease)) {
            ClusterNode holder = nodeHoldingTheLock(cluster);
            cluster.pause(holder);
            try {
                sleep(Duration.ofSeconds(1));
            } finally {
                cluster.resume(holder);
            }
            sleep(Duration.ofSeconds(1)); // the renewals queued during the stall are answered

            assertThat(lock.isHeld()).isTrue();
        }
    }

    @Test
    void losesTheLockWhenNoRenewalIsConfirmedForAWholeLease(LocalCluster cluster) {
        try (LeaseLock lock = LeaseLock.acquire(metadata, "reshard", SHORT)) {
            ClusterNode holder = nodeHoldingTheLock(cluster);
            cluster.pause(holder);
            try {
                await(() -> !lock.isHeld(), "the lease to run out unconfirmed");
            } finally {
                cluster.resume(holder);
            }
            sleep(SHORT); // answers that arrive late must not bring the lock back

            assertThat(lock.isHeld()).isFalse();
            assertThatThrownBy(lock::checkHeld).hasMessageContaining("no renewal was confirmed for a whole lease");
        }
    }

    @Test
    void isReentrantForTheThreadThatHoldsIt() {
        try (LeaseLock outer = LeaseLock.acquire(metadata, "migrate", SAFE)) {
            String value = redis().get(LeaseLock.KEY);
            try (LeaseLock inner = LeaseLock.acquire(metadata, "reshard")) {
                assertThat(outer.depth()).isEqualTo(1);
                try (LeaseLock innermost = LeaseLock.acquire(metadata, "retag")) {
                    assertThat(outer.depth()).isEqualTo(2);
                    innermost.checkHeld();
                }
                inner.checkHeld();
                assertThat(inner.lease()).isEqualTo(SAFE);
                assertThatThrownBy(() -> anotherRun("drain"))
                        .isInstanceOfSatisfying(MigrateException.class,
                                e -> assertThat(e.code()).isEqualTo(MigrateErrorCode.LOCKED))
                        .hasMessageContaining("for migrate since");
            }
            // closing the nested handles released nothing: the same value is still there, and still renewed
            assertThat(outer.depth()).isZero();
            sleep(SAFE.multipliedBy(2));
            assertThat(redis().get(LeaseLock.KEY)).isEqualTo(value);
            assertThat(outer.isHeld()).isTrue();
            outer.checkHeld();
        }
        assertThat(LeaseLock.holder(metadata)).isEmpty();
    }

    @Test
    void isNotReentrantThroughAnotherConnection(LocalCluster cluster) {
        try (ClusterAccess other = ClusterAccess.connect(AccessOptions.builder()
                        .seeds(cluster.masters().get(1).address()).build());
                LeaseLock held = LeaseLock.acquire(metadata, "migrate", SAFE)) {
            assertThatThrownBy(() -> LeaseLock.acquire(other.metadata(), "reshard"))
                    .isInstanceOfSatisfying(MigrateException.class,
                            e -> assertThat(e.code()).isEqualTo(MigrateErrorCode.LOCKED));
            assertThat(held.depth()).isZero();
        }
    }

    @Test
    void aNestedHandleSeesTheOuterLockLost() {
        try (LeaseLock outer = LeaseLock.acquire(metadata, "migrate", SAFE);
                LeaseLock inner = LeaseLock.acquire(metadata, "retag")) {
            redis().del(LeaseLock.KEY);

            await(() -> !inner.isHeld(), "the nested handle to see the lock gone");
            assertThatThrownBy(inner::checkHeld).hasMessageContaining("gone or held by another run");
            assertThat(outer.isHeld()).isFalse();
        }
    }

    @Test
    void rejectsALeaseShorterThanTheMinimum() {
        assertThatThrownBy(() -> LeaseLock.acquire(metadata, "reshard", Duration.ofMillis(99)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99 ms");
        assertThat(LeaseLock.holder(metadata)).isEmpty();
    }

    private ClusterNode nodeHoldingTheLock(LocalCluster cluster) {
        String owner = access.topology().ownerOf(KeySlot.of(LeaseLock.KEY));
        return cluster.masters().stream().filter(n -> n.nodeId().equals(owner)).findFirst().orElseThrow();
    }

    /** Acquires as another run would: from another thread, which this thread's lock does not let in. */
    private LeaseLock anotherRun(String purpose) throws Exception {
        FutureTask<LeaseLock> task = new FutureTask<>(() -> LeaseLock.acquire(metadata, purpose, SAFE));
        new Thread(task, "another-run").start();
        try {
            return task.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private LeaseLock awaitAcquire(String purpose) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return LeaseLock.acquire(metadata, purpose, SAFE);
            } catch (MigrateException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                sleep(Duration.ofMillis(50));
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("waited %s for %s", PATIENCE, what);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
