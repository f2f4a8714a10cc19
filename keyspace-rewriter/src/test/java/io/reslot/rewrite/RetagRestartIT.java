package io.reslot.rewrite;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.reslot.rewrite.RetagTesting.access;
import static io.reslot.rewrite.RetagTesting.assertNoLedgerLeft;
import static io.reslot.rewrite.RetagTesting.await;
import static io.reslot.rewrite.RetagTesting.b;
import static io.reslot.rewrite.RetagTesting.renamed;
import static io.reslot.rewrite.RetagTesting.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@link Retag} run stopped part way through a page, as a crash stops it ({@link Retag.Hook}), then started again:
 * the new run must finish the moves the stopped one left under way, and nothing else. Each test works in a key space
 * of its own, loaded small enough that each master's keys come in one SCAN page.
 */
@WithLocalCluster(masters = 3)
class RetagRestartIT {

    private static final int KEYS = 300;
    /** Large enough for one page per master. */
    private static final int SCAN_COUNT = 10_000;

    /** How a key's move goes, by where its old and new names live. */
    private enum Path {
        /** To another node: the batch's snapshot, restore and delete scripts (or {@link KeyMove} one by one). */
        ACROSS,
        /** To another slot of the same node: one script, {@code MOVE_LOCAL}. */
        LOCAL,
        /** Within its slot: {@code RENAMENX}. */
        RENAME
    }

    /**
     * The run stopped after a page's moves and before its checkpoint; clients then wrote some old names again, as
     * they may after a move (they create a new key under the old name). The moved keys hold every write made before
     * their move, the old names every write since: the next run must keep both, under every conflict policy, on every
     * path a move takes, and report the old names as left.
     */
    @ParameterizedTest
    @EnumSource(OnConflict.class)
    void keepsAnOldNameWrittenAgainAfterItsMoveWhenTheRunStoppedBeforeTheCheckpoint(OnConflict policy,
            LocalCluster cluster) {
        String space = "again" + policy.name().toLowerCase(Locale.ROOT);
        try (ClusterAccess access = access(cluster);
                StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterCommands<String, String> redis = c.sync();
            Topology topology = access.topology();
            Map<String, Path> paths = load(c, topology, space);
            // written between their copy and their delete: the batch's delete leaves them to KeyMove, one by one
            Set<String> changed = select(paths, Path.ACROSS, 7);
            Map<String, String> values = new LinkedHashMap<>();
            paths.keySet().forEach(old -> values.put(old, changed.contains(old) ? "changed before its delete"
                    : "value of " + old));
            Retag.Hook stop = stopEveryMasterAt(Retag.Hook.Point.MOVED, topology);
            Retag.Hook hook = (point, master) -> {
                if (point == Retag.Hook.Point.COPIED) {
                    for (String old : changed) {
                        if (master.id().equals(topology.ownerOf(KeySlot.of(old)))) {
                            redis.set(old, "changed before its delete", SetArgs.Builder.xx());
                        }
                    }
                }
                stop.at(point, master);
            };
            RetagOptions options = RetagOptions.builder().onConflict(policy).scanCount(SCAN_COUNT).build();
            assertThatThrownBy(() -> Retag.run(access, rules(space), options, Retag.Listener.NONE, hook))
                    .hasMessageContaining("stopped at MOVED");
            values.forEach((old, value) -> {
                assertThat(redis.exists(old)).as("%s (%s) moved by the stopped run", old, paths.get(old)).isZero();
                assertThat(redis.get(renamed(old))).as(renamed(old)).isEqualTo(value);
            });
            Set<String> again = paths.keySet().stream().filter(old -> old.hashCode() % 5 == 0
                    || paths.get(old) == Path.RENAME).collect(Collectors.toSet());
            assertThat(again.stream().map(paths::get).collect(Collectors.toSet())).as("paths of the keys written again")
                    .isEqualTo(EnumSet.allOf(Path.class));
            assertThat(again).as("keys written again that went one by one").containsAnyElementsOf(changed);
            again.forEach(old -> redis.set(old, "written again"));

            RetagCounts counts = Retag.run(access, rules(space), options, Retag.Listener.NONE);

            values.forEach((old, value) -> {
                assertThat(redis.get(renamed(old))).as("%s (%s)", renamed(old), paths.get(old)).isEqualTo(value);
                assertThat(redis.get(old)).as("%s (%s)", old, paths.get(old))
                        .isEqualTo(again.contains(old) ? "written again" : null);
            });
            assertThat(counts.left()).isEqualTo(again.size());
            assertNoLedgerLeft(cluster);
        }
    }

