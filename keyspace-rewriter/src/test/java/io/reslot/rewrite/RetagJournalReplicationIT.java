package io.reslot.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.ClusterAccess;
import io.reslot.migrate.Topology;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.Test;

import static io.reslot.rewrite.RetagTesting.access;
import static io.reslot.rewrite.RetagTesting.await;
import static io.reslot.rewrite.RetagTesting.commandCalls;
import static io.reslot.rewrite.RetagTesting.renamed;
import static io.reslot.rewrite.RetagTesting.rules;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page's journal is the next run's only way to its ledger, so it must survive a failover of the master holding
 * reslot's records: each page waits for a replica to have it before its keys are touched. Found by the fault suite
 * (FaultsIT: the target killed mid-retag, its replica taking over, was that master too; the next run found copies it
 * knew nothing of).
 */
class RetagJournalReplicationIT {

    private static final int KEYS = 3000;

    @Test
    void eachPageWaitsForAReplicaToHaveItsJournal() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().masters(3).replicas(1).start();
                StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                sent.add(c.async().set("journal:" + i + ":v", "value " + i));
            }
            await(sent);
            ClusterNode records;
            try (ClusterAccess access = access(cluster)) {
                Topology topology = access.topology();
                String owner = topology.ownerOf(KeySlot.of("{reslot}"));
                records = cluster.masters().stream().filter(m -> m.nodeId().equals(owner)).findFirst().orElseThrow();
            }
            long waitsBefore = waits(cluster, records);
            AtomicInteger pages = new AtomicInteger();

            try (ClusterAccess access = access(cluster)) {
                Retag.run(access, rules("journal"), RetagOptions.builder().scanCount(200).build(),
                        Retag.Listener.NONE, (point, master) -> {
                            if (point == Retag.Hook.Point.MOVED) {
                                pages.incrementAndGet();
                            }
                        });
            }

            long waits = waits(cluster, records) - waitsBefore;
            assertThat(waits).as("WAITs on the master of reslot's records").isGreaterThanOrEqualTo(3)
                    .isLessThanOrEqualTo(pages.get());
            for (int i = 0; i < KEYS; i += 100) {
                assertThat(c.sync().get(renamed("journal:" + i + ":v"))).isEqualTo("value " + i);
            }
        }
    }

    private static long waits(LocalCluster cluster, ClusterNode node) {
        try (StatefulRedisConnection<String, String> connection = cluster.connect(node)) {
            return commandCalls(connection.sync(), "wait");
        }
    }
}
