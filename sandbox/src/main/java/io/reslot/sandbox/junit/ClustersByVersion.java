package io.reslot.sandbox.junit;

import java.util.EnumMap;
import java.util.Map;

import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.RedisServerBinary;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One sandbox cluster of 3 masters per bundled Redis version, started when a test first asks for it, shared by the
 * tests of one class and closed after them: for tests that run on every version, with
 * {@code @ParameterizedTest @EnumSource(BundledRedis.class)}. Register it in a static field:
 * {@code @RegisterExtension static final ClustersByVersion CLUSTERS = new ClustersByVersion(1);}
 */
public class ClustersByVersion implements AfterAllCallback {

    private final Map<BundledRedis, LocalCluster> clusters = new EnumMap<>(BundledRedis.class);
    private final int replicas;

    /** Clusters with {@code replicas} replicas per master. */
    public ClustersByVersion(int replicas) {
        this.replicas = replicas;
    }

    /** The cluster running {@code version}, started on first use. */
    public synchronized LocalCluster get(BundledRedis version) {
        return clusters.computeIfAbsent(version, v -> LocalCluster.builder().masters(3).replicas(replicas)
                .redis(RedisServerBinary.bundled(v)).start());
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        clusters.values().forEach(LocalCluster::close);
        clusters.clear();
    }
}