    /**
     * The run stopped between copying a page's keys to other nodes and deleting their old names, and clients wrote
     * some of those old names since: the copies are stale, the old keys hold the truth. The next run must replace
     * the copies with the old keys, and not call them conflicts.
     */
    @Test
    void replacesTheStaleCopiesOfKeysWrittenAfterARunStoppedBetweenCopyAndDelete(LocalCluster cluster) {
        String space = "stale";
        try (ClusterAccess access = access(cluster);
                StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterCommands<String, String> redis = c.sync();
            Topology topology = access.topology();
            Map<String, Path> paths = load(c, topology, space);
            // every master stops there, so that no delete of the stopped run is under way when clients write
            Retag.Hook stop = stopEveryMasterAt(Retag.Hook.Point.COPIED, topology);
            RetagOptions options = RetagOptions.builder().scanCount(SCAN_COUNT).build();
            assertThatThrownBy(() -> Retag.run(access, rules(space), options, Retag.Listener.NONE, stop))
                    .hasMessageContaining("stopped at COPIED");
            Set<String> copied = paths.keySet().stream()
                    .filter(old -> redis.exists(old) == 1 && redis.exists(renamed(old)) == 1)
                    .collect(Collectors.toSet());
            assertThat(copied).as("keys copied, their old names not deleted").isNotEmpty();
            copied.forEach(old -> redis.set(old, "written after the copy"));

            RetagCounts counts = Retag.run(access, rules(space), options, Retag.Listener.NONE);

            for (String old : paths.keySet()) {
                assertThat(redis.exists(old)).as(old).isZero();
                assertThat(redis.get(renamed(old))).as(renamed(old))
                        .isEqualTo(copied.contains(old) ? "written after the copy" : "value of " + old);
            }
            assertThat(counts.left()).isZero();
            assertThat(counts.skipped()).isZero();
            assertNoLedgerLeft(cluster);
        }
    }

    /**
     * A run stopped by a conflict (policy {@code fail}) leaves its page's journal behind; started again with the
     * conflict unresolved, it must stop on it again, and never take the other key under the new name for a copy of
     * its own.
     */
    @Test
    void aRunStoppedByAConflictStopsOnItAgainAndOverwritesNothing(LocalCluster cluster) {
        String space = "takenfail";
        try (ClusterAccess access = access(cluster);
                StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterCommands<String, String> redis = c.sync();
            load(c, access.topology(), space);
            String old = space + ":7:v";
            redis.set(renamed(old), "taken");
            for (int run = 1; run <= 2; run++) {
                assertThatThrownBy(() -> Retag.run(access, rules(space), RetagOptions.defaults(), Retag.Listener.NONE))
                        .as("run %d", run).isInstanceOf(RewriteException.class)
                        .extracting(e -> ((RewriteException) e).code()).isEqualTo(RewriteErrorCode.CONFLICT);
                assertThat(redis.get(renamed(old))).as("run %d", run).isEqualTo("taken");
                assertThat(redis.get(old)).as("run %d", run).isEqualTo("value of " + old);
            }
        }
    }

