package io.reslot.sandbox;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalClusterOptionsTest {
    @Test
    void defaultsAreTheConstants() {
        LocalClusterOptions options = LocalClusterOptions.defaults();

        assertThat(options.masters()).isEqualTo(LocalClusterOptions.DEFAULT_MASTERS);
        assertThat(options.replicas()).isEqualTo(LocalClusterOptions.DEFAULT_REPLICAS);
        assertThat(options.basePort()).isEqualTo(LocalClusterOptions.DEFAULT_BASE_PORT);
        assertThat(options.nodeTimeout()).isEqualTo(LocalClusterOptions.DEFAULT_NODE_TIMEOUT)
                .isEqualTo(Duration.ofMillis(LocalClusterOptions.DEFAULT_NODE_TIMEOUT_MILLIS));
        assertThat(options.timeout()).isEqualTo(LocalClusterOptions.DEFAULT_TIMEOUT);
        assertThat(options.redis()).isEmpty();
        assertThat(options.parentDirectory()).isEmpty();
        assertThat(options.config()).isEmpty();
    }

    @Test
    void builderValuesAreKeptAndToBuilderCopiesThem() {
        LocalClusterOptions options = LocalCluster.builder().masters(5).replicas(2).basePort(7000)
                .nodeTimeout(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(9)).parentDirectory(Path.of("/x"))
                .config("Maxmemory", "10mb").build();

        assertThat(options.nodeCount()).isEqualTo(15);
        LocalClusterOptions copy = options.toBuilder().masters(1).build();
        assertThat(copy.masters()).isEqualTo(1);
        assertThat(options.masters()).isEqualTo(5);
        assertThat(copy.replicas()).isEqualTo(2);
        assertThat(copy.basePort()).isEqualTo(7000);
        assertThat(copy.nodeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(copy.timeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(copy.parentDirectory()).contains(Path.of("/x"));
        assertThat(copy.config()).containsExactly(java.util.Map.entry("maxmemory", "10mb"));
        assertThatThrownBy(() -> copy.config().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> LocalCluster.builder().masters(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> LocalCluster.builder().replicas(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> LocalCluster.builder().basePort(60000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("60000");
        assertThatThrownBy(() -> LocalCluster.builder().nodeTimeout(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> LocalCluster.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> LocalCluster.builder().config("port", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'port'");
        assertThatThrownBy(() -> LocalCluster.builder().redis(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rejectsBasePortWithoutRoomForAllBusPorts() {
        assertThatThrownBy(() -> LocalCluster.builder().masters(3).replicas(1).basePort(55531).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("basePort 55531").hasMessageContaining("6 nodes");
        assertThat(LocalCluster.builder().masters(3).replicas(1).basePort(55530).build().basePort())
                .isEqualTo(55530);
    }

    @Test
    void bundledVersionsAreLookedUpByName() {
        assertThat(BundledRedis.of("6.2")).isEqualTo(BundledRedis.REDIS_6_2);
        assertThat(BundledRedis.of(" 7.0 ")).isEqualTo(BundledRedis.REDIS_7_0);
        assertThat(BundledRedis.DEFAULT).isEqualTo(BundledRedis.REDIS_7_0);
        assertThatThrownBy(() -> BundledRedis.of("7.2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'7.2'");
    }
}
