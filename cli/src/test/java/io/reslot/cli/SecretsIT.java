package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.NodeInfo;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.reslot.cli.SecuredClusters.ADMIN_PASSWORD;
import static io.reslot.cli.SecuredClusters.PASSWORD_ENV;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches for the passwords everywhere a run could leave them: the reslot child JVM's and the redis-servers'
 * {@code /proc/<pid>/cmdline}, stdout and stderr (text with {@code -v}, and {@code --json}), the lock while a run
 * holds it, job records, the retag state and the versioning history.
 */
class SecretsIT {

    private static final String USER = "reslot";
    private static final String PASSWORD = "never-Print-Me-9";

    @TempDir
    Path dir;

    @Test
    void thePasswordIsNowhereAfterARunOfEveryKind() throws IOException, InterruptedException {
        ReslotJar.requireBuilt();
        try (LocalCluster cluster = LocalCluster.builder().masters(3).replicas(1).password(ADMIN_PASSWORD).start()) {
            SecuredClusters.setUser(cluster, USER, PASSWORD, SecuredClusters.documentedRules());
            TestClusters.load(cluster, "secret", 3000);
            try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
                for (int id = 0; id < 20; id++) {
                    redis.sync().set("user:" + id + ":name", "n" + id);
                }
            }
            for (String name : new String[] {"V1__Rebalance_onto_empty_masters.yaml", "V2__Tag_users.yaml"}) {
                Files.copy(Path.of("..", "examples", "migrations").resolve(name), dir.resolve(name));
            }
            List<String> searched = new ArrayList<>();
            for (ClusterNode node : cluster.nodes()) {
                searched.add(cmdline(node.pid()));
            }

            // a child JVM, slowed down so that it can be looked at while it holds the lock
            NodeInfo target = TestClusters.topology(cluster).masters().get(2);
            ReslotJar.Run child = ReslotJar.start(dir, Map.of(PASSWORD_ENV, PASSWORD), cluster, "--user", USER,
                    "--password-env", PASSWORD_ENV, "-v", "--yes", "reshard", "--to", target.address(), "--slots",
                    "3000", "--rate", "300");
            String childCommand = awaitJavaCommand(child.process());
            assertThat(childCommand).contains("reslot.jar", "--password-env", PASSWORD_ENV);
            searched.add(childCommand);
            String lock = awaitLock(cluster, child.process());
            searched.add(lock);
            child.waitFor();
            assertThat(child.exit()).as(child.stderr()).isZero();
            searched.add(child.stdout());
            searched.add(child.stderr());

            for (String[] args : List.of(
                    new String[] {"-v", "--yes", "retag", "--match", "user:*", "--regex",
                            "^user:(?<id>[0-9]+):(?<f>.*)$", "--to", "user:{${id}}:${f}", "--mode", "copy"},
                    new String[] {"--json", "-v", "retag", "--match", "user:*", "--regex",
                            "^user:(?<id>[0-9]+):(?<f>.*)$", "--to", "user:{${id}}:${f}", "--mode", "cleanup"},
                    new String[] {"--json", "-v", "nodes"},
                    new String[] {"--json", "-v", "check"},
                    new String[] {"--json", "-v", "migrate", "--location", dir.toString()},
                    new String[] {"-v", "info", "--location", dir.toString()},
                    new String[] {"--json", "-v", "reshard", "--to", target.address(), "--slots", "10"})) {
                Cli.Result result = SecuredClusters.run(cluster, USER, PASSWORD, args);
                assertThat(result.exit()).as(String.join(" ", args) + ": " + result.stderr()).isZero();
                searched.add(result.stdout());
                searched.add(result.stderr());
            }
            // a retag stopped by a conflict keeps its checkpoint in {reslot}:retag
            try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
                for (int id = 0; id < 20; id++) {
                    redis.sync().set("acct:" + id + ":x", "old");
                }
                redis.sync().set("acct:{3}:x", "taken");
            }
            Cli.Result conflict = SecuredClusters.run(cluster, USER, PASSWORD, "-v", "--yes", "retag", "--match",
                    "acct:*", "--regex", "^acct:(?<id>[0-9]+):(?<f>.*)$", "--to", "acct:{${id}}:${f}",
                    "--on-conflict", "fail");
            assertThat(conflict.exit()).as(conflict.stderr()).isEqualTo(ExitCode.FAILED);
            searched.add(conflict.stdout());
            searched.add(conflict.stderr());

            Map<String, String> records = SecuredClusters.reslotRecords(cluster);
            assertThat(records.keySet()).as("jobs, retag state and history were written")
                    .anyMatch(k -> k.startsWith("{reslot}:job:")).contains("{reslot}:history")
                    .anyMatch(k -> k.startsWith("{reslot}:retag"));
            searched.addAll(records.keySet());
            searched.addAll(records.values());

            assertThat(searched).allSatisfy(text -> assertThat(text).doesNotContain(PASSWORD, ADMIN_PASSWORD));
            assertThat(String.join("\n", records.values())).as("who ran is recorded, by OS user and host")
                    .contains("\"installedBy\"", "\"createdBy\"");
        }
    }

    /** The child's command line once it is the JVM's (right after the fork it is still the parent's). */
    private static String awaitJavaCommand(Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String command = cmdline(process.pid());
        while (!command.contains("reslot.jar") && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(5);
            command = cmdline(process.pid());
        }
        return command;
    }

    /** The value of {@code {reslot}:lock} while the run holds it. */
    private static String awaitLock(LocalCluster cluster, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            String lock = SecuredClusters.reslotRecords(cluster).get("{reslot}:lock");
            if (lock != null) {
                return lock;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the run never held the lock while it was watched");
    }

    private static String cmdline(long pid) throws IOException {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