    /**
     * A run stopped after skipping a key whose new name is taken (policy {@code skip}), before its checkpoint: started
     * again, it must skip the key again, not overwrite the other key.
     */
    @Test
    void aRunStoppedAfterSkippingAConflictSkipsItAgainWhenStartedAgain(LocalCluster cluster) {
        String space = "takenskip";
        try (ClusterAccess access = access(cluster);
                StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterCommands<String, String> redis = c.sync();
            Topology topology = access.topology();
            Map<String, Path> paths = load(c, topology, space);
            String old = space + ":7:v";
            redis.set(renamed(old), "taken");
            Retag.Hook stop = stopEveryMasterAt(Retag.Hook.Point.MOVED, topology);
            RetagOptions options = RetagOptions.builder().onConflict(OnConflict.SKIP).scanCount(SCAN_COUNT).build();
            assertThatThrownBy(() -> Retag.run(access, rules(space), options, Retag.Listener.NONE, stop))
                    .hasMessageContaining("stopped at MOVED");

            RetagCounts counts = Retag.run(access, rules(space), options, Retag.Listener.NONE);

            assertThat(redis.get(renamed(old))).isEqualTo("taken");
            assertThat(redis.get(old)).isEqualTo("value of " + old);
            assertThat(counts.left()).isOne();
            for (String other : paths.keySet()) {
                if (!other.equals(old)) {
                    assertThat(redis.exists(other)).as(other).isZero();
                    assertThat(redis.get(renamed(other))).as(renamed(other)).isEqualTo("value of " + other);
                }
            }
            assertNoLedgerLeft(cluster);
        }
    }

    /**
     * A delete whose record no slot takes (here: the slots it tries are being moved away, and a node refuses a key of
     * such a slot that it does not hold yet) does not happen: the move waits, and deletes once a slot takes the
     * record.
     */
    @Test
    void aDeleteWaitsUntilASlotTakesItsRecord(LocalCluster cluster) throws Exception {
        try (ClusterAccess access = access(cluster);
                StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            Topology topology = access.topology();
            String old = "wait:1:v";
            for (int id = 1; topology.ownerOf(KeySlot.of(old)).equals(topology.ownerOf(KeySlot.of(renamed(old))));
                    id++) {
                old = "wait:" + id + ":v";
            }
            c.sync().set(old, "value");
            Ledger ledger = Ledger.start(topology);
            String source = topology.ownerOf(KeySlot.of(old));
            String other = topology.masters().stream().map(NodeInfo::id).filter(id -> !id.equals(source))
                    .findFirst().orElseThrow();
            Set<Integer> tried = new TreeSet<>(List.of(KeySlot.of(old),
                    topology.node(source).slots().stream().findFirst().orElseThrow()));
            ClusterNode node = cluster.masters().stream().filter(m -> m.nodeId().equals(source)).findFirst()
                    .orElseThrow();
            try (StatefulRedisConnection<String, String> admin = cluster.connect(node)) {
                CompletableFuture<KeyMove.Outcome> move;
                tried.forEach(slot -> admin.sync().clusterSetSlotMigrating(slot, other));
                try {
                    move = new KeyMove(access.keys().async())
                            .moveAsync(b(old), b(renamed(old)), OnConflict.FAIL, false, ledger).toCompletableFuture();
                    Thread.sleep(300);
                    assertThat(move).as("waiting for a slot to take the record").isNotDone();
                    assertThat(c.sync().get(old)).isEqualTo("value");
                    assertThat(c.sync().get(renamed(old))).isEqualTo("value");
                } finally {
                    tried.forEach(slot -> admin.sync().clusterSetSlotStable(slot));
                }
                assertThat(move.get(10, TimeUnit.SECONDS)).isEqualTo(KeyMove.Outcome.MOVED);
            }
            Ledger.Entries done = ledger.read(access.keys().async(), List.of(b(old)), List.of(b(renamed(old))));
            assertThat(done.deleted(b(old))).isTrue();
            assertThat(done.copied(b(renamed(old)))).isTrue();
            assertThat(c.sync().exists(old)).isZero();
            ledger.clear(access.keys().async());
            assertNoLedgerLeft(cluster);
        }
    }

