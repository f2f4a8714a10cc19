package io.reslot.migrate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mover on real clusters of both bundled Redis versions: every value type, TTLs, BUSYKEY. */
class MoverIT {

    @RegisterExtension
    static final SandboxClusters CLUSTERS = new SandboxClusters(0);

    private static LocalCluster cluster(BundledRedis version) {
        return CLUSTERS.get(version);
    }

    static AccessOptions seed(LocalCluster cluster) {
        return SandboxClusters.seed(cluster);
    }

    /** A control that never stops and remembers the slots done. */
    static final class Recorder implements Mover.Control {
        final ConcurrentLinkedQueue<Integer> done = new ConcurrentLinkedQueue<>();

        @Override
        public void checkContinue() {
        }

        @Override
        public void slotDone(int slot) {
            done.add(slot);
        }
    }

    static Mover.Result move(ClusterAccess access, NodeInfo source, NodeInfo target, SlotSet slots,
            MoverOptions options, Mover.Control control, List<MoveEvent> events) {
        Topology topology = access.topology();
        Plan.Transfer transfer = new Plan.Transfer(source.id(), source.address(), target.id(), target.address(), slots);
        return new Mover(access, topology, options, events::add, control).move(List.of(transfer));
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void movesEveryValueTypeWithItsTtl(BundledRedis version) {
        LocalCluster cluster = cluster(version);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            NodeInfo target = topology.masters().get(1);
            int first = TestData.slotsOf(source, 0, 100).next(0);
            SlotSet withKeys = SlotSet.parse(first + "-" + (first + 39));
            SlotSet moving = withKeys.union(SlotSet.parse((first + 40) + "-" + (first + 99)));
            List<byte[]> keys = new ArrayList<>(TestData.load(cluster, withKeys, 3));
            keys.add(TestData.loadBigHash(cluster, first + 50, 100_000));
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            long started = System.currentTimeMillis();

            Recorder control = new Recorder();
            List<MoveEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
            Mover.Result result = move(access, source, target, moving, MoverOptions.defaults(), control, events);

            assertThat(result.slots()).isEqualTo(100);
            assertThat(result.keys()).isEqualTo(keys.size());
            assertThat(result.bytes()).isPositive();
            assertThat(control.done).containsExactlyInAnyOrderElementsOf(moving.stream().boxed().toList());
            assertThat(events).filteredOn(e -> e instanceof MoveEvent.SlotDone).hasSize(100);
            assertThat(events).filteredOn(e -> e instanceof MoveEvent.BatchMoved)
                    .allMatch(e -> ((MoveEvent.BatchMoved) e).keys() > 0);
            TestData.assertSame(before, TestData.snapshot(cluster, keys), System.currentTimeMillis() - started);
            for (int slot : moving.toArray()) {
                assertThat(TestData.countKeys(cluster, source.id(), slot)).as("keys left in %d", slot).isZero();
            }
            Topology after = awaitAgreement(access);
            assertThat(after.node(target.id()).slots().containsAll(moving)).isTrue();
            assertThat(after.node(source.id()).slots().intersection(moving).isEmpty()).isTrue();
            assertThat(after.nodes()).noneMatch(NodeInfo::hasOpenSlots);
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void movesAnIdenticalBusyKeyAndStopsOnADifferentOne(BundledRedis version) {
        LocalCluster cluster = cluster(version);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(2);
            NodeInfo target = topology.masters().get(1);
            int same = TestData.slotsOf(source, 200, 2).next(0);
            int different = same + 1;
            List<byte[]> keys = TestData.load(cluster, SlotSet.of(same, different), 1);
            byte[] sameKey = keys.get(0);
            byte[] differentKey = keys.get(TestData.TYPES.size());
            RedisCommands<byte[], byte[]> onSource = access.connection(source).sync();
            // Copies on the target, as a crashed earlier run could have left: same payload for one, another value
            // for the other.
            try (var onTarget = access.dedicated(target)) {
                for (int slot : new int[] {same, different}) {
                    onTarget.sync().clusterSetSlotImporting(slot, source.id());
                }
                onTarget.sync().asking();
                onTarget.sync().restore(sameKey, 0, onSource.dump(sameKey));
                onTarget.sync().asking();
                onTarget.sync().set(differentKey, TestData.bytes("another value"));
            }
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys.subList(0, TestData.TYPES.size()));

            move(access, source, target, SlotSet.of(same), MoverOptions.defaults(), new Recorder(), new ArrayList<>());

            TestData.assertSame(before, TestData.snapshot(cluster, keys.subList(0, TestData.TYPES.size())), 60_000);
            assertThat(TestData.countKeys(cluster, source.id(), same)).isZero();
            assertThatThrownBy(() -> move(access, source, target, SlotSet.of(different), MoverOptions.defaults(),
                    new Recorder(), new ArrayList<>()))
                    .isInstanceOf(MigrateException.class)
                    .hasMessageContaining("slot " + different)
                    .hasMessageContaining(SlotMigration.printable(differentKey))
                    .hasMessageContaining("different values")
                    .hasMessageContaining("reslot resume");
            Topology open = access.topology();
            assertThat(open.node(source.id()).migrating()).containsEntry(different, target.id());
            assertThat(open.node(target.id()).importing()).containsEntry(different, source.id());
            assertThat(TestData.countKeys(cluster, source.id(), different)).isPositive();

            // the operator chooses the source's copy: the job then completes
            move(access, source, target, SlotSet.of(different),
                    MoverOptions.builder().onBusyKey(BusyKeyPolicy.REPLACE).build(), new Recorder(), new ArrayList<>());
            assertThat(TestData.countKeys(cluster, source.id(), different)).isZero();
            assertThat(awaitAgreement(access).nodes()).noneMatch(NodeInfo::hasOpenSlots);
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void movesAHashTableKeyWhoseIdenticalCopyOnTheTargetDumpsInAnotherOrder(BundledRedis version) {
        LocalCluster cluster = cluster(version);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            NodeInfo target = topology.masters().get(2);
            int slot = TestData.slotsOf(source, 300, 1).next(0);
            byte[] key = TestData.bytes("{" + io.reslot.slot.SlotTags.tagFor(slot) + "}table");
            RedisCommands<byte[], byte[]> onSource = access.connection(source).sync();
            Map<byte[], byte[]> fields = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 200; i++) {
                fields.put(TestData.bytes("field-" + i), TestData.bytes("v".repeat(100) + i)); // > 64 B: a hash table
            }
            onSource.hset(key, fields);
            try (var onTarget = access.dedicated(target)) {
                onTarget.sync().clusterSetSlotImporting(slot, source.id());
                onTarget.sync().asking();
                onTarget.sync().restore(key, 0, onSource.dump(key));
                onTarget.sync().asking();
                // the premise: the same value, dumped in the other server's hash-table order
                assertThat(onTarget.sync().dump(key)).isNotEqualTo(onSource.dump(key));
            }

            move(access, source, target, SlotSet.of(slot), MoverOptions.defaults(), new Recorder(), new ArrayList<>());

            assertThat(TestData.countKeys(cluster, source.id(), slot)).isZero();
            assertThat(awaitAgreement(access).nodes()).noneMatch(NodeInfo::hasOpenSlots);
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void clientsWritingTheMovingSlotsLoseNothingAndSeeNoError(BundledRedis version) throws Exception {
        LocalCluster cluster = cluster(version);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(1);
            NodeInfo target = topology.masters().get(2);
            SlotSet moving = TestData.slotsOf(source, 1000, 200);
            TestData.load(cluster, moving, 5);
            int writers = 4;
            int keysPerWriter = 400;
            java.util.concurrent.atomic.AtomicBoolean moving0 = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
            List<java.util.concurrent.Future<long[]>> counts = new ArrayList<>();
            java.util.concurrent.atomic.AtomicLong opsDuringMove = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(writers);
            for (int w = 0; w < writers; w++) {
                int writer = w;
                counts.add(pool.submit(() -> {
                    long[] acknowledged = new long[keysPerWriter];
                    int[] slots = moving.toArray();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    try (var connection = cluster.clusterClient().connect()) {
                        var redis = connection.sync();
                        started.countDown();
                        // bounded in count and time; keeps going a little after the move to cover the hand-over
                        for (int op = 0; op < 200_000 && System.nanoTime() < deadline; op++) {
                            int i = op % keysPerWriter;
                            String key = "{" + io.reslot.slot.SlotTags.tagFor(slots[i % slots.length]) + "}w" + writer
                                    + ":" + i;
                            assertThat(redis.incr(key)).isEqualTo(acknowledged[i] + 1);
                            acknowledged[i]++;
                            if (moving0.get()) {
                                opsDuringMove.incrementAndGet();
                            }
                            if (!moving0.get() && op > 5 * keysPerWriter) {
                                break;
                            }
                        }
                    }
                    return acknowledged;
                }));
            }
            started.await();
            Mover.Result result;
            try {
                // throttled so that the move lasts about two seconds, whatever the machine: the writers overlap it
                result = move(access, source, target, moving, MoverOptions.builder().batchKeys(10).rate(3000).build(),
                        new Recorder(), new ArrayList<>());
            } finally {
                moving0.set(false);
            }
            pool.shutdown();
            try (var connection = cluster.clusterClient().connect()) {
                int[] slots = moving.toArray();
                for (int w = 0; w < writers; w++) {
                    long[] acknowledged = counts.get(w).get(); // rethrows any error a writer saw
                    for (int i = 0; i < keysPerWriter; i++) {
                        String key = "{" + io.reslot.slot.SlotTags.tagFor(slots[i % slots.length]) + "}w" + w + ":" + i;
                        String value = connection.sync().get(key);
                        assertThat(value == null ? 0 : Long.parseLong(value)).as(key).isEqualTo(acknowledged[i]);
                    }
                }
            }
            assertThat(result.slots()).isEqualTo(200);
            assertThat(opsDuringMove.get()).as("writes while slots moved").isGreaterThan(100);
            for (int slot : moving.toArray()) {
                assertThat(TestData.countKeys(cluster, source.id(), slot)).isZero();
            }
            assertThat(awaitAgreement(access).nodes()).noneMatch(NodeInfo::hasOpenSlots);
        }
    }

    /** The topology once every node agrees (gossip spreads the new owners within a few seconds). */
    static Topology awaitAgreement(ClusterAccess access) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Topology topology = access.topology();
        while (!topology.agrees() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            topology = access.topology();
        }
        assertThat(topology.agrees()).as("%s", topology.disagreements()).isTrue();
        return topology;
    }
}
