package io.reslot.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reslot nodes} and {@code reslot check} run in-process against a sandbox cluster (3 masters, 1 replica each). */
@WithLocalCluster(masters = 3, replicas = 1)
class ClusterCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String seed(LocalCluster cluster) {
        return cluster.masters().get(0).address();
    }

    @Test
    void listsEveryNodeAsATable(LocalCluster cluster) {
        Cli.Result result = Cli.run("-c", seed(cluster), "nodes");

        assertThat(result.exit()).isZero();
        assertThat(result.stderr()).isEmpty();
        String[] lines = result.stdout().split("\n");
        assertThat(lines).hasSize(7);
        assertThat(lines[0]).matches("ID +ADDRESS +ROLE +MASTER +SLOTS +RANGES +KEYS +OPEN");
        for (ClusterNode node : cluster.nodes()) {
            String role = node.isMaster() ? "master" : "replica";
            assertThat(lines).anyMatch(line -> line.startsWith(node.nodeId().substring(0, 8) + "  " + node.address())
                    && line.contains(" " + role + " "));
        }
        assertThat(lines).filteredOn(line -> line.contains(" master ")).allMatch(line -> line.matches(".* 546[12] .*"));
    }

    @Test
    void listsEveryNodeAsJson(LocalCluster cluster) throws Exception {
        Cli.Result result = Cli.run("--json", "nodes", "--cluster", seed(cluster));

        assertThat(result.exit()).isZero();
        JsonNode nodes = JSON.readTree(result.stdout()).get("nodes");
        assertThat(nodes).hasSize(6);
        for (JsonNode node : nodes) {
            assertThat(node.get("id").asText()).hasSize(40);
            assertThat(node.get("answered").asBoolean()).isTrue();
            assertThat(node.get("keys").isIntegralNumber()).isTrue();
            if (node.get("role").asText().equals("master")) {
                assertThat(node.get("slots").asText()).matches("\\d+-\\d+");
            }
        }
    }

    @Test
    void exitsWith0OnAHealthyCluster(LocalCluster cluster) {
        Cli.Result result = Cli.run("check", "-c", seed(cluster));

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("6 nodes (3 masters), 6 answered: healthy");
        assertThat(result.stderr()).isEmpty();

        Cli.Result quiet = Cli.run("-q", "check", "-c", seed(cluster));

        assertThat(quiet.exit()).isZero();
        assertThat(quiet.stdout()).isEmpty();
    }

    @Test
    void exitsWith3AndReportsBothSidesOfAnOpenSlot(LocalCluster cluster) throws Exception {
        ClusterNode source = cluster.masters().get(0);
        ClusterNode target = cluster.masters().get(1);
        int slot = 100; // the sandbox gives the first master 0-5460
        try (StatefulRedisConnection<String, String> onSource = cluster.connect(source);
                StatefulRedisConnection<String, String> onTarget = cluster.connect(target)) {
            try {
                onTarget.sync().clusterSetSlotImporting(slot, source.nodeId());
                onSource.sync().clusterSetSlotMigrating(slot, target.nodeId());

                Cli.Result text = Cli.run("-c", seed(cluster), "check");
                Cli.Result json = Cli.run("-c", seed(cluster), "check", "--json");

                assertThat(text.exit()).isEqualTo(3);
                assertThat(text.stdout()).startsWith("6 nodes (3 masters), 6 answered: 1 problem\n")
                        .containsPattern("\nopen-slot +100 +slot 100 is MIGRATING on " + source.address());
                assertThat(json.exit()).isEqualTo(3);
                assertThat(json.stdout()).endsWith("}\n").hasLineCount(1);
                JsonNode report = JSON.readTree(json.stdout());
                assertThat(report.get("healthy").asBoolean()).isFalse();
                JsonNode problem = report.get("problems").get(0);
                assertThat(problem.get("kind").asText()).isEqualTo("OPEN_SLOT");
                assertThat(problem.get("slots").asText()).isEqualTo("100");
                JsonNode open = problem.get("openSlot");
                assertThat(open.get("source").get("id").asText()).isEqualTo(source.nodeId());
                assertThat(open.get("target").get("id").asText()).isEqualTo(target.nodeId());
                assertThat(open.get("migrating").asBoolean()).isTrue();
                assertThat(open.get("importing").asBoolean()).isTrue();
            } finally {
                onSource.sync().clusterSetSlotStable(slot);
                onTarget.sync().clusterSetSlotStable(slot);
            }
        }
        assertThat(Cli.run("-c", seed(cluster), "check").exit()).isZero();
    }

    @Test
    void exitsWith1NamingTheSeedWhenNoneAnswers() {
        Cli.Result result = Cli.run("-c", "127.0.0.1:1", "nodes");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).startsWith("reslot: no node answered: 127.0.0.1:1 did not answer: ")
                .endsWith("\n").hasLineCount(1);
    }

    @Test
    void exitsWith2OnABadSeed(LocalCluster cluster) {
        Cli.Result result = Cli.run("-c", seed(cluster), "-c", "127.0.0.1:0", "check");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("reslot: --cluster: '127.0.0.1:0' is not HOST:PORT\n");
    }

    /** A cluster of its own, since requiring a password would lock the shared one's sandbox out. */
    @Test
    void authenticatesWithThePasswordFromTheEnvironment() {
        try (LocalCluster locked = LocalCluster.builder().masters(3).start()) {
            for (ClusterNode node : locked.nodes()) {
                try (StatefulRedisConnection<String, String> c = locked.connect(node)) {
                    RedisCommands<String, String> commands = c.sync();
                    commands.configSet("requirepass", "s3cret pass");
                }
            }
            String seed = seed(locked);

            Cli.Result withVariable = Cli.runWithEnv(Map.of("RESLOT_TEST_PASS", "s3cret pass"),
                    "-c", seed, "--password-env", "RESLOT_TEST_PASS", "check");
            Cli.Result withRedisCliAuth = Cli.runWithEnv(Map.of("REDISCLI_AUTH", "s3cret pass"), "-c", seed, "nodes");
            Cli.Result without = Cli.run("-c", seed, "nodes");
            Cli.Result wrong = Cli.runWithEnv(Map.of("REDISCLI_AUTH", "wrong"), "-c", seed, "nodes");

            assertThat(withVariable.exit()).as(withVariable.stderr()).isZero();
            assertThat(withRedisCliAuth.exit()).as(withRedisCliAuth.stderr()).isZero();
            assertThat(without.exit()).isEqualTo(1);
            assertThat(without.stderr()).startsWith("reslot: " + seed + " refused the credentials: NOAUTH");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.stderr()).startsWith("reslot: " + seed + " refused the credentials: ")
                    .contains("WRONGPASS").doesNotContain("wrong ");
        }
    }
}
