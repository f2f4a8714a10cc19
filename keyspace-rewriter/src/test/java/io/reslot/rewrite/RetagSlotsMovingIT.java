package io.reslot.rewrite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.rewrite.RetagTesting.KeyState;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.ClustersByVersion;
import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.reslot.rewrite.RetagTesting.access;
import static io.reslot.rewrite.RetagTesting.assertNoLedgerLeft;
import static io.reslot.rewrite.RetagTesting.assertRetagged;
import static io.reslot.rewrite.RetagTesting.await;
import static io.reslot.rewrite.RetagTesting.b;
import static io.reslot.rewrite.RetagTesting.rules;
import static io.reslot.rewrite.RetagTesting.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Retag} while another tool moves slots between the masters, as {@code redis-cli --cluster reshard} would: the
 * cluster's lock keeps reslot's own slot moves out of a retag's way, not another tool's. Keys then leave a node
 * before its SCAN reaches them, sit in slots that are half moved, or get new names in such slots.
 */
class RetagSlotsMovingIT {

    @RegisterExtension
    static final ClustersByVersion CLUSTERS = new ClustersByVersion(0);

    /** Entities, with two keys each: {@code user:<id>:profile} and {@code user:<id>:cart}. */
    private static final int IDS = 30_000;
    /** Slots the other tool moves at most (it stops when the retag ends), half holding old names, half new ones. */
    private static final int SLOTS_TO_MOVE = 200;
    /** Slot moves that must be finished while the retag runs for the test to mean anything. */
    private static final int MIN_MOVED_DURING_RETAG = 20;
    /** How long the other tool moves slots at most. */
    private static final Duration MOVER_TIME = Duration.ofSeconds(20);
    /** Small pages make the retag take long enough for the slot moves to overlap it. */
    private static final int SCAN_COUNT = 50;

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void movesEveryKeyExactlyWhileAnotherToolMovesSlots(BundledRedis version) throws Exception {
        LocalCluster cluster = CLUSTERS.get(version);
        List<String> names = load(cluster);
        Map<String, KeyState> before = snapshot(cluster, names);
        List<Integer> slots = slotsToMove();
        RetagCounts counts;
        List<Long> movesDone;
        long retagEnded;
        try (ClusterAccess access = access(cluster)) {
            Topology layout = access.topology();
            CountDownLatch retagStarted = new CountDownLatch(1);
            AtomicBoolean retagging = new AtomicBoolean(true);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<List<Long>> mover = pool.submit(() -> {
                assertThat(retagStarted.await(30, TimeUnit.SECONDS)).isTrue();
                return moveSlots(cluster, layout, slots, retagging);
            });
            try {
                counts = Retag.run(access, rules("user"), RetagOptions.builder().scanCount(SCAN_COUNT).build(),
                        total -> retagStarted.countDown());
            } finally {
                retagEnded = System.nanoTime();
                retagging.set(false);
                retagStarted.countDown();
                pool.shutdown();
            }
            movesDone = mover.get(60, TimeUnit.SECONDS);
            Topology now = access.topology();
            assertThat(slots.stream().filter(s -> !layout.ownerOf(s).equals(now.ownerOf(s))))
                    .as("slots with another owner").hasSize(movesDone.size());
            assertThat(now.masters()).noneMatch(NodeInfo::hasOpenSlots);
        }

        assertThat(movesDone.stream().filter(done -> done < retagEnded)).as("slot moves finished during the retag")
                .hasSizeGreaterThanOrEqualTo(MIN_MOVED_DURING_RETAG);
        assertThat(counts.done()).isEqualTo(names.size());
        assertThat(counts.vanished()).isZero();
        assertThat(counts.skipped()).isZero();
        assertThat(counts.left()).isZero();
        assertRetagged(cluster, before);
        assertNoLedgerLeft(cluster);
    }

    /** Two keys per id: the profile a string, the cart a hash for even ids; a third of the ids expire. */
    private static List<String> load(LocalCluster cluster) {
        List<String> names = new ArrayList<>();
        Random random = new Random(42);
        try (StatefulRedisClusterConnection<byte[], byte[]> c = cluster.clusterClient().connect(ByteArrayCodec.INSTANCE)) {
            RedisAdvancedClusterAsyncCommands<byte[], byte[]> redis = c.async();
            List<RedisFuture<?>> replies = new ArrayList<>();
            for (int id = 0; id < IDS; id++) {
                byte[] profile = b("user:" + id + ":profile");
                byte[] cart = b("user:" + id + ":cart");
                replies.add(redis.set(profile, b("profile of " + id + " #" + random.nextInt(1000))));
                replies.add(id % 2 == 0
                        ? redis.hset(cart, Map.of(b("items"), b(Integer.toString(random.nextInt(20))), b("total"),
                                b(Integer.toString(random.nextInt(10_000)))))
                        : redis.set(cart, b("empty cart of " + id)));
                if (id % 3 == 0) {
                    replies.add(redis.pexpire(profile, 600_000 + random.nextInt(600_000)));
                    replies.add(redis.pexpire(cart, 600_000 + random.nextInt(600_000)));
                }
                names.add("user:" + id + ":profile");
                names.add("user:" + id + ":cart");
                if (replies.size() >= 5000) {
                    await(replies);
                }
            }
            await(replies);
        }
        return names;
    }

