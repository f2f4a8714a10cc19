package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command with {@code --json} on a sandbox cluster: stdout is exactly one JSON document, stderr only JSON lines
 * (the progress events). Commands that change the cluster run with {@code --dry-run} first, then for real on this
 * class's throwaway cluster. Also: a password from the environment or a file works and is never printed.
 */
@WithLocalCluster(masters = 3)
class JsonOutputIT {

    /** Rejects trailing content: "exactly one document", not "starts with one". */
    private static final ObjectReader ONE_DOCUMENT = new ObjectMapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Path EXAMPLES = Path.of("..", "examples", "migrations");

    @TempDir
    Path dir;

    private final Set<String> covered = new LinkedHashSet<>();

    @Test
    void everyCommandPrintsExactlyOneJsonDocument(LocalCluster cluster) throws IOException {
        TestClusters.load(cluster, "json", 300);
        try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
            for (int id = 0; id < 20; id++) {
                redis.sync().set("user:" + id + ":name", "n" + id);
                redis.sync().set("user:" + id + ":cart", "c" + id);
            }
        }
        for (String name : new String[] {"V1__Rebalance_onto_empty_masters.yaml", "V2__Tag_users.yaml"}) {
            Files.copy(EXAMPLES.resolve(name), dir.resolve(name));
        }
        String location = dir.toString();
        Topology topology = TestClusters.topology(cluster);
        NodeInfo first = topology.masters().get(0);
        NodeInfo last = topology.masters().get(2);
        String retag = "--match|user:*|--regex|^user:(?<id>[0-9]+):(?<f>.*)$|--to|user:{${id}}:${f}";

        // what reads, and what would change, with --dry-run
        json(cluster, 0, "slot|foo|bar");
        json(cluster, 0, "nodes");
        json(cluster, 0, "check");
        json(cluster, 0, "fix|--dry-run");
        json(cluster, 0, "reshard|--to|" + last.address() + "|--slots|10|--dry-run");
        json(cluster, 0, "move-slots|--slots|" + first.slots().next(0) + "|--to|" + last.address() + "|--dry-run");
        json(cluster, 0, "rebalance|--dry-run");
        json(cluster, 0, "drain|--node|" + first.address() + "|--dry-run");
        json(cluster, 0, "retag|" + retag + "|--dry-run");
        json(cluster, 0, "info|--location|" + location);
        json(cluster, 0, "validate|--location|" + location);
        JsonNode baselinePreview = json(cluster, 0, "baseline|--location|" + location + "|--version|1|--dry-run");
        assertThat(baselinePreview.get("dryRun").asBoolean()).isTrue();
        assertThat(baselinePreview.get("migrations").size()).isEqualTo(2);
        assertThat(json(cluster, 0, "repair|--location|" + location + "|--dry-run").get("dryRun").asBoolean())
                .isTrue();
        assertThat(json(cluster, 0, "migrate|--location|" + location + "|--dry-run").get("dryRun").asBoolean())
                .isTrue();
        assertThat(TestClusters.slotsByMaster(cluster)).as("the dry runs changed nothing")
                .isEqualTo(slotsOf(topology));

        // for real: --json asks nothing
        JsonNode reshard = json(cluster, 0, "reshard|--to|" + last.address() + "|--slots|5");
        assertThat(reshard.at("/outcome/completed").asBoolean()).isTrue();
        json(cluster, 0, "resume|--job|" + reshard.get("job").asText()); // done: nothing left to move
        assertThat(json(cluster, 0, "retag|" + retag).get("counts")).isNotNull();
        JsonNode baseline = json(cluster, 0, "baseline|--location|" + location + "|--version|1");
        assertThat(baseline.get("state").asText()).isEqualTo("BASELINE");
        assertThat(baseline.get("dryRun").asBoolean()).isFalse();
        assertThat(json(cluster, 0, "migrate|--location|" + location).at("/result/currentVersion").asText())
                .isEqualTo("2");
        assertThat(json(cluster, 0, "repair|--location|" + location).get("dryRun").asBoolean()).isFalse();
        json(cluster, 0, "fix");
        TestClusters.assertHealthy(cluster);
        assertThat(json(cluster, 0, "demo|--keys|2000|--direct").get("passed").asBoolean()).isTrue(); // its own cluster

