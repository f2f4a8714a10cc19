package io.reslot.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the security tests do to their password-protected sandbox clusters: ACL users configured on every node from the
 * README's documented line, {@code reslot} runs as such a user, and everything a run may leave behind to search.
 */
final class SecuredClusters {

    /** The default user's password: not the ACL users', so a MIGRATE that sent {@code AUTH pw} would fail. */
    static final String ADMIN_PASSWORD = "admin-Only-7";
    /** The environment variable the runs read the password from. */
    static final String PASSWORD_ENV = "RESLOT_TEST_PASSWORD";
    private static final String LINE_START = "ACL SETUSER reslot on >PASSWORD ";

    private SecuredClusters() {
    }

    /** The rules of the README's {@code ACL SETUSER reslot on >PASSWORD ...} line, after the password. */
    static List<String> documentedRules() throws IOException {
        for (String line : Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith(LINE_START)) {
                return List.of(line.substring(LINE_START.length()).trim().split(" +"));
            }
        }
        throw new AssertionError("README.md has no line starting with '" + LINE_START + "'");
    }

    /** Creates (or resets) {@code user} on every node with {@code password} and {@code rules}. */
    static void setUser(LocalCluster cluster, String user, String password, List<String> rules) {
        forEachNode(cluster, c -> {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user)
                    .add("reset").add("on").add(">" + password);
            rules.forEach(args::add);
            assertThat(c.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args)).isEqualTo("OK");
        });
    }

    /** Runs {@code reslot -c SEED --user USER --password-env VAR args...} in-process with the password in VAR. */
    static Cli.Result run(LocalCluster cluster, String user, String password, String... args) {
        List<String> all = new ArrayList<>(List.of("-c", TestClusters.seed(cluster), "--user", user,
                "--password-env", PASSWORD_ENV));
        all.addAll(List.of(args));
        return Cli.runWithEnv(Map.of(PASSWORD_ENV, password), all.toArray(new String[0]));
    }

    /** Every node's {@code ACL LOG} entries, as text, by node address; empty lists when nothing was denied. */
    static Map<String, List<String>> aclLog(LocalCluster cluster) {
        Map<String, List<String>> log = new TreeMap<>();
        for (ClusterNode node : cluster.nodes()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                List<String> entries = new ArrayList<>();
                c.sync().aclLog().forEach(entry -> entries.add(String.valueOf(entry)));
                log.put(node.address(), entries);
            }
        }
        return log;
    }

    /** Clears every node's {@code ACL LOG}. */
    static void resetAclLog(LocalCluster cluster) {
        forEachNode(cluster, RedisCommands::aclLogReset);
    }

    /**
     * Every {@code {reslot}:*} key of every master and its whole value as text (strings, hashes, sorted sets; bitmaps
     * as their bytes), by key: what jobs, the lock, the history and the retag state hold.
     */
    static Map<String, String> reslotRecords(LocalCluster cluster) {
        Map<String, String> records = new TreeMap<>();
        forEachNode(cluster, c -> {
            if (!c.role().get(0).equals("master")) {
                return;
            }
            for (String key : c.keys("{reslot}:*")) {
                String type = c.type(key);
                String value = switch (type) {
                    case "string" -> c.get(key);
                    case "hash" -> String.valueOf(c.hgetall(key));
                    case "zset" -> String.valueOf(c.zrangeWithScores(key, 0, -1));
                    case "set" -> String.valueOf(c.smembers(key));
                    case "list" -> String.valueOf(c.lrange(key, 0, -1));
                    default -> type;
                };
                records.put(key, value);
            }
        });
        return records;
    }

    static void forEachNode(LocalCluster cluster, java.util.function.Consumer<RedisCommands<String, String>> action) {
        for (ClusterNode node : cluster.nodes()) {
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                action.accept(c.sync());
            }
        }
    }
}
