package io.reslot.migrate.internal;

import java.util.List;
import java.util.Map;

import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.NodeInfo;
import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterNodesParserTest {

    static final String A = "07c37dfeb235213a872192d90877d0cd55635b91";
    static final String B = "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1";
    static final String C = "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca";

    /** The shape Redis 7.0 prints (address with @cport and ,hostname), with an open slot on each side. */
    static final String REDIS_7 = A + " 127.0.0.1:30004@40004,node-a slave " + B + " 0 1426238317239 4 connected\n"
            + B + " 127.0.0.1:30002@40002,node-b myself,master - 0 1426238316232 2 connected 5461-10922 "
            + "[5461->-" + C + "]\n"
            + C + " 127.0.0.1:30003@40003, master - 0 1426238318243 3 connected 10923-16383 [5461-<-" + B + "]\n";

    /** Redis 6.2: no hostname part; a failed master and a node still in handshake. */
    static final String REDIS_62 = A + " 10.0.0.1:7000@17000 master,fail - 1426238316232 1426238316232 1 disconnected 0-99 101\n"
            + B + " :0@0 handshake,noaddr - 0 0 0 disconnected\n";

    @Test
    void parsesRedis7Lines() {
        List<NodeInfo> nodes = ClusterNodesParser.parse(REDIS_7);

        assertThat(nodes).hasSize(3);
        NodeInfo replica = nodes.get(0);
        assertThat(replica.id()).isEqualTo(A);
        assertThat(replica.address()).isEqualTo("127.0.0.1:30004");
        assertThat(replica.isReplica()).isTrue();
        assertThat(replica.masterId()).isEqualTo(B);
        assertThat(replica.slots().isEmpty()).isTrue();

        NodeInfo source = nodes.get(1);
        assertThat(source.isMyself()).isTrue();
        assertThat(source.isMaster()).isTrue();
        assertThat(source.masterId()).isNull();
        assertThat(source.configEpoch()).isEqualTo(2);
        assertThat(source.slots()).isEqualTo(SlotSet.parse("5461-10922"));
        assertThat(source.migrating()).isEqualTo(Map.of(5461, C));
        assertThat(source.importing()).isEmpty();

        NodeInfo target = nodes.get(2);
        assertThat(target.host()).isEqualTo("127.0.0.1");
        assertThat(target.importing()).isEqualTo(Map.of(5461, B));
        assertThat(target.slots().size()).isEqualTo(16384 - 10923);
    }

    @Test
    void parsesRedis62LinesWithFailingAndIncompleteNodes() {
        List<NodeInfo> nodes = ClusterNodesParser.parse(REDIS_62);

        assertThat(nodes.get(0).isFailing()).isTrue();
        assertThat(nodes.get(0).connected()).isFalse();
        assertThat(nodes.get(0).slots().toString()).isEqualTo("0-99,101");
        assertThat(nodes.get(1).isIncomplete()).isTrue();
        assertThat(nodes.get(1).host()).isEmpty();
        assertThat(nodes.get(1).port()).isZero();
    }

    @Test
    void namesTheMalformedLine() {
        assertThatThrownBy(() -> ClusterNodesParser.parse(A + " 127.0.0.1:7000@17000 master - 0 0"))
                .isInstanceOf(MigrateException.class)
                .hasMessageContaining("expected at least 8 fields, found 6")
                .satisfies(e -> assertThat(((MigrateException) e).code()).isEqualTo(MigrateErrorCode.PROTOCOL));
        assertThatThrownBy(() -> ClusterNodesParser.parse(A + " 127.0.0.1:7000@17000 master - 0 0 1 connected 5-x"))
                .isInstanceOf(MigrateException.class).hasMessageContaining("5-x");
        assertThatThrownBy(() -> ClusterNodesParser.parse(A + " 127.0.0.1:7000 master - 0 0 1 connected [5-?-" + B + "]"))
                .isInstanceOf(MigrateException.class).hasMessageContaining("neither [N->-id] nor [N-<-id]");
    }
}
