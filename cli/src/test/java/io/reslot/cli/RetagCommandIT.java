package io.reslot.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code reslot retag} in-process against one sandbox cluster; each test uses a key space of its own. */
@WithLocalCluster(masters = 3)
class RetagCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void load(LocalCluster cluster, String space, int ids) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int id = 0; id < ids; id++) {
                sent.add(c.async().set(space + ":" + id + ":profile", "p" + id));
                sent.add(c.async().set(space + ":" + id + ":cart", "c" + id));
            }
            assertThat(LettuceFutures.awaitAll(60, TimeUnit.SECONDS, sent.toArray(new RedisFuture[0]))).isTrue();
        }
    }

    private static String[] rule(LocalCluster cluster, String space, String... more) {
        String[] base = {"-c", seed(cluster), "retag", "--match", space + ":*", "--regex",
                "^" + space + ":(?<id>[0-9]+):(?<rest>.*)$", "--to", space + ":{${id}}:${rest}"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static long count(LocalCluster cluster, String pattern) {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            long n = 0;
            for (var master : cluster.masters()) {
                try (var node = cluster.connect(master)) {
                    n += node.sync().keys(pattern).size();
                }
            }
            return n;
        }
    }

    @Test
    void refusesBadRulesWithExit2AndTouchesNothing(LocalCluster cluster, @TempDir Path dir) throws Exception {
        load(cluster, "bad", 20);
        Cli.Result regex = Cli.run("-c", seed(cluster), "retag", "--regex", "^bad:(?<id>[0-9+):(.*)$", "--to",
                "bad:{${id}}");
        Cli.Result group = Cli.run("-c", seed(cluster), "retag", "--regex", "^bad:(?<id>[0-9]+):(.*)$", "--to",
                "bad:{${nope}}");
        Cli.Result untagged = Cli.run("-c", seed(cluster), "retag", "--regex", "^bad:(?<id>[0-9]+):(.*)$", "--to",
                "bad:${id}");
        Path file = Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - regex: '^x$'\n    to: 'y{1}'\n    colour: red\n");
        Cli.Result yaml = Cli.run("-c", seed(cluster), "retag", "--rules", file.toString());
        Cli.Result both = Cli.run("-c", seed(cluster), "retag", "--rules", file.toString(), "--regex", "x");
        Cli.Result mode = Cli.run(rule(cluster, "bad", "--mode", "shuffle"));

        for (Cli.Result result : new Cli.Result[] {regex, group, untagged, yaml, both, mode}) {
            assertThat(result.exit()).as(result.stderr()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(result.stdout()).isEmpty();
        }
        assertThat(regex.stderr()).contains("rule 1");
        assertThat(group.stderr()).contains("nope");
        assertThat(untagged.stderr()).contains("tag");
        assertThat(yaml.stderr()).contains("rules.yaml:4:").contains("colour");
        assertThat(mode.stderr()).contains("--mode shuffle: give one of move, copy, cleanup, verify");
        assertThat(count(cluster, "bad:*")).isEqualTo(40);
        assertThat(count(cluster, "bad:{*")).isZero();
    }

    @Test
    void showsThePlanAsksAndRetags(LocalCluster cluster) throws Exception {
        load(cluster, "shop", 500);

        Cli.Result dryRun = Cli.run(rule(cluster, "shop", "--dry-run"));
        assertThat(dryRun.exit()).as(dryRun.stderr()).isZero();
        assertThat(dryRun.stdout()).contains("1000 to rename", "largest tag groups", "bytes to move");
        assertThat(dryRun.stderr()).isEqualTo("reslot: --dry-run: nothing was changed\n");
        Cli.Result refused = Cli.runWithStdin("no\n", rule(cluster, "shop"));
        assertThat(refused.exit()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(refused.stderr()).contains("Retag 1000 keys (move)? [y/N] reslot: not confirmed; nothing was changed");
        assertThat(count(cluster, "shop:{*")).isZero();

        Cli.Result done = Cli.runWithStdin("y\n", rule(cluster, "shop"));

        assertThat(done.exit()).as(done.stderr()).isZero();
        assertThat(done.stdout()).contains("move: ", "1000 matched", "1000 moved");
        assertThat(count(cluster, "shop:{*")).isEqualTo(1000);
        assertThat(count(cluster, "shop:*")).isEqualTo(1000); // the new names only

        Cli.Result verify = Cli.run(rule(cluster, "shop", "--mode", "verify"));
        assertThat(verify.exit()).as(verify.stdout() + verify.stderr()).isZero();
    }

    @Test
    void copiesThenVerifyReportsLeftOversAndCleanupEndsThem(LocalCluster cluster) throws Exception {
        load(cluster, "roll", 100);

        Cli.Result copy = Cli.run(rule(cluster, "roll", "--mode", "copy", "--yes"));
        assertThat(copy.exit()).as(copy.stderr()).isZero();
        assertThat(copy.stdout()).contains("200 copied");
        Cli.Result verify = Cli.run(rule(cluster, "roll", "--mode", "verify", "--json"));
        assertThat(verify.exit()).isEqualTo(ExitCode.PROBLEMS);
        JsonNode report = JSON.readTree(verify.stdoutBytes());
        assertThat(report.at("/counts/leftOver").asLong()).isEqualTo(200);
        assertThat(report.get("dryRun").asBoolean()).isFalse();

        Cli.Result cleanup = Cli.run(rule(cluster, "roll", "--mode", "cleanup", "--yes"));
        assertThat(cleanup.exit()).as(cleanup.stderr()).isZero();
        assertThat(cleanup.stdout()).contains("200 old keys deleted");
        assertThat(count(cluster, "roll:*")).isEqualTo(200);
        assertThat(count(cluster, "roll:{*")).isEqualTo(200);
    }
}
