package io.reslot.migrate;

import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.ClustersByVersion;

/**
 * {@link ClustersByVersion}, by default with 1 replica per master, and how the engine reaches them. Register it in a
 * static field: {@code @RegisterExtension static final SandboxClusters CLUSTERS = new SandboxClusters();}
 */
final class SandboxClusters extends ClustersByVersion {

    /** Clusters with one replica per master. */
    SandboxClusters() {
        this(1);
    }

    /** Clusters with {@code replicas} replicas per master. */
    SandboxClusters(int replicas) {
        super(replicas);
    }

    /** Options that reach {@code cluster} through its first master. */
    static AccessOptions seed(LocalCluster cluster) {
        return AccessOptions.builder().seeds(cluster.masters().get(0).address()).build();
    }
}