    /**
     * A journal that a reslot from before the ledger left (names only): nothing in it is known to be that run's copy,
     * so a key found under both names keeps both, and nothing is overwritten. Such keys are left and counted, as a
     * continued run leaves every taken new name but the conflict it stopped on.
     */
    @Test
    void aJournalWithoutALedgerMakesNoCopyTheRunsOwn(LocalCluster cluster) {
        String space = "oldjournal";
        try (ClusterAccess access = access(cluster);
                StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            RedisAdvancedClusterCommands<String, String> redis = c.sync();
            Topology topology = access.topology();
            load(c, topology, space);
            String old = space + ":7:v";
            String master = topology.ownerOf(KeySlot.of(old));
            // a run of these rules that stopped on its first page: its fingerprint saved, no cursor yet
            Retag.Hook stop = (point, node) -> {
                throw new IllegalStateException("stopped at its first page");
            };
            assertThatThrownBy(() -> Retag.run(access, rules(space), RetagOptions.defaults(), Retag.Listener.NONE,
                    stop)).hasMessageContaining("stopped");
            redis.set(renamed(old), "copied, perhaps");
            redis.set(old, "written since");
            byte[] journal = b(Retag.STATE_KEY + ":pending:" + master);
            Journal stopped = Journal.decode(access.keys().sync().get(journal));
            Ledger.of(stopped, topology).discard(access.keys().async(), stopped.names()); // what an older run had not
            access.keys().sync().set(journal, Journal.encodeNames(List.of(b(old))));

            RetagCounts counts = Retag.run(access, rules(space), RetagOptions.defaults(), Retag.Listener.NONE);

            // and the copies the stopped run made of its first page's keys, unknown to the run without a ledger
            assertThat(counts.left()).as("left under both names").isPositive();
            assertThat(redis.get(renamed(old))).isEqualTo("copied, perhaps");
            assertThat(redis.get(old)).isEqualTo("written since");
        }
    }

    /**
     * {@value #KEYS} strings {@code <space>:<i>:v}, each holding {@code "value of <name>"}, and one more whose new
     * name is in the same slot; returns old name → path of its move.
     */
    private static Map<String, Path> load(StatefulRedisClusterConnection<String, String> c, Topology topology,
            String space) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            names.add(space + ":" + i + ":v");
        }
        for (int field = 0; ; field++) {
            String old = space + ":1:r" + field;
            if (KeySlot.of(old) == KeySlot.of(renamed(old))) {
                names.add(old);
                break;
            }
        }
        Map<String, Path> paths = new LinkedHashMap<>();
        List<RedisFuture<?>> sent = new ArrayList<>();
        for (String old : names) {
            int from = KeySlot.of(old);
            int to = KeySlot.of(renamed(old));
            paths.put(old, from == to ? Path.RENAME
                    : topology.ownerOf(from).equals(topology.ownerOf(to)) ? Path.LOCAL : Path.ACROSS);
            sent.add(c.async().set(old, "value of " + old));
        }
        await(sent);
        return paths;
    }

    /** Every {@code nth} old name (by hash) of those on {@code path}. */
    private static Set<String> select(Map<String, Path> paths, Path path, int nth) {
        return paths.entrySet().stream().filter(e -> e.getValue() == path && e.getKey().hashCode() % nth == 0)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /**
     * A hook that stops every master's scan at {@code point}, as a crash would, once all of them got there: so that
     * no command of the stopped run is still under way when the test looks at the keys.
     */
    private static Retag.Hook stopEveryMasterAt(Retag.Hook.Point point, Topology topology) {
        CyclicBarrier everyMaster = new CyclicBarrier(topology.masters().size());
        return (at, master) -> {
            if (at == point) {
                try {
                    everyMaster.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the scans did not all reach " + point, e);
                }
                throw new IllegalStateException("stopped at " + point);
            }
        };
    }
}
