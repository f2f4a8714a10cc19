package io.reslot.sandbox.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeEntryTest {
    @Test
    void parsesRedis7MasterWithHostnameAndOpenSlots() {
        NodeEntry e = NodeEntry.parse("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@40001,host-a "
                + "myself,master - 0 1426238317239 1 connected 0-5460 6000 [5461->-292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f]"
                + " [5462-<-292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f]");

        assertThat(e.id()).isEqualTo("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
        assertThat(e.host()).isEqualTo("127.0.0.1");
        assertThat(e.port()).isEqualTo(30001);
        assertThat(e.isMaster()).isTrue();
        assertThat(e.isMyself()).isTrue();
        assertThat(e.masterId()).isNull();
        assertThat(e.linkState()).isEqualTo("connected");
        assertThat(e.slots().cardinality()).isEqualTo(5462);
        assertThat(e.slots().get(6000)).isTrue();
        assertThat(e.slots().get(5461)).isFalse();
        assertThat(e.troubleFlag()).isNull();
    }

    @Test
    void parsesRedis62ReplicaAndTroubleFlags() {
        List<NodeEntry> entries = NodeEntry.parseAll(
                "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002 slave,fail "
                + "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238316232 2 disconnected\n"
                + "292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f :0@0 master,fail?,noaddr - 1426238317741 1426238316232 3 "
                + "disconnected\n");

        assertThat(entries).hasSize(2);
        NodeEntry replica = entries.get(0);
        assertThat(replica.isReplica()).isTrue();
        assertThat(replica.masterId()).isEqualTo("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
        assertThat(replica.troubleFlag()).isEqualTo("fail");
        assertThat(replica.slots().isEmpty()).isTrue();
        assertThat(entries.get(1).troubleFlag()).isEqualTo("fail?");
        assertThat(entries.get(1).port()).isZero();
    }

    @Test
    void rejectsTruncatedLine() {
        assertThatThrownBy(() -> NodeEntry.parse("abc 127.0.0.1:1@2 master"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("abc 127.0.0.1:1@2 master");
    }
}