        // a sandbox of its own, recorded in this test's directory
        Map<String, String> sandboxes = Map.of(SandboxState.HOME_ENV, dir.resolve("sandboxes").toString());
        JsonNode up = json(cluster, sandboxes, 0, "sandbox|up|--masters|1");
        JsonNode down;
        try {
            assertThat(up.at("/sandbox/nodes")).hasSize(1);
            assertThat(up.get("seed").asText()).isEqualTo(up.at("/sandbox/nodes/0/address").asText());
            assertThat(json(cluster, sandboxes, 0, "sandbox|status").at("/sandboxes/0/clusterState").asText())
                    .isEqualTo("ok");
        } finally {
            down = json(cluster, sandboxes, 0, "sandbox|down");
        }
        assertThat(down.at("/stopped/0/nodes/0/outcome").asText()).isIn("terminated", "killed");

        assertThat(covered).containsAll(Commands.ALL.stream().map(Command::name).toList());
    }

    @Test
    void takesThePasswordFromTheEnvironmentOrAFileAndNeverPrintsIt(LocalCluster cluster) throws IOException {
        String secret = "s3cret-Pa55";
        List<StatefulRedisConnection<String, String>> nodes = new ArrayList<>();
        for (ClusterNode node : cluster.nodes()) {
            nodes.add(cluster.connect(node)); // authenticated before the password is set, so they can unset it
        }
        try {
            nodes.forEach(c -> c.sync().configSet("requirepass", secret));
            Path file = Files.writeString(dir.resolve("password"), secret + "\n");

            Cli.Result fromEnv = Cli.runWithEnv(Map.of("MY_PASS", secret), "-c", seed(cluster), "--json",
                    "--password-env", "MY_PASS", "check");
            Cli.Result fromFile = Cli.run("-c", seed(cluster), "--json", "--password-file", file.toString(), "nodes");
            Cli.Result fromRedisCliAuth = Cli.runWithEnv(Map.of(Connection.PASSWORD_ENV, secret), "-c", seed(cluster),
                    "nodes");
            Cli.Result wrong = Cli.runWithEnv(Map.of("MY_PASS", "wrong-" + secret), "-c", seed(cluster), "--json",
                    "--password-env", "MY_PASS", "-v", "nodes");
            Cli.Result none = Cli.run("-c", seed(cluster), "--json", "nodes");
            Cli.Result onTheCommandLine = Cli.run("-c", seed(cluster), "--password=" + secret, "nodes");

            assertThat(fromEnv.exit()).as(fromEnv.stderr()).isZero();
            assertThat(ONE_DOCUMENT.readTree(fromEnv.stdoutBytes()).get("healthy").asBoolean()).isTrue();
            assertThat(fromFile.exit()).as(fromFile.stderr()).isZero();
            assertThat(ONE_DOCUMENT.readTree(fromFile.stdoutBytes()).get("nodes").size()).isEqualTo(3);
            assertThat(fromRedisCliAuth.exit()).as(fromRedisCliAuth.stderr()).isZero();
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(none.exit()).isEqualTo(1);
            assertThat(onTheCommandLine.exit()).isEqualTo(2);
            for (Cli.Result result : List.of(fromEnv, fromFile, fromRedisCliAuth, wrong, none, onTheCommandLine)) {
                assertThat(result.stdout() + result.stderr()).doesNotContain(secret);
            }
        } finally {
            nodes.forEach(c -> {
                c.sync().configSet("requirepass", "");
                c.close();
            });
        }
    }

    /**
     * Runs {@code reslot -c SEED --json} with the {@code |}-separated {@code args}, asserts the exit code, that stdout
     * is exactly one JSON document and that every line on stderr is a JSON object, and returns the document.
     */
    private JsonNode json(LocalCluster cluster, int exit, String args) throws IOException {
        return json(cluster, Map.of(), exit, args);
    }

    /** As {@link #json(LocalCluster, int, String)}, in the environment {@code env}. */
    private JsonNode json(LocalCluster cluster, Map<String, String> env, int exit, String args) throws IOException {
        List<String> command = new ArrayList<>(List.of("-c", seed(cluster), "--json"));
        command.addAll(List.of(args.split("\\|")));
        covered.add(command.get(3));
        Cli.Result result = Cli.runWithEnv(env, command.toArray(new String[0]));

        assertThat(result.exit()).as(args + ": " + result.stderr()).isEqualTo(exit);
        JsonNode document = ONE_DOCUMENT.readTree(result.stdoutBytes());
        assertThat(document).as(args).isNotNull();
        assertThat(document.isContainerNode()).as(args).isTrue();
        for (String line : result.stderr().lines().toList()) {
            assertThat(ONE_DOCUMENT.readTree(line).get("event")).as(args + ": " + line).isNotNull();
        }
        return document;
    }

    private static Map<String, String> slotsOf(Topology topology) {
        Map<String, String> slots = new java.util.TreeMap<>();
        topology.masters().forEach(m -> slots.put(m.id(), m.slots().toString()));
        return slots;
    }
}
