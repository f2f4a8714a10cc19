package io.reslot.migrate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.reslot.migrate.internal.ClusterNodesParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyTest {

    static final String A = "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111";
    static final String B = "aaaa2222bbbb2222bbbb2222bbbb2222bbbb2222";
    static final String R = "cccc3333cccc3333cccc3333cccc3333cccc3333";

    private static String line(String id, int port, String flags, String master, String slots) {
        return id + " 127.0.0.1:" + port + "@" + (port + 10000) + " " + flags + " " + master + " 0 0 1 connected "
                + slots + "\n";
    }

    private static Topology of(String... viewsAndAddresses) {
        Map<String, List<NodeInfo>> views = new LinkedHashMap<>();
        for (int i = 0; i < viewsAndAddresses.length; i += 2) {
            views.put(viewsAndAddresses[i], ClusterNodesParser.parse(viewsAndAddresses[i + 1]));
        }
        return Topology.of(views);
    }

    private static final String VIEW_A = line(A, 7000, "myself,master", "-", "0-8191")
            + line(B, 7001, "master", "-", "8192-16383") + line(R, 7002, "slave", A, "");
    private static final String VIEW_B = line(A, 7000, "master", "-", "0-8191")
            + line(B, 7001, "myself,master", "-", "8192-16383 [8192->-" + A + "]") + line(R, 7002, "slave", A, "");

    @Test
    void mergesViewsKeepingEachNodesOwnLine() {
        Topology topology = of("127.0.0.1:7000", VIEW_A, "127.0.0.1:7001", VIEW_B);

        assertThat(topology.agrees()).isTrue();
        assertThat(topology.nodes()).extracting(NodeInfo::port).containsExactly(7000, 7001, 7002);
        assertThat(topology.masters()).hasSize(2);
        assertThat(topology.node(B).migrating()).containsEntry(8192, A);
        assertThat(topology.node(B).isMyself()).isFalse();
        assertThat(topology.replicasOf(topology.node(A))).extracting(NodeInfo::id).containsExactly(R);
        assertThat(topology.ownerOf(100)).isEqualTo(A);
        assertThat(topology.uncovered().isEmpty()).isTrue();
    }

    @Test
    void reportsDisagreementOnSlotsAsRanges() {
        String stale = line(A, 7000, "master", "-", "0-9000") + line(B, 7001, "myself,master", "-", "9001-16383")
                + line(R, 7002, "slave", A, "");

        Topology topology = of("127.0.0.1:7000", VIEW_A, "127.0.0.1:7001", stale);

        assertThat(topology.agrees()).isFalse();
        assertThat(topology.disagreements()).containsExactly(
                "127.0.0.1:7001 sees slots 8192-9000 served by aaaa1111, 127.0.0.1:7000 by aaaa2222");
    }

    @Test
    void reportsDisagreementOnNodesAndRoles() {
        String missing = line(A, 7000, "master", "-", "0-8191") + line(B, 7001, "myself,master", "-", "8192-16383");

        Topology topology = of("127.0.0.1:7000", VIEW_A, "127.0.0.1:7001", missing);

        assertThat(topology.disagreements()).hasSize(2);
        assertThat(topology.disagreements().get(0)).startsWith("127.0.0.1:7001 knows nodes [");
    }

    @Test
    void findsNodesByIdPrefixOrAddress() {
        Topology topology = of("127.0.0.1:7000", VIEW_A);

        assertThat(topology.node("127.0.0.1:7001").id()).isEqualTo(B);
        assertThat(topology.node("cccc").id()).isEqualTo(R);
        assertThat(topology.node(A).port()).isEqualTo(7000);
        assertThatThrownBy(() -> topology.node("aaaa")).isInstanceOf(MigrateException.class)
                .hasMessageContaining("'aaaa' matches 2 nodes");
        assertThatThrownBy(() -> topology.node("10.0.0.1:7000")).isInstanceOf(MigrateException.class)
                .hasMessageStartingWith("no node is '10.0.0.1:7000'");
    }

    @Test
    void findsUncoveredSlots() {
        Topology topology = of("127.0.0.1:7000", line(A, 7000, "myself,master", "-", "0-100 200-16383"));

        assertThat(topology.uncovered().toString()).isEqualTo("101-199");
        assertThat(topology.ownerOf(150)).isNull();
    }
}
