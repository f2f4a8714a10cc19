package io.reslot.sandbox;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Clusters with a password, and with TLS on every port, per bundled Redis version: they start (replicas authenticate
 * to their masters), the sandbox's clients work, strangers are refused, and the password is in no process's
 * arguments.
 */
class SecuredClusterIT {
    private static final String PASSWORD = "sandbox-Secret-42";

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void startsWithAPasswordKeptOutOfTheCommandLine(BundledRedis version) throws IOException {
        try (LocalCluster cluster = LocalCluster.builder().masters(3).replicas(1).password(PASSWORD)
                .redis(RedisServerBinary.bundled(version)).start()) {
            try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
                c.sync().set("k", "v");
                assertThat(c.sync().get("k")).isEqualTo("v");
            }
            ClusterNode node = cluster.masters().get(0);
            RedisClient stranger = RedisClient.create();
            try {
                assertThatThrownBy(() -> stranger.connect(RedisURI.create(node.host(), node.port())).sync().get("k"))
                        .hasStackTraceContaining("NOAUTH");
            } finally {
                stranger.shutdown();
            }
            for (ClusterNode each : cluster.nodes()) {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(each.pid()), "cmdline"),
                        StandardCharsets.UTF_8);
                assertThat(cmdline).as("the process title of %s", each).isNotEmpty().doesNotContain(PASSWORD);
            }
            assertThat(cluster.options().toString()).doesNotContain(PASSWORD);
        }
    }

    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void startsTlsNodesWithAGeneratedCertificate(BundledRedis version) {
        LocalCluster cluster;
        try {
            cluster = LocalCluster.builder().masters(3).replicas(1).tls(true).password(PASSWORD)
                    .redis(RedisServerBinary.bundled(version)).start();
        } catch (SandboxException e) {
            assumeTrue(e.code() != SandboxErrorCode.TLS_UNSUPPORTED, "no TLS here: " + e.getMessage());
            throw e;
        }
        try (cluster) {
            assertThat(cluster.tlsCertificate()).get().satisfies(p -> assertThat(p).isRegularFile());
            try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
                c.sync().set("k", "v");
                assertThat(c.sync().get("k")).isEqualTo("v");
            }
            try (StatefulRedisConnection<String, String> c = cluster.connect(cluster.masters().get(0))) {
                assertThat(c.sync().configGet("tls-cluster")).containsEntry("tls-cluster", "yes");
                assertThat(c.sync().configGet("port")).containsEntry("port", "0");
            }
            ClusterNode node = cluster.masters().get(0);
            RedisClient plain = RedisClient.create();
            try {
                assertThatThrownBy(() -> plain.connect(RedisURI.builder().withHost(node.host()).withPort(node.port())
                        .withPassword(PASSWORD.toCharArray()).build()).sync().ping())
                        .isInstanceOf(RedisConnectionException.class);
            } finally {
                plain.shutdown();
            }
        }
    }
}
