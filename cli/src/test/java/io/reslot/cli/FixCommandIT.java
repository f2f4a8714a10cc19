package io.reslot.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.NodeInfo;
import io.reslot.migrate.Topology;
import io.reslot.sandbox.ClusterNode;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import io.reslot.slot.SlotTags;
import org.junit.jupiter.api.Test;

import static io.reslot.cli.TestClusters.assertHealthy;
import static io.reslot.cli.TestClusters.assertValues;
import static io.reslot.cli.TestClusters.seed;
import static io.reslot.cli.TestClusters.slotsByMaster;
import static io.reslot.cli.TestClusters.topology;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reslot fix} in-process against one sandbox cluster that each test breaks in its own slot the way a killed
 * run or a careless operator leaves it; every test ends with the cluster healthy again.
 */
@WithLocalCluster(masters = 3)
class FixCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void findsNothingToFixOnAHealthyCluster(LocalCluster cluster) {
        Cli.Result result = Cli.run("-c", seed(cluster), "fix");

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("nothing to fix\n");
    }

    @Test
    void showsTheActionsAsksAndThenFinishesAHalfMovedSlot(LocalCluster cluster) {
        Topology topology = topology(cluster);
        NodeInfo source = topology.masters().get(0);
        NodeInfo target = topology.masters().get(1);
        int slot = source.slots().next(50);
        List<String> keys = load(cluster, slot, "half", 40);
        try (StatefulRedisConnection<String, String> src = connect(cluster, source);
                StatefulRedisConnection<String, String> tgt = connect(cluster, target)) {
            tgt.sync().clusterSetSlotImporting(slot, source.id());
            src.sync().clusterSetSlotMigrating(slot, target.id());
            // half of the keys moved, as a run killed in the middle leaves them
            src.sync().migrate(target.host(), target.port(), 0, 5000,
                    MigrateArgs.Builder.keys(keys.subList(0, keys.size() / 2)));
        }
        Map<String, String> broken = slotsByMaster(cluster);

        Cli.Result dryRun = Cli.run("-c", seed(cluster), "fix", "--dry-run");
        assertThat(dryRun.exit()).as(dryRun.stderr()).isZero();
        assertThat(dryRun.stdout()).contains("ACTION", "finish-move", "finish moving slot " + slot);
        assertThat(dryRun.stderr()).isEqualTo("reslot: --dry-run: nothing was changed\n");
        Cli.Result refused = Cli.runWithStdin("n\n", "-c", seed(cluster), "fix");
        assertThat(refused.exit()).isEqualTo(ExitCode.NOT_CONFIRMED);
        assertThat(refused.stderr()).isEqualTo("Apply 1 action? [y/N] reslot: not confirmed; nothing was changed\n");
        assertThat(slotsByMaster(cluster)).isEqualTo(broken);
        assertThat(Cli.run("-c", seed(cluster), "check").exit()).isEqualTo(ExitCode.PROBLEMS);

        Cli.Result fixed = Cli.runWithStdin("y\n", "-c", seed(cluster), "fix");

        assertThat(fixed.exit()).as(fixed.stdout() + fixed.stderr()).isZero();
        assertThat(fixed.stdout()).contains("done: finish moving slot " + slot, "healthy");
        assertThat(topology(cluster).ownerOf(slot)).isEqualTo(target.id());
        assertValues(cluster, keys);
        assertHealthy(cluster);
    }

    @Test
    void coversAnUncoveredSlotAndReportsInJson(LocalCluster cluster) throws Exception {
        Topology topology = topology(cluster);
        NodeInfo holder = topology.masters().get(2);
        int slot = holder.slots().next(70);
        List<String> keys = load(cluster, slot, "uncovered", 5);
        for (NodeInfo master : topology.masters()) {
            try (StatefulRedisConnection<String, String> c = connect(cluster, master)) {
                c.sync().clusterDelSlots(slot);
            }
        }

        Cli.Result result = Cli.run("-c", seed(cluster), "--json", "fix");

        assertThat(result.exit()).as(result.stdout() + result.stderr()).isZero();
        JsonNode report = JSON.readTree(result.stdoutBytes());
        assertThat(report.get("dryRun").asBoolean()).isFalse();
        assertThat(report.at("/plan/actions/0/kind").asText()).isEqualTo("ASSIGN_SLOTS");
        assertThat(report.at("/plan/actions/0/slots").asText()).isEqualTo(String.valueOf(slot));
        assertThat(report.at("/plan/actions/0/to/id").asText()).isEqualTo(holder.id());
        assertThat(report.at("/outcome/done/0/kind").asText()).isEqualTo("ASSIGN_SLOTS");
        assertThat(report.at("/outcome/after/healthy").asBoolean()).as(result.stdout()).isTrue();
        assertThat(topology(cluster).ownerOf(slot)).isEqualTo(holder.id());
        assertValues(cluster, keys);
        assertHealthy(cluster);
    }

    /** Writes {@code count} keys of {@code slot} through the cluster client; returns them. */
    private static List<String> load(LocalCluster cluster, int slot, String name, int count) {
        List<String> keys = new ArrayList<>();
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect()) {
            for (int i = 0; i < count; i++) {
                String key = "{" + SlotTags.tagFor(slot) + "}" + name + ":" + i;
                c.sync().set(key, "value:" + i);
                keys.add(key);
            }
        }
        return keys;
    }

    private static StatefulRedisConnection<String, String> connect(LocalCluster cluster, NodeInfo info) {
        ClusterNode node = cluster.nodes().stream().filter(n -> n.nodeId().equals(info.id())).findFirst()
                .orElseThrow();
        return cluster.connect(node);
    }
}
