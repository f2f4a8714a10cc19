package io.reslot.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reslot migrate}, {@code info}, {@code validate}, {@code baseline} and {@code repair} in-process, with the
 * example migrations of {@code examples/migrations}, on 3 masters and one added empty.
 */
@WithLocalCluster(masters = 3)
class MigrateCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = Path.of("..", "examples", "migrations");

    @TempDir
    Path dir;

    @Test
    void appliesTheExamplesAndReportsEveryStateAndExitCode(LocalCluster cluster) throws IOException {
        ClusterNode empty = cluster.addMaster();
        try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
            for (int id = 0; id < 50; id++) {
                redis.sync().set("user:" + id + ":name", "n" + id);
                redis.sync().set("user:" + id + ":cart", "c" + id);
            }
            // the examples as shipped: they name no node, so they fit any cluster with an empty master
            for (String name : new String[] {"V1__Rebalance_onto_empty_masters.yaml", "V2__Tag_users.yaml"}) {
                Files.copy(EXAMPLES.resolve(name), dir.resolve(name));
            }
            String location = dir.toString();

            Cli.Result dry = Cli.run("-c", seed(cluster), "migrate", "--location", location, "--dry-run");
            assertThat(dry.exit()).isEqualTo(0);
            assertThat(new String(dry.stdoutBytes())).contains("V1 Rebalance onto empty masters",
                    "step 1: rebalance", "V2 Tag users", "step 1: retag", "4096 slots");
            assertThat(redis.sync().exists("user:{7}:cart")).isZero();

            Cli.Result notConfirmed = Cli.runWithStdin("n\n", "-c", seed(cluster), "migrate", "--location", location);
            assertThat(notConfirmed.exit()).isEqualTo(1);

            Cli.Result migrate = Cli.run("-c", seed(cluster), "migrate", "--location", location, "--yes");
            assertThat(migrate.exit()).as(migrate.stderr()).isEqualTo(0);
            assertThat(migrate.stderr()).contains("reslot: V1 step 1: rebalance", "reslot: V2 step 1: retag");
            assertThat(new String(migrate.stdoutBytes())).contains("applied V1 (Rebalance onto empty masters)",
                    "now at version 2");
            assertThat(TestClusters.topology(cluster).node(empty.nodeId()).slots().size()).isEqualTo(4096);
            assertThat(redis.sync().get("user:{7}:cart")).isEqualTo("c7");

            Cli.Result again = Cli.run("-c", seed(cluster), "--json", "migrate", "--location", location);
            assertThat(again.exit()).isEqualTo(0);
            assertThat(JSON.readTree(again.stdoutBytes()).at("/result/migrations").size()).isZero();

            Cli.Result info = Cli.run("-c", seed(cluster), "--json", "info", "--location", location);
            JsonNode migrations = JSON.readTree(info.stdoutBytes()).get("migrations");
            assertThat(migrations.size()).isEqualTo(2);
            assertThat(migrations.get(1).get("state").asText()).isEqualTo("SUCCESS");
            assertThat(Cli.run("-c", seed(cluster), "info", "--location", location).exit()).isZero();
            assertThat(Cli.run("-c", seed(cluster), "validate", "--location", location).exit()).isZero();

            Path v2 = dir.resolve("V2__Tag_users.yaml");
            Files.writeString(v2, Files.readString(v2) + "# edited\n");
            Cli.Result invalid = Cli.run("-c", seed(cluster), "validate", "--location", location);
            assertThat(invalid.exit()).isEqualTo(3);
            assertThat(new String(invalid.stdoutBytes())).contains("V2 (Tag users): applied with checksum sha256:");
            assertThat(Cli.run("-c", seed(cluster), "migrate", "--location", location, "--yes").exit()).isEqualTo(3);

            Cli.Result repair = Cli.runWithStdin("y\n", "-c", seed(cluster), "repair", "--location", location);
            assertThat(repair.exit()).isZero();
            assertThat(new String(repair.stdoutBytes())).contains("realign V2 (Tag users): checksum sha256:");
            assertThat(Cli.run("-c", seed(cluster), "validate", "--location", location).exit()).isZero();

            Cli.Result baseline = Cli.run("-c", seed(cluster), "baseline", "--location", location, "--version", "1");
            assertThat(baseline.exit()).isEqualTo(2);
            assertThat(baseline.stderr()).contains("already has 2 entries");

            Files.writeString(dir.resolve("V3__Broken.yaml"), "steps:\n  - retag: {regex: a, to: b, oops: 1}\n");
            Cli.Result broken = Cli.run("-c", seed(cluster), "migrate", "--location", location, "--yes");
            assertThat(broken.exit()).isEqualTo(2);
            assertThat(broken.stderr()).contains("V3__Broken.yaml:2:");
        }
    }
}
