package io.reslot.cli;

import java.util.List;

import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoSummaryTest {

    @Test
    void countsAUserWhoseKeysShareASlotAsCoLocated() {
        DemoSummary.CoLocation users = new DemoSummary.CoLocation();

        assertThat(users.add("user:{42}:profile")).isEqualTo(DemoSummary.UserKey.TAGGED);
        assertThat(users.add("user:{42}:cart")).isEqualTo(DemoSummary.UserKey.TAGGED);

        assertThat(users.users()).isEqualTo(1);
        assertThat(users.coLocated()).isEqualTo(1);
    }

    @Test
    void countsAUserWhoseKeysAreSpreadAsNotCoLocated() {
        assertThat(KeySlot.of("user:42:profile")).isNotEqualTo(KeySlot.of("user:42:cart"));
        DemoSummary.CoLocation users = new DemoSummary.CoLocation();

        assertThat(users.add("user:42:profile")).isEqualTo(DemoSummary.UserKey.UNTAGGED);
        users.add("user:42:cart");
        users.add("user:7:cart"); // one key: in one slot

        assertThat(users.users()).isEqualTo(2);
        assertThat(users.coLocated()).isEqualTo(1);
    }

    @Test
    void countsTaggedAndUntaggedKeysOfOneUserTogether() {
        DemoSummary.CoLocation users = new DemoSummary.CoLocation();

        users.add("user:{42}:profile");
        users.add("user:42:cart"); // left over under its old name: another slot

        assertThat(users.users()).isEqualTo(1);
        assertThat(users.coLocated()).isZero();
    }

    @Test
    void ignoresKeysThatAreNotAUsersKeys() {
        DemoSummary.CoLocation users = new DemoSummary.CoLocation();

        for (String key : List.of("session:42", "user:", "user:42", "user:abc:cart", "user:{}:cart", "user:{42}cart",
                "user:{4x}:cart", "user::cart", "{reslot}:lock", "users:1:cart")) {
            assertThat(users.add(key)).as(key).isEqualTo(DemoSummary.UserKey.NONE);
        }
        assertThat(users.users()).isZero();
    }

    @Test
    void printsPercentRoundedDown() {
        assertThat(DemoSummary.percent(0, 0)).isEqualTo("0.0 %");
        assertThat(DemoSummary.percent(1, 3)).isEqualTo("33.3 %");
        assertThat(DemoSummary.percent(9999, 10_000)).isEqualTo("99.9 %");
        assertThat(DemoSummary.percent(9, 80_000)).isEqualTo("0.0 %");
        assertThat(DemoSummary.percent(80_000, 80_000)).isEqualTo("100.0 %");
    }

    @Test
    void printsATableOfMastersAndTheShareOfUsers() {
        DemoSummary summary = new DemoSummary(List.of(
                new DemoSummary.Master("127.0.0.1:7000", 5461, 66_700),
                new DemoSummary.Master("127.0.0.1:7003", 0, 0)), 66_700, 0, 66_700, 80_000, 9, 160_000);

        assertThat(summary.text("127.0.0.1:7003")).isEqualTo("""
                MASTER                  SLOTS  KEYS
                127.0.0.1:7000          5461   66700
                127.0.0.1:7003 (added)  0      0
                users whose keys share one slot: 9 of 80000 (0.0 %)
                """);
        assertThat(summary.master("127.0.0.1:7003").slots()).isZero();
        assertThat(summary.master("127.0.0.1:1")).isNull();
        assertThat(summary.coLocatedPercent()).isCloseTo(0.01125, org.assertj.core.data.Offset.offset(1e-9));
    }
}
