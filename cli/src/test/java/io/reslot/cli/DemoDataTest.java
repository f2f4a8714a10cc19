package io.reslot.cli;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.reslot.rewrite.Renaming;
import io.reslot.rewrite.Rules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoDataTest {

    @Test
    void groupsFiveKeysForTwoUsers() {
        assertThat(List.of(0, 1, 2, 3, 4, 5).stream().map(DemoData::name).toList()).containsExactly(
                "user:0:profile", "user:0:cart", "session:0", "user:1:profile", "user:1:cart", "user:2:profile");
        assertThat(DemoData.users(200_000)).isEqualTo(80_000);
        assertThat(DemoData.users(1)).isEqualTo(1);
        assertThat(DemoData.users(4)).isEqualTo(2);
        assertThat(DemoData.users(0)).isZero();
    }

    @Test
    void namesEveryKeyOnce() {
        Set<String> names = new HashSet<>();
        Set<String> newNames = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            names.add(DemoData.name(i));
            newNames.add(DemoData.newName(i));
        }
        assertThat(names).hasSize(10_000);
        assertThat(newNames).hasSize(10_000);
    }

    @Test
    void newNamesAreWhatTheDemosRetagRuleMakes() {
        Rules rules = Rules.of(List.of(DemoCommand.TAG_USERS));
        for (int i = 0; i < 1000; i++) {
            Renaming renaming = rules.rename(DemoData.name(i).getBytes(StandardCharsets.UTF_8));
            if (DemoData.kind(i) == DemoData.Kind.SESSION) {
                assertThat(renaming.outcome()).isEqualTo(Renaming.Outcome.NO_MATCH);
                assertThat(DemoData.newName(i)).isEqualTo(DemoData.name(i));
            } else {
                assertThat(renaming.outcome()).isEqualTo(Renaming.Outcome.RENAMED);
                assertThat(new String(renaming.newName(), StandardCharsets.UTF_8)).isEqualTo(DemoData.newName(i));
            }
        }
    }

    @Test
    void givesSessionsAndEveryThirdCartATtl() {
        int withTtl = 0;
        for (int i = 0; i < 3000; i++) {
            long ttl = DemoData.ttlMillis(i);
            switch (DemoData.kind(i)) {
                case SESSION -> assertThat(ttl).isEqualTo(DemoData.SESSION_TTL_MILLIS);
                case PROFILE -> assertThat(ttl).isZero();
                case CART -> assertThat(ttl).isEqualTo(DemoData.user(i) % 3 == 0 ? DemoData.CART_TTL_MILLIS : 0);
            }
            withTtl += ttl > 0 ? 1 : 0;
        }
        assertThat(withTtl).isEqualTo(1000); // 600 sessions, 400 carts
    }

    @Test
    void makesCartsOfDistinctItemsAndDistinctSessions() {
        Set<String> sessions = new HashSet<>();
        for (int user = 0; user < 5000; user++) {
            List<String> cart = DemoData.cart(user);
            assertThat(cart).hasSize(1 + user % 4).doesNotHaveDuplicates();
            assertThat(DemoData.profile(user)).containsKeys("name", "email", "visits");
            sessions.add(DemoData.session(user));
        }
        assertThat(sessions).hasSize(5000).allSatisfy(s -> assertThat(s).hasSize(40).matches("[0-9a-f]+"));
    }
}
