package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.SecuredClusters.ADMIN_PASSWORD;
import static io.reslot.cli.SecuredClusters.run;
import static io.reslot.cli.TestClusters.slotsByMaster;
import static io.reslot.cli.TestClusters.topology;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's ACL line, configured on every node of a cluster whose default user has another password: every
 * command works through it end to end (so {@code MIGRATE} authenticated on the targets with {@code AUTH2 reslot ...})
 * and no node logs a denial; a user lacking one permission is refused by the preflight, naming it, before anything
 * changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AclIT {

    private static final String USER = "reslot";
    private static final String PASSWORD = "reslot-Acl-Pa55";
    private static final Path EXAMPLES = Path.of("..", "examples", "migrations");

    private LocalCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws IOException {
        cluster = LocalCluster.builder().masters(3).password(ADMIN_PASSWORD).start();
        SecuredClusters.setUser(cluster, USER, PASSWORD, SecuredClusters.documentedRules());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void runsEveryCommandWithTheDocumentedAclAndNoDenial() throws IOException {
        List<String> keys = TestClusters.load(cluster, "acl", 400);
        try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
            for (int id = 0; id < 30; id++) {
                redis.sync().set("user:" + id + ":name", "n" + id);
                redis.sync().hset("user:" + id + ":cart", "item", "c" + id);
                redis.sync().set("shop:" + id + ":stock", "s" + id);
            }
        }
        for (String name : new String[] {"V1__Rebalance_onto_empty_masters.yaml", "V2__Tag_users.yaml"}) {
            Files.copy(EXAMPLES.resolve(name), dir.resolve(name));
        }
        SecuredClusters.resetAclLog(cluster);
        Topology topology = topology(cluster);
        NodeInfo first = topology.masters().get(0);
        NodeInfo second = topology.masters().get(1);
        NodeInfo third = topology.masters().get(2);
        String location = dir.toString();
        String[] users = {"--match", "user:*", "--regex", "^user:(?<id>[0-9]+):(?<f>.*)$", "--to", "user:{${id}}:${f}"};
        String[] shops = {"--match", "shop:*", "--regex", "^shop:(?<id>[0-9]+):(?<f>.*)$", "--to", "shop:{${id}}:${f}"};

        ok("nodes");
        ok("check");
        String reshard = ok("--json", "reshard", "--to", third.address(), "--slots", "40", "--wait-replicas", "0");
        ok("--yes", "move-slots", "--slots", String.valueOf(first.slots().next(0)), "--to", second.address(),
                "--on-busy-key", "compare");
        ok("--yes", "rebalance", "--threshold", "0");
        ok("--yes", "drain", "--node", first.address());
        String job = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reshard).get("job").asText();
        ok("--yes", "resume", "--job", job); // finished: nothing left to move, but the whole path up to the mover
        openASlot();
        ok("--yes", "fix");
        for (String mode : new String[] {"copy", "verify", "cleanup"}) {
            List<String> args = new ArrayList<>(List.of("--yes", "retag"));
            args.addAll(List.of(users));
            args.add("--mode=" + mode);
            Cli.Result result = run(cluster, USER, PASSWORD, args.toArray(new String[0]));
            assertThat(result.exit()).as(mode + ": " + result.stderr()).isIn(0, ExitCode.PROBLEMS);
        }
        List<String> retag = new ArrayList<>(List.of("--yes", "retag"));
        retag.addAll(List.of(shops));
        ok(retag.toArray(new String[0]));
        ok("info", "--location", location);
        ok("--yes", "baseline", "--location", location, "--version", "0");
        ok("--yes", "migrate", "--location", location);
        ok("validate", "--location", location);
        ok("--yes", "repair", "--location", location);

        assertThat(SecuredClusters.aclLog(cluster)).as("denials logged by the nodes")
                .allSatisfy((node, entries) -> assertThat(entries).as(node).isEmpty());
        TestClusters.assertValues(cluster, keys);
        try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
            assertThat(redis.sync().get("user:{7}:name")).isEqualTo("n7");
            assertThat(redis.sync().hget("user:{7}:cart", "item")).isEqualTo("c7");
            assertThat(redis.sync().get("shop:{7}:stock")).isEqualTo("s7");
            assertThat(redis.sync().exists("shop:7:stock")).isZero();
        }
    }

    @Test
    @Order(2)
    void refusesAUserLackingMigrateBeforeChangingAnything() throws IOException {
        documentedUserWithout("no-migrate", "migrate");
        Map<String, String> slots = slotsByMaster(cluster);
        Map<String, String> records = SecuredClusters.reslotRecords(cluster);
        long keys = TestClusters.userKeys(cluster);
        NodeInfo target = topology(cluster).masters().get(0);

        Cli.Result refused = run(cluster, "no-migrate", PASSWORD, "--yes", "reshard", "--to", target.address(),
                "--slots", "50");

        assertThat(refused.exit()).as(refused.stderr()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.stderr()).contains("user 'no-migrate' lacks permission 'migrate' on " + target.host(),
                "nothing was changed", "ACL SETUSER no-migrate +migrate").doesNotContain("restore");
        assertUnchanged(slots, records, keys);
    }

    @Test
    @Order(3)
    void refusesARetagByAUserLackingRestoreBeforeChangingAnything() throws IOException {
        documentedUserWithout("no-restore", "restore");
        try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
            for (int id = 0; id < 20; id++) {
                redis.sync().set("cart:" + id + ":total", "t" + id);
            }
        }
        Map<String, String> slots = slotsByMaster(cluster);
        Map<String, String> records = SecuredClusters.reslotRecords(cluster);
        long keys = TestClusters.userKeys(cluster);

        Cli.Result refused = run(cluster, "no-restore", PASSWORD, "--yes", "retag", "--match", "cart:*", "--regex",
                "^cart:(?<id>[0-9]+):(?<f>.*)$", "--to", "cart:{${id}}:${f}");
        Cli.Result migrate = run(cluster, "no-restore", PASSWORD, "--yes", "migrate", "--location", dir.toString());

        assertThat(refused.exit()).as(refused.stderr()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.stderr()).contains("lacks permission 'restore' on", "(needed by retag)",
                "nothing was changed");
        assertThat(migrate.exit()).as(migrate.stderr()).isEqualTo(ExitCode.FAILED);
        assertThat(migrate.stderr()).contains("lacks permission 'restore' on", "nothing was changed");
        assertUnchanged(slots, records, keys);
        try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
            assertThat(redis.sync().get("cart:3:total")).isEqualTo("t3");
            assertThat(redis.sync().exists("cart:{3}:total")).isZero();
        }
    }

    /** Creates {@code user} on every node with the documented ACL less {@code command}. */
    private void documentedUserWithout(String user, String command) throws IOException {
        List<String> rules = new ArrayList<>(SecuredClusters.documentedRules());
        rules.add("-" + command);
        SecuredClusters.setUser(cluster, user, PASSWORD, rules);
    }

    private void assertUnchanged(Map<String, String> slots, Map<String, String> records, long keys) {
        assertThat(slotsByMaster(cluster)).as("slot map").isEqualTo(slots);
        assertThat(SecuredClusters.reslotRecords(cluster)).as("reslot's records (no lock, job or history)")
                .isEqualTo(records);
        assertThat(TestClusters.userKeys(cluster)).as("user keys").isEqualTo(keys);
    }

    /** Runs reslot as the documented user, asserts it succeeded, and returns its stdout. */
    private String ok(String... args) {
        Cli.Result result = run(cluster, USER, PASSWORD, args);
        assertThat(result.exit()).as(String.join(" ", args) + ": " + result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout() + result.stderr()).doesNotContain(PASSWORD);
        return result.stdout();
    }

    /** A slot left half-moved (IMPORTING and MIGRATING), as a killed run leaves it, for {@code fix}. */
    private void openASlot() {
        Topology topology = topology(cluster);
        NodeInfo source = topology.masters().stream().filter(m -> !m.slots().isEmpty()).findFirst().orElseThrow();
        NodeInfo target = topology.masters().stream().filter(m -> m != source).findFirst().orElseThrow();
        int slot = source.slots().next(0);
        try (StatefulRedisConnection<String, String> src = cluster.connect(node(source));
                StatefulRedisConnection<String, String> tgt = cluster.connect(node(target))) {
            tgt.sync().clusterSetSlotImporting(slot, source.id());
            src.sync().clusterSetSlotMigrating(slot, target.id());
        }
    }

    private ClusterNode node(NodeInfo info) {
        return cluster.nodes().stream().filter(n -> n.nodeId().equals(info.id())).findFirst().orElseThrow();
    }
}
