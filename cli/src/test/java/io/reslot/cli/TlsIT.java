package io.reslot.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.NodeInfo;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;
import org.junit.jupiter.api.Test;

import static io.reslot.cli.SecuredClusters.ADMIN_PASSWORD;
import static io.reslot.cli.SecuredClusters.PASSWORD_ENV;
import static io.reslot.cli.TestClusters.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code reslot --tls-ca} against a sandbox cluster whose nodes speak only TLS (clients, cluster bus, replication,
 * so the nodes' MIGRATE too) and require a password: nodes, check, a reshard and a retag. Skipped, with the reason,
 * when the redis-server was built without TLS.
 */
class TlsIT {

    @Test
    void reshardsAndRetagsOverTls() {
        LocalCluster cluster;
        try {
            cluster = LocalCluster.builder().masters(3).tls(true).password(ADMIN_PASSWORD).start();
        } catch (SandboxException e) {
            assumeTrue(e.code() != SandboxErrorCode.TLS_UNSUPPORTED, "TLS not tested: " + e.getMessage());
            throw e;
        }
        try (cluster) {
            String ca = cluster.tlsCertificate().orElseThrow().toString();
            List<String> keys = TestClusters.load(cluster, "tls", 300);
            try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
                for (int id = 0; id < 20; id++) {
                    redis.sync().set("user:" + id + ":name", "n" + id);
                }
            }
            NodeInfo target = TestClusters.topology(cluster).masters().get(2);

            Cli.Result nodes = tls(cluster, "--tls-ca", ca, "nodes");
            Cli.Result check = tls(cluster, "--tls-ca", ca, "check");
            Cli.Result reshard = tls(cluster, "--tls-ca", ca, "--yes", "reshard", "--to", target.address(),
                    "--slots", "500");
            Cli.Result retag = tls(cluster, "--tls-ca", ca, "--yes", "retag", "--match", "user:*", "--regex",
                    "^user:(?<id>[0-9]+):(?<f>.*)$", "--to", "user:{${id}}:${f}");
            Cli.Result untrusted = tls(cluster, "--tls", "nodes");
            Cli.Result plain = tls(cluster, "nodes");

            assertThat(nodes.exit()).as(nodes.stderr()).isZero();
            assertThat(nodes.stdout()).contains(target.address());
            assertThat(check.exit()).as(check.stdout() + check.stderr()).isZero();
            assertThat(reshard.exit()).as(reshard.stderr()).isZero();
            assertThat(TestClusters.topology(cluster).masters().get(2).slots().size())
                    .isEqualTo(target.slots().size() + 500);
            assertThat(retag.exit()).as(retag.stderr()).isZero();
            TestClusters.assertValues(cluster, keys);
            try (StatefulRedisClusterConnection<String, String> redis = cluster.clusterClient().connect()) {
                assertThat(redis.sync().get("user:{5}:name")).isEqualTo("n5");
                assertThat(redis.sync().exists("user:5:name")).isZero();
            }
            assertThat(untrusted.exit()).as("the JVM's trust store does not hold the sandbox's certificate")
                    .isEqualTo(ExitCode.FAILED);
            assertThat(plain.exit()).as("plain TCP to a TLS port").isEqualTo(ExitCode.FAILED);
        }
    }

    private static Cli.Result tls(LocalCluster cluster, String... args) {
        List<String> all = new ArrayList<>(List.of("-c", seed(cluster), "--password-env", PASSWORD_ENV));
        all.addAll(List.of(args));
        return Cli.runWithEnv(Map.of(PASSWORD_ENV, ADMIN_PASSWORD), all.toArray(new String[0]));
    }
}
