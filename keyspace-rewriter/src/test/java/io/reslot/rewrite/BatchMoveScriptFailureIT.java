package io.reslot.rewrite;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.protocol.CommandType;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.Topology;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.KeyMove.Outcome;
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
import static io.reslot.rewrite.RetagTesting.assertRetagged;
import static io.reslot.rewrite.RetagTesting.await;
import static io.reslot.rewrite.RetagTesting.b;
import static io.reslot.rewrite.RetagTesting.commandCalls;
import static io.reslot.rewrite.RetagTesting.renamed;
import static io.reslot.rewrite.RetagTesting.rules;
import static io.reslot.rewrite.RetagTesting.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BatchMove}'s restore script failing as a whole on one target node, while plain commands still work there:
 * here that node's ACL denies scripts. The keys bound for it must go one by one through {@link KeyMove}, whose only
 * step on a target node is a {@code RESTORE}: a script that records it in the page's {@link Ledger}, refused there
 * too, then the plain command; and end up moved exactly like the others.
 */
class BatchMoveScriptFailureIT {

    @RegisterExtension
    static final ClustersByVersion CLUSTERS = new ClustersByVersion(0);

    private static final int KEYS = 3000;
    private static final String SPACE = "denied";

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void movesTheKeysOfATargetThatRefusesScriptsOneByOne(BundledRedis version) {
        LocalCluster cluster = CLUSTERS.get(version);
        Map<Outcome, Long> outcomes;
        Map<String, KeyState> before;
        int toDenied = 0;
        long restores;
        try (ClusterAccess access = access(cluster)) {
            Topology topology = access.topology();
            // Not the node of reslot's records: the lock and the checkpoints are scripts. And no old name on it: a
            // source runs scripts, in the batch and in a single move alike.
            String records = topology.ownerOf(KeySlot.of("{reslot}"));
            ClusterNode denied = cluster.masters().stream().filter(m -> !m.nodeId().equals(records)).findFirst()
                    .orElseThrow();
            List<String> names = new ArrayList<>();
            for (int id = 0; names.size() < KEYS; id++) {
                String old = SPACE + ":" + id + ":v";
                if (!denied.nodeId().equals(topology.ownerOf(KeySlot.of(old)))) {
                    names.add(old);
                    toDenied += denied.nodeId().equals(topology.ownerOf(KeySlot.of(renamed(old)))) ? 1 : 0;
                }
            }
            load(cluster, names);
            before = snapshot(cluster, names);
            try (StatefulRedisConnection<String, String> connection = cluster.connect(denied)) {
                RedisCommands<String, String> node = connection.sync();
                long restoresBefore = commandCalls(node, "restore");
                node.aclSetuser("default", AclSetuserArgs.Builder.removeCommand(CommandType.EVAL)
                        .removeCommand(CommandType.EVALSHA));
                try {
                    assertThatThrownBy(() -> node.eval("return 1", ScriptOutputType.INTEGER))
                            .hasMessageContaining("NOPERM");
                    if (version != BundledRedis.REDIS_6_2) {
                        // Redis 7 has ACL DRYRUN: a retag's preflight refuses to start, naming the permission
                        assertThatThrownBy(() -> Retag.run(access, rules(SPACE), RetagOptions.defaults(),
                                Retag.Listener.NONE)).isInstanceOf(MigrateException.class)
                                .hasMessageContaining("'eval'").hasMessageContaining("nothing was changed");
                    }
                    // what a retag does when a whole script fails anyway (6.2 has no preflight; a script can also
                    // fail for other reasons): the page's moves themselves, past the preflight
                    outcomes = moveByPages(access, topology, names);
                } finally {
                    node.aclSetuser("default", AclSetuserArgs.Builder.addCommand(CommandType.EVAL)
                            .addCommand(CommandType.EVALSHA));
                }
                restores = commandCalls(node, "restore") - restoresBefore;
                assertThat(node.<Long>eval("return 1", ScriptOutputType.INTEGER)).as("scripts allowed again").isOne();
            }
        }

        assertThat(toDenied).as("keys bound for the node that refuses scripts").isGreaterThan(KEYS / 5);
        assertThat(restores).as("plain RESTOREs on that node, one per key bound for it").isEqualTo(toDenied);
        assertThat(outcomes.keySet()).as("every key moved or renamed").containsOnly(Outcome.MOVED, Outcome.RENAMED);
        assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(KEYS);
        assertThat(outcomes.get(Outcome.MOVED)).isGreaterThanOrEqualTo(KEYS - 10);
        assertRetagged(cluster, before);
    }

    /** The moves of {@link Retag}'s pages: each master's keys through {@link BatchMove}, as one page, with a ledger. */
    private static Map<Outcome, Long> moveByPages(ClusterAccess access, Topology topology, List<String> names) {
        BatchMove pages = new BatchMove(access, new KeyMove(access.keys().async()));
        Map<String, List<String>> bySource = new TreeMap<>();
        names.forEach(name -> bySource.computeIfAbsent(topology.ownerOf(KeySlot.of(name)), id -> new ArrayList<>())
                .add(name));
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        bySource.forEach((source, keys) -> {
            List<byte[]> from = keys.stream().map(RetagTesting::b).toList();
            List<byte[]> to = keys.stream().map(name -> b(renamed(name))).toList();
            Ledger ledger = Ledger.start(topology);
            for (CompletableFuture<Outcome> move : pages.move(topology.node(source), from, to, OnConflict.FAIL,
                    ledger)) {
                outcomes.merge(move.join(), 1L, Long::sum);
            }
            ledger.clear(access.keys().async());
        });
        return outcomes;
    }

    /** Strings, every other one with a TTL. */
    private static void load(LocalCluster cluster, List<String> names) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            List<RedisFuture<?>> replies = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                replies.add(c.async().set(names.get(i), "value of " + names.get(i)));
                if (i % 2 == 0) {
                    replies.add(c.async().pexpire(names.get(i), 600_000 + i));
                }
            }
            await(replies);
        }
    }
}
