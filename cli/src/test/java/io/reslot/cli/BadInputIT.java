package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input that only a cluster can tell, and bad input of every other class run against a cluster anyway: every
 * command that changes the cluster, with {@code --yes}, on 3 masters with a replica each and 5,000 keys. Each case
 * must exit 2 with a one-line message on stderr, and leave the cluster as it was: every node's view of the slot map
 * ({@code CLUSTER NODES}: ids, roles, masters, slots, open slots), each master's {@code DBSIZE}, the {@code DUMP} of
 * every 25th key, and reslot's own keys ({@code {reslot}:...}: no job, history entry or lock left behind).
 */
@WithLocalCluster(masters = 3, replicas = 1)
class BadInputIT {

    private static final int KEYS = 5_000;

    @TempDir
    static Path dir;

    private static List<String> sample;
    private static int cases;

    private final List<String> problems = new ArrayList<>();

    /** What must not change. */
    record Snapshot(List<String> slotMap, Map<String, Long> dbsize, Map<String, String> dumps,
            Map<String, String> reslotKeys) {
    }

    @BeforeAll
    static void load(LocalCluster cluster) {
        List<String> keys = TestClusters.load(cluster, "bad", KEYS);
        sample = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += 25) {
            sample.add(keys.get(i));
        }
    }

    @AfterAll
    static void count() {
        System.out.printf("BadInputIT: %d cases%n", cases);
    }

    @Test
    void nodesOnlyTheClusterKnowsAreRefused(LocalCluster cluster) {
        Topology topology = TestClusters.topology(cluster);
        List<NodeInfo> masters = topology.masters();
        NodeInfo m0 = masters.get(0);
        NodeInfo m1 = masters.get(1);
        String replica = cluster.replicas().get(0).address();
        String someOfM0 = m0.slots().ranges().get(0).first() + "-" + (m0.slots().ranges().get(0).first() + 9);
        String someOfM1 = m1.slots().ranges().get(0).first() + "-" + (m1.slots().ranges().get(0).first() + 9);

        assertRefused(cluster, "no node is 'nosuchnode'", "reshard", "--to", "nosuchnode", "--slots", "10");
        assertRefused(cluster, "no node is '127.0.0.1:1'", "reshard", "--to", "127.0.0.1:1", "--slots", "10");
        assertRefused(cluster, replica, "reshard", "--to", replica, "--slots", "10");
        assertRefused(cluster, "no node is 'nosuchnode'", "reshard", "--to", m0.address(), "--slots", "10",
                "--from", "nosuchnode");
        assertRefused(cluster, "", "reshard", "--to", m0.address(), "--slots", "10", "--from", m0.address());
        assertRefused(cluster, "", "reshard", "--to", m0.address(), "--slots", "16384");
        assertRefused(cluster, "", "reshard", "--to", m0.address(), "--slots", "" + (m1.slots().size() + 1),
                "--from", m1.address());
        assertRefused(cluster, "no node is 'nosuchnode'", "move-slots", "--slots", someOfM1, "--to", "nosuchnode");
        assertRefused(cluster, replica, "move-slots", "--slots", someOfM1, "--to", replica);
        // Documented ("slots NODE already serves are left out"), and what lets a migration re-run its step: no change.
        assertRefused(cluster, 0, "", "move-slots", "--slots", someOfM0, "--to", m0.address());
        assertRefused(cluster, "no node is 'nosuchnode'", "drain", "--node", "nosuchnode");
        assertRefused(cluster, replica, "drain", "--node", replica);
        assertRefused(cluster, "nosuchnode", "rebalance", "--weight", "nosuchnode=2");
        assertRefused(cluster, "", "rebalance", "--weight", replica + "=2");
        assertRefused(cluster, "no such job", "resume", "--job", "0badc0de");
        assertRefused(cluster, "no unfinished job", "resume");
    }

    @Test
    void anAmbiguousNodeIdPrefixIsRefused(LocalCluster cluster) {
        List<String> ids = cluster.nodes().stream().map(ClusterNode::nodeId).sorted().toList();
        String prefix = "";
        for (int i = 1; i < ids.size(); i++) {
            String common = commonPrefix(ids.get(i - 1), ids.get(i));
            prefix = common.length() > prefix.length() ? common : prefix;
        }
        // Node ids are random: two of six share a first hex digit about 2 runs in 3.
        Assumptions.assumeTrue(!prefix.isEmpty(), "no two node ids share a prefix: " + ids);

        assertRefused(cluster, "'" + prefix + "' matches 2 nodes", "reshard", "--to", prefix, "--slots", "10");
        assertRefused(cluster, "'" + prefix + "' matches 2 nodes", "drain", "--node", prefix);
    }

    @Test
    void badSlotsAndNumbersAreRefusedWithAClusterToo(LocalCluster cluster) {
        String m0 = TestClusters.topology(cluster).masters().get(0).address();
        for (String slots : List.of("200-100", "0-16384", "-1", "16384", "", "1,,2", "99999999999999999999")) {
            assertRefused(cluster, "--slots", "move-slots", "--slots", slots, "--to", m0);
        }
        for (String n : List.of("0", "16385", "-1", "99999999999999999999", "abc")) {
            assertRefused(cluster, "--slots", "reshard", "--slots", n, "--to", m0);
        }
        assertRefused(cluster, "--batch-keys", "reshard", "--slots", "1", "--to", m0, "--batch-keys", "0");
        assertRefused(cluster, "--on-busy-key", "drain", "--node", m0, "--on-busy-key", "ignore");
        assertRefused(cluster, "--threshold", "rebalance", "--threshold", "-1");
        assertRefused(cluster, "unknown command", "reshardd", "--to", m0);
        assertRefused(cluster, "unknown option --slotz", "reshard", "--slotz", "1", "--to", m0);
        assertRefused(cluster, "--to is given more than once", "reshard", "--slots", "1", "--to", m0, "--to", m0);
    }

    @Test
    void badRulesFilesAreRefused(LocalCluster cluster) throws IOException {
        Map<String, String> files = new TreeMap<>(Map.of(
                "syntax.json", "{\"rules\": [{\"regex\": \"^a(.*)$\", \"to\": \"{a}$1\"}",
                "wrong-type.yaml", "rules:\n  - {regex: 5, to: '{a}'}\n",
                "unknown-property.yaml", "rules:\n  - {regex: '^a(.*)$', to: '{a}$1', from: x}\n",
                "bad-regex.yaml", "rules:\n  - {regex: '^a(', to: '{a}'}\n",
                "no-tag.yaml", "rules:\n  - {regex: '^a(.*)$', to: 'a$1'}\n",
                "alias.yaml", "rules:\n  - {match: &m 'a*', regex: '^a(.*)$', to: '{a}$1'}\n  - {match: *m, "
                        + "regex: '^b(.*)$', to: '{b}$1'}\n",
                "empty.yaml", "",
                "rules.txt", "rules: []\n"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = Files.writeString(dir.resolve(file.getKey()), file.getValue());
            assertRefused(cluster, path.toString(), "retag", "--rules", path.toString());
        }
        Path latin1 = Files.write(dir.resolve("latin1.yaml"),
                "rules:\n  - {regex: '^\u00e9(.*)$', to: '{a}$1'}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(cluster, "not UTF-8", "retag", "--rules", latin1.toString());
        assertRefused(cluster, "no such file", "retag", "--rules", dir.resolve("none.yaml").toString());
        assertRefused(cluster, "", "retag", "--rules", dir.toString());
        assertRefused(cluster, "", "retag", "--regex", "^user:(.*)$", "--to", "user:$1");
        assertRefused(cluster, "", "retag", "--regex", "^user:(.*)$", "--to", "{u}$1", "--mode", "moove");
    }

    @Test
    void badMigrationsAreRefusedAndLeaveNoHistory(LocalCluster cluster) throws IOException {
        Topology topology = TestClusters.topology(cluster);
        String m0 = topology.masters().get(0).address();
        String replica = cluster.replicas().get(0).address();
        Map<String, String> scripts = new TreeMap<>(Map.ofEntries(
                Map.entry("unknown-step", "steps:\n  - resharding: {to: " + m0 + ", slots: 10}\n"),
                Map.entry("unknown-option", "steps:\n  - drain: {node: " + m0 + ", nodes: x}\n"),
                Map.entry("reversed", "steps:\n  - move-slots: {slots: 200-100, to: " + m0 + "}\n"),
                Map.entry("out-of-range", "steps:\n  - move-slots: {slots: 0-16384, to: " + m0 + "}\n"),
                Map.entry("negative", "steps:\n  - move-slots: {slots: -1, to: " + m0 + "}\n"),
                Map.entry("huge", "steps:\n  - reshard: {to: " + m0 + ", slots: 99999999999999999999}\n"),
                Map.entry("wrong-type", "steps:\n  - reshard: {to: " + m0 + ", slots: '10'}\n"),
                Map.entry("truncated", "steps:\n  - move-slots: {slots: 0-9, to: "),
                Map.entry("alias", "steps:\n  - drain: {node: &n " + m0 + "}\n  - drain: {node: *n}\n"),
                Map.entry("unknown-node", "steps:\n  - move-slots: {slots: 0-9, to: nosuchnode}\n"),
                Map.entry("replica-target", "steps:\n  - move-slots: {slots: 0-9, to: '" + replica + "'}\n"),
                Map.entry("bad-retag", "steps:\n  - retag: {regex: '^a(', to: '{a}'}\n")));
        for (Map.Entry<String, String> script : scripts.entrySet()) {
            Path location = Files.createDirectories(dir.resolve("migrations-" + script.getKey()));
            Files.writeString(location.resolve("V1__" + script.getKey().replace('-', '_') + ".yaml"),
                    script.getValue());
            if (script.getKey().matches("unknown-node|replica-target")) {
                // Well formed: only the cluster knows the node, and migrate asks it before recording anything.
                assertRefused(cluster, "V1 (" + script.getKey().replace('-', ' ') + ") step 1 (move-slots): ",
                        "migrate", "--location", location.toString());
                continue;
            }
            for (String command : List.of("migrate", "info", "validate", "repair")) {
                assertRefused(cluster, "V1__", command, "--location", location.toString());
            }
            assertRefused(cluster, "V1__", "baseline", "--location", location.toString(), "--version", "1");
        }
        Path duplicates = Files.createDirectories(dir.resolve("migrations-duplicate"));
        Files.writeString(duplicates.resolve("V1__a.yaml"), "steps:\n  - drain: {node: " + m0 + "}\n");
        Files.writeString(duplicates.resolve("V1.0__b.json"), "{\"steps\": [{\"drain\": {\"node\": \"" + m0 + "\"}}]}");
        assertRefused(cluster, "", "migrate", "--location", duplicates.toString());
        Path file = duplicates.resolve("V1__a.yaml");
        assertRefused(cluster, "", "migrate", "--location", file.toString());
        assertRefused(cluster, "", "info", "--location", dir.resolve("none").toString());
        assertRefused(cluster, "target", "migrate", "--location", duplicates.toString(), "--target", "abc");
        assertRefused(cluster, "--version", "baseline", "--location", duplicates.toString(), "--version", "1..2");
    }

    @AfterEach
    void everyCaseWasRefused() {
        assertThat(problems).isEmpty();
    }

    /**
     * Runs {@code reslot -c SEED --yes args...} and notes a problem unless it exits 2 with one line on stderr that
     * contains {@code message}, and the cluster is as it was.
     */
    private void assertRefused(LocalCluster cluster, String message, String... args) {
        assertRefused(cluster, 2, message, args);
    }

    /** As {@link #assertRefused(LocalCluster, String, String...)}, with exit {@code exit} (0: nothing on stderr). */
    private void assertRefused(LocalCluster cluster, int exit, String message, String... args) {
        cases++;
        Snapshot before = snapshot(cluster);
        List<String> vector = new ArrayList<>(List.of("-c", seed(cluster), "--yes"));
        vector.addAll(List.of(args));

        Cli.Result result = Cli.run(vector.toArray(new String[0]));

        String err = result.stderr();
        String what = "reslot " + String.join(" ", vector) + ": exit " + result.exit() + ", " + err;
        boolean said = exit == 0 ? err.isEmpty()
                : err.startsWith("reslot: ") && err.contains(message) && err.indexOf('\n') == err.length() - 1;
        if (result.exit() != exit || !said) {
            problems.add(what);
        }
        Snapshot after = snapshot(cluster);
        if (!after.equals(before)) {
            problems.add(what + ": the cluster changed: " + before + " -> " + after);
        }
    }

    static Snapshot snapshot(LocalCluster cluster) {
        List<String> slotMap = new ArrayList<>();
        Map<String, Long> dbsize = new TreeMap<>();
        Map<String, String> reslotKeys = new TreeMap<>();
        for (ClusterNode node : cluster.nodes()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                for (String line : c.sync().clusterNodes().split("\n")) {
                    String[] f = line.strip().split(" ");
                    // id, role, master, slots: not the address's bus port, the ping times, epochs or link state
                    slotMap.add(node.nodeId() + " sees " + f[0] + " " + f[2].replace("myself,", "") + " " + f[3] + " "
                            + String.join(" ", List.of(f).subList(8, f.length)));
                }
                if (node.isMaster()) {
                    dbsize.put(node.nodeId(), c.sync().dbsize());
                    for (String key : c.sync().keys("{reslot}*")) {
                        reslotKeys.put(key, Base64.getEncoder().encodeToString(c.sync().dump(key)));
                    }
                }
            }
        }
        slotMap.sort(Comparator.naturalOrder());
        Map<String, String> dumps = new TreeMap<>();
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            for (String key : sample) {
                dumps.put(key, Base64.getEncoder().encodeToString(c.sync().dump(key)));
            }
        }
        return new Snapshot(slotMap, dbsize, dumps, reslotKeys);
    }

    private static String commonPrefix(String a, String b) {
        int n = 0;
        while (n < Math.min(a.length(), b.length()) && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return a.substring(0, n);
    }
}
