package io.reslot.sandbox;

import io.lettuce.core.api.StatefulRedisConnection;
import io.reslot.sandbox.internal.PortAllocator;
import io.reslot.sandbox.internal.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up paths other than the happy one of {@link LocalClusterIT}: fixed ports and failures. */
class LocalClusterStartupIT {
    @TempDir
    Path parent;

    @Test
    void startsSingleMasterOnFixedPort() {
        int port = PortAllocator.allocate();
        PortAllocator.release(port);
        try (LocalCluster cluster = LocalCluster.builder().masters(1).basePort(port).parentDirectory(parent).start()) {
            ClusterNode node = cluster.nodes().get(0);
            assertThat(node.port()).isEqualTo(port);
            assertThat(node.busPort()).isEqualTo(port + 10000);
            assertThat(cluster.seedUri().getPort()).isEqualTo(port);
            assertThat(cluster.directory().getParent()).isEqualTo(parent);
            try (StatefulRedisConnection<String, String> c = cluster.connect(node)) {
                assertThat(Readiness.field(c.sync().clusterInfo(), "cluster_slots_assigned")).isEqualTo("16384");
            }
        }
        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void failsWithLogTailWhenNodeCannotStart() throws IOException {
        LocalClusterOptions options = LocalCluster.builder().masters(1).parentDirectory(parent)
                .config("maxmemory-policy", "no-such-policy").build();

        assertThatThrownBy(() -> LocalCluster.start(options))
                .isInstanceOfSatisfying(SandboxException.class,
                        e -> assertThat(e.code()).isEqualTo(SandboxErrorCode.NODE_START_FAILED))
                .hasMessageContaining("exited with code")
                .hasMessageContaining("redis.log")
                .hasMessageContaining("no-such-policy");
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).as("temporary directory removed after a failed start").isEmpty();
        }
    }

    @Test
    void failsWhenFixedPortIsTaken() throws IOException {
        int port = PortAllocator.allocate();
        PortAllocator.release(port);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port + 10000));

            assertThatThrownBy(() -> LocalCluster.builder().masters(1).basePort(port).parentDirectory(parent).start())
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.code()).isEqualTo(SandboxErrorCode.PORT_IN_USE))
                    .hasMessageContaining(Integer.toString(port));
        }
    }
}
