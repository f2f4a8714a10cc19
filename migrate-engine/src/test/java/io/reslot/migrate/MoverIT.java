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
            // from before the snapshot: its PTTLs are read first, its other reads take a while after them
            long started = System.currentTimeMillis();
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);

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
            Writers writers = Writers.start(cluster, moving, 4, 400);
            Mover.Result result;
            try {
                // small slots move in groups; throttled so that the move lasts about two seconds, whatever the
                // machine: the writers overlap it
                result = move(access, source, target, moving, MoverOptions.builder().batchKeys(10).rate(3000).build(),
                        new Recorder(), new ArrayList<>());
            } finally {
                writers.moveEnded();
            }
            writers.assertEveryAcknowledgedWritePresent();
            assertThat(result.slots()).isEqualTo(200);
            assertThat(writers.opsDuringMove()).as("writes while slots moved").isGreaterThan(100);
            assertMovedOff(cluster, access, source, moving);
        }
    }

    /** Slots of many keys stream their MIGRATEs ({@link KeyStream}) while clients write to them. */
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void clientsWritingSlotsOfManyKeysLoseNothingWhileTheyStream(BundledRedis version) throws Exception {
        LocalCluster cluster = cluster(version);
        try (ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(2);
            NodeInfo target = topology.masters().get(0);
            SlotSet moving = TestData.slotsOf(source, 3000, 3);
            List<byte[]> keys = TestData.load(cluster, moving, 2_000); // 12,000 keys of six types per slot
            // from before the snapshot: its PTTLs are read first, its other reads take a while after them
            long started = System.currentTimeMillis();
            Map<String, TestData.Entry> before = TestData.snapshot(cluster, keys);
            Writers writers = Writers.start(cluster, moving, 4, 300);
            List<MoveEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            Mover.Result result;
            try {
                // 20 keys a batch: about 600 MIGRATEs per slot, so that the writers overlap them
                result = move(access, source, target, moving, MoverOptions.builder().batchKeys(20).build(),
                        new Recorder(), events);
            } finally {
                writers.moveEnded();
            }
            writers.assertEveryAcknowledgedWritePresent();
            assertThat(result.slots()).isEqualTo(3);
            assertThat(result.keys()).isGreaterThanOrEqualTo(36_000);
            assertThat(events.stream().filter(e -> e instanceof MoveEvent.BatchMoved).count())
                    .as("MIGRATE batches").isGreaterThan(1_500);
            TestData.assertSame(before, TestData.snapshot(cluster, keys), System.currentTimeMillis() - started);
            assertThat(writers.opsDuringMove()).as("writes while slots moved").isGreaterThan(100);
            assertMovedOff(cluster, access, source, moving);
        }
    }

    private static void assertMovedOff(LocalCluster cluster, ClusterAccess access, NodeInfo source, SlotSet moving) {
        for (int slot : moving.toArray()) {
            assertThat(TestData.countKeys(cluster, source.id(), slot)).isZero();
        }
        assertThat(awaitAgreement(access).nodes()).noneMatch(NodeInfo::hasOpenSlots);
    }

    /**
     * Cluster clients that INCR keys of the moving slots, each remembering what the server acknowledged, and assert
     * every reply is the one expected (an error would throw). Bounded: at most 200,000 operations or 60 s each, and a
     * few hundred after the move ends, to cover the hand-over.
     */
    static final class Writers {

        private final LocalCluster cluster;
        private final int[] slots;
        private final int keysPerWriter;
        private final java.util.concurrent.atomic.AtomicBoolean moving = new java.util.concurrent.atomic.AtomicBoolean(true);
        private final java.util.concurrent.atomic.AtomicLong opsDuringMove = new java.util.concurrent.atomic.AtomicLong();
        private final List<java.util.concurrent.Future<long[]>> counts = new ArrayList<>();
        private final java.util.concurrent.ExecutorService pool;

        private Writers(LocalCluster cluster, SlotSet slots, int writers, int keysPerWriter) {
            this.cluster = cluster;
            this.slots = slots.toArray();
            this.keysPerWriter = keysPerWriter;
            this.pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        }

        static Writers start(LocalCluster cluster, SlotSet slots, int writers, int keysPerWriter)
                throws InterruptedException {
            Writers w = new Writers(cluster, slots, writers, keysPerWriter);
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(writers);
            for (int i = 0; i < writers; i++) {
                int writer = i;
                w.counts.add(w.pool.submit(() -> w.write(writer, started)));
            }
            started.await();
            return w;
        }

        private String key(int writer, int i) {
            return "{" + io.reslot.slot.SlotTags.tagFor(slots[i % slots.length]) + "}w" + writer + ":" + i;
        }

        private long[] write(int writer, java.util.concurrent.CountDownLatch started) {
            long[] acknowledged = new long[keysPerWriter];
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            try (var connection = cluster.clusterClient().connect()) {
                var redis = connection.sync();
                started.countDown();
                for (int op = 0; op < 200_000 && System.nanoTime() < deadline; op++) {
                    int i = op % keysPerWriter;
                    assertThat(redis.incr(key(writer, i))).isEqualTo(acknowledged[i] + 1);
                    acknowledged[i]++;
                    if (moving.get()) {
                        opsDuringMove.incrementAndGet();
                    } else if (op > 5 * keysPerWriter) {
                        break;
                    }
                }
            }
            return acknowledged;
        }

        void moveEnded() {
            moving.set(false);
            pool.shutdown();
        }

        long opsDuringMove() {
            return opsDuringMove.get();
        }

        /** Rethrows any error a writer saw; then every key must hold the increments the server acknowledged. */
        void assertEveryAcknowledgedWritePresent() throws Exception {
            try (var connection = cluster.clusterClient().connect()) {
                for (int w = 0; w < counts.size(); w++) {
                    long[] acknowledged = counts.get(w).get();
                    for (int i = 0; i < keysPerWriter; i++) {
                        String value = connection.sync().get(key(w, i));
                        assertThat(value == null ? 0 : Long.parseLong(value)).as(key(w, i)).isEqualTo(acknowledged[i]);
                    }
                }
            }
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
