package io.reslot.rewrite;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.junit.WithLocalCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RetagPlan}: a dry run that reports and changes nothing. */
@WithLocalCluster(masters = 3)
class RetagPlanIT {

    @Test
    void reportsMatchesSkipsCollisionsAndGroupsAndChangesNothing(LocalCluster cluster) throws Exception {
        try (StatefulRedisClusterConnection<String, String> c = cluster.clusterClient().connect();
                ClusterAccess access = ClusterAccess.connect(AccessOptions.builder()
                        .seeds(cluster.masters().get(0).address()).build())) {
            for (int id = 1; id <= 100; id++) {
                c.sync().set("plan:" + id + ":a", "x".repeat(100));
                c.sync().set("plan:" + id + ":b", "y");
            }
            c.sync().set("plan:42:c", "z"); // tag 42 gets three keys: the largest group
            c.sync().set("plan:007:a", "two keys, one new name"); // plan:007:a and plan:7:a -> plan:{7}:a
            c.sync().set("plan:{9}:b", "taken"); // the new name of plan:9:b exists
            c.sync().set("plan:5:{5}", "already tagged"); // would become plan:{5}:{5}, whose tag it has already
            c.sync().set("unrelated", "u");
            Rules rules = Rules.of(List.of(new Rule("plan:*", "^plan:0*(?<id>[0-9]+):(?<f>.*)$", "plan:{${id}}:${f}")));

            RetagPlan plan = RetagPlan.of(access, rules, RetagOptions.defaults());

            assertThat(plan.matched()).isEqualTo(202);
            assertThat(plan.alreadyTagged()).isEqualTo(1);
            assertThat(plan.targetExists()).isEqualTo(1);
            assertThat(plan.sharedNames()).isEqualTo(1);
            assertThat(plan.largestGroups().get(0).tag()).isEqualTo("42");
            assertThat(plan.largestGroups().get(0).keys()).isEqualTo(3);
            assertThat(plan.bytesToMove()).isPositive();
            assertThat(plan.keysPerMaster().values().stream().mapToLong(v -> v[0]).sum()).isEqualTo(202);
            assertThat(plan.keysPerMaster().values().stream().mapToLong(v -> v[1]).sum()).isEqualTo(202);
            assertThat(plan.examples()).hasSize(RetagPlan.EXAMPLES);
            assertThat(plan.table()).contains("202 to rename", "largest tag groups", "{42}  3 keys");
            JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(plan));
            assertThat(json.get("matched").asLong()).isEqualTo(202);
            assertThat(c.sync().get("plan:1:a")).isEqualTo("x".repeat(100));
            assertThat(c.sync().exists("plan:{1}:a")).isZero();
        }
    }
}
