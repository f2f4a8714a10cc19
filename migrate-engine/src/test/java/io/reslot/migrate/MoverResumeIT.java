package io.reslot.migrate;

import java.time.Duration;
import java.util.ArrayList;

import io.lettuce.core.api.sync.RedisCommands;
import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.RedisServerBinary;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.reslot.migrate.MoverIT.awaitAgreement;
import static io.reslot.migrate.MoverIT.move;
import static io.reslot.migrate.MoverIT.seed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mover finishing slots that a stopped run left half done, on both bundled Redis versions. Clusters of its own:
 * {@link MoverIT}'s tests pick their slots from the layout they share.
 */
class MoverResumeIT {

    /**
     * A run that stopped between the target's and the source's {@code SETSLOT NODE}: the source learns the new owner
     * by gossip but stays MIGRATING. Resuming the slot must close it there too.
     */
    @ParameterizedTest
    @EnumSource(BundledRedis.class)
    void closesTheSourceOfASlotItsTargetAlreadyOwns(BundledRedis version) throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().masters(3).redis(RedisServerBinary.bundled(version)).start();
                ClusterAccess access = ClusterAccess.connect(seed(cluster))) {
            Topology topology = access.topology();
            NodeInfo source = topology.masters().get(0);
            NodeInfo target = topology.masters().get(2);
            int slot = source.slots().next(0) + 300;
            RedisCommands<byte[], byte[]> onSource = access.connection(source).sync();
            RedisCommands<byte[], byte[]> onTarget = access.connection(target).sync();
            onTarget.clusterSetSlotImporting(slot, source.id());
            onSource.clusterSetSlotMigrating(slot, target.id());
            onTarget.clusterSetSlotNode(slot, target.id());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (access.topology().views().get(source.address()).stream()
                    .noneMatch(n -> n.id().equals(target.id()) && n.slots().contains(slot))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50); // until gossip has told the source
            }

            MoverIT.Recorder control = new MoverIT.Recorder();
            move(access, source, target, SlotSet.of(slot), MoverOptions.defaults(), control, new ArrayList<>());

            assertThat(control.done).containsExactly(slot);
            Topology after = awaitAgreement(access);
            assertThat(after.ownerOf(slot)).isEqualTo(target.id());
            assertThat(after.nodes()).noneMatch(NodeInfo::hasOpenSlots);
        }
    }

}