    /**
     * Slots holding old names and slots that new names map to, taking turns, spread over the ids; never the slot of
     * reslot's own records.
     */
    private static List<Integer> slotsToMove() {
        Set<Integer> slots = new LinkedHashSet<>();
        int reslot = KeySlot.of("{reslot}");
        for (int i = 0; slots.size() < SLOTS_TO_MOVE; i++) {
            int id = (int) ((i * 7919L) % IDS);
            for (int slot : new int[] {KeySlot.of("user:" + id + ":profile"), KeySlot.of("user:{" + id + "}:x")}) {
                if (slot != reslot && slots.size() < SLOTS_TO_MOVE) {
                    slots.add(slot);
                }
            }
        }
        return new ArrayList<>(slots);
    }

    /**
     * Moves each slot to the next master, in the order of the Redis Cluster specification, with raw commands on
     * per-node connections, until the retag ends or the bounds are reached; a move under way is always finished.
     *
     * @return when each move finished ({@link System#nanoTime()})
     */
    private static List<Long> moveSlots(LocalCluster cluster, Topology layout, List<Integer> slots,
            AtomicBoolean retagging) throws InterruptedException {
        List<ClusterNode> masters = cluster.masters();
        Map<String, StatefulRedisConnection<String, String>> connections = new HashMap<>();
        List<Long> done = new ArrayList<>();
        long deadline = System.nanoTime() + MOVER_TIME.toNanos();
        try (ClusterAccess views = access(cluster)) {
            for (ClusterNode master : masters) {
                connections.put(master.nodeId(), cluster.connect(master));
            }
            for (int slot : slots) {
                awaitSettled(views, slot, layout.ownerOf(slot));
                if (!retagging.get() || System.nanoTime() > deadline) {
                    break;
                }
                String sourceId = layout.ownerOf(slot);
                int source = masters.stream().map(ClusterNode::nodeId).toList().indexOf(sourceId);
                ClusterNode target = masters.get((source + 1) % masters.size());
                moveSlot(connections, slot, sourceId, target);
                awaitSettled(views, slot, target.nodeId());
                done.add(System.nanoTime());
            }
        } finally {
            connections.values().forEach(StatefulRedisConnection::close);
        }
        return done;
    }

    /**
     * Waits until every master sees the same slot owners and the same, distinct, config epochs, and {@code slot}
     * served by {@code owner}. Moving the next slot sooner can make two masters' epochs collide (a target bumps its
     * epoch from a stale view); the collision's resolution can then give the higher epoch to a source that still
     * claims the slot it is giving away, and the target takes that claim: each of the two then sends clients to the
     * other, for good. A careful tool waits; this test is not about that.
     */
    private static void awaitSettled(ClusterAccess views, int slot, String owner) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Topology topology = views.topology();
        while (!settled(topology, slot, owner)) {
            assertThat(System.nanoTime()).as("the cluster settles after moving slot %d: %s", slot,
                    topology.disagreements()).isLessThan(deadline);
            Thread.sleep(5);
            topology = views.topology();
        }
    }

    private static boolean settled(Topology topology, int slot, String owner) {
        Set<Map<String, Long>> epochs = new HashSet<>();
        for (List<NodeInfo> view : topology.views().values()) {
            Map<String, Long> epoch = new HashMap<>();
            view.stream().filter(NodeInfo::isMaster).forEach(n -> epoch.put(n.id(), n.configEpoch()));
            if (new HashSet<>(epoch.values()).size() < epoch.size()) {
                return false;
            }
            epochs.add(epoch);
        }
        return epochs.size() == 1 && topology.agrees() && owner.equals(topology.ownerOf(slot));
    }

    private static void moveSlot(Map<String, StatefulRedisConnection<String, String>> connections, int slot,
            String sourceId, ClusterNode target) {
        RedisCommands<String, String> source = connections.get(sourceId).sync();
        RedisCommands<String, String> importing = connections.get(target.nodeId()).sync();
        importing.clusterSetSlotImporting(slot, sourceId);
        source.clusterSetSlotMigrating(slot, target.nodeId());
        for (int round = 0; ; round++) {
            List<String> keys = source.clusterGetKeysInSlot(slot, 100);
            if (keys.isEmpty()) {
                break;
            }
            assertThat(round).as("MIGRATE rounds for slot %d", slot).isLessThan(1000);
            source.migrate(target.host(), target.port(), 0, 5000, MigrateArgs.Builder.keys(keys));
        }
        importing.clusterSetSlotNode(slot, target.nodeId());
        source.clusterSetSlotNode(slot, target.nodeId());
        connections.forEach((id, connection) -> {
            if (!id.equals(sourceId) && !id.equals(target.nodeId())) {
                connection.sync().clusterSetSlotNode(slot, target.nodeId());
            }
        });
    }
}
