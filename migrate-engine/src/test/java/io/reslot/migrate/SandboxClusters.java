package io.reslot.migrate;

import java.util.EnumMap;
import java.util.Map;

import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.RedisServerBinary;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One sandbox cluster (3 masters, by default 1 replica each) per bundled Redis version, started when a test first asks for it,
 * shared by the tests of one class and closed after them. Register it in a static field:
 * {@code @RegisterExtension static final SandboxClusters CLUSTERS = new SandboxClusters();}
 */
final class SandboxClusters implements AfterAllCallback {

    private final Map<BundledRedis, LocalCluster> clusters = new EnumMap<>(BundledRedis.class);
    private final int replicas;

    /** Clusters with one replica per master. */
    SandboxClusters() {
        this(1);
    }

    /** Clusters with {@code replicas} replicas per master. */
    SandboxClusters(int replicas) {
        this.replicas = replicas;
    }

    /** The cluster running {@code version}, started on first use. */
    synchronized LocalCluster get(BundledRedis version) {
        return clusters.computeIfAbsent(version, v -> LocalCluster.builder().masters(3).replicas(replicas)
                .redis(RedisServerBinary.bundled(v)).start());
    }

    /** Options that reach {@code cluster} through its first master. */
    static AccessOptions seed(LocalCluster cluster) {
        return AccessOptions.builder().seeds(cluster.masters().get(0).address()).build();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        clusters.values().forEach(LocalCluster::close);
        clusters.clear();
    }
}
