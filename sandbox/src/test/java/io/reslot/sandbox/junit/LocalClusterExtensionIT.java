package io.reslot.sandbox.junit;

import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

@WithLocalCluster(masters = 2)
class LocalClusterExtensionIT {
    private static LocalCluster fromBeforeAll;
    private final LocalCluster fromConstructor;

    LocalClusterExtensionIT(LocalCluster cluster) {
        this.fromConstructor = cluster;
    }

    @BeforeAll
    static void beforeAll(LocalCluster cluster) {
        fromBeforeAll = cluster;
    }

    @Test
    void injectsOneStartedClusterPerClass(LocalCluster cluster) {
        assertThat(cluster).isSameAs(fromConstructor).isSameAs(fromBeforeAll);
        assertThat(cluster.isClosed()).isFalse();
        assertThat(cluster.masters()).hasSize(2);
        assertThat(cluster.replicas()).isEmpty();
        String requested = System.getProperty("reslot.redis", "");
        if (!requested.isBlank()) {
            assertThat(cluster.redis().version()).startsWith(requested.trim() + ".");
        }
        try (var connection = cluster.clusterClient().connect()) {
            connection.sync().set("extension", "works");
            assertThat(connection.sync().get("extension")).isEqualTo("works");
        }
    }

    @Nested
    class NestedTests {
        @Test
        void sharesTheOuterClassCluster(LocalCluster cluster) {
            assertThat(cluster).isSameAs(fromBeforeAll);
        }
    }

    @Test
    void closesClusterAfterTheClass() {
        Sample.clusters.clear();

        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute()
                .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(Sample.clusters).hasSize(1);
        LocalCluster cluster = Sample.clusters.iterator().next();
        assertThat(cluster.isClosed()).isTrue();
        assertThat(cluster.directory()).doesNotExist();
        List<Long> pids = cluster.nodes().stream().map(ClusterNode::pid).collect(Collectors.toList());
        assertThat(pids).hasSize(1).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(cluster.redis().version()).startsWith("6.2.");
    }

    @Test
    void readsOptionsFromTheAnnotation() {
        var options = LocalClusterExtension.options(Sample.class);
        assertThat(options.masters()).isEqualTo(1);
        assertThat(options.replicas()).isZero();
        assertThat(options.nodeTimeout().toMillis()).isEqualTo(3000);
        assertThat(options.redis()).get().satisfies(r -> assertThat(r.version()).startsWith("6.2."));
        assertThat(LocalClusterExtension.options(String.class).masters()).isEqualTo(3);
    }

    /** Run only through {@link EngineTestKit}: failsafe skips nested classes. */
    @WithLocalCluster(masters = 1, redis = "6.2", nodeTimeoutMillis = 3000)
    static class Sample {
        static final Set<LocalCluster> clusters = ConcurrentHashMap.newKeySet();

        @Test
        void first(LocalCluster cluster) {
            clusters.add(cluster);
            assertThat(cluster.directory()).isDirectory();
        }

        @Test
        void second(LocalCluster cluster) {
            clusters.add(cluster);
            assertThat(Path.of(cluster.directory().toString(), "node-0", "nodes.conf")).exists();
        }
    }
}
