package io.reslot.cli;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoVerificationTest {

    private static final int PROFILE = 0;
    private static final int CART_WITH_TTL = 1; // user 0
    private static final int SESSION = 2;
    private static final int CART_WITHOUT_TTL = 4; // user 1

    @Test
    void acceptsKeysAsTheyWereLoaded() {
        DemoVerification.Tally tally = new DemoVerification.Tally();

        tally.check(PROFILE, DemoVerification.expected(PROFILE), -1L);
        tally.check(CART_WITH_TTL, DemoVerification.expected(CART_WITH_TTL), DemoData.CART_TTL_MILLIS - 5000);
        tally.check(SESSION, DemoVerification.expected(SESSION), 1L);
        tally.check(CART_WITHOUT_TTL, DemoVerification.expected(CART_WITHOUT_TTL), -1L);

        assertThat(tally.missing + tally.wrongValue + tally.wrongTtl).isZero();
        assertThat(tally.examples).isEmpty();
    }

    @Test
    void countsAMissingKeyOnce() {
        DemoVerification.Tally tally = new DemoVerification.Tally();

        tally.check(PROFILE, java.util.Map.of(), -2L);

        assertThat(tally.missing).isEqualTo(1);
        assertThat(tally.wrongValue + tally.wrongTtl).isZero();
        assertThat(tally.examples).containsExactly("user:{0}:profile is missing (loaded as user:0:profile)");
    }

    @Test
    void countsAnotherValueOrAnError() {
        DemoVerification.Tally tally = new DemoVerification.Tally();

        tally.check(SESSION, "something else", 1000L);
        tally.check(PROFILE, new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong "
                + "kind of value"), -1L);

        assertThat(tally.wrongValue).isEqualTo(2);
        assertThat(tally.wrongTtl).isZero();
    }

    @Test
    void countsATtlLostGainedOrLongerThanLoaded() {
        DemoVerification.Tally tally = new DemoVerification.Tally();

        tally.check(SESSION, DemoVerification.expected(SESSION), -1L);
        tally.check(PROFILE, DemoVerification.expected(PROFILE), 1000L);
        tally.check(CART_WITH_TTL, DemoVerification.expected(CART_WITH_TTL), DemoData.CART_TTL_MILLIS + 1);
        tally.check(CART_WITH_TTL, DemoVerification.expected(CART_WITH_TTL), 0L);

        assertThat(tally.wrongTtl).isEqualTo(4);
        assertThat(tally.wrongValue + tally.missing).isZero();
        assertThat(tally.examples).hasSize(4).first().asString().isEqualTo(
                "session:0 has PTTL -1, expected 1 to 3600000 ms");
    }

    @Test
    void comparesSetsRegardlessOfOrder() {
        int user = 1; // odd: a set
        java.util.List<String> items = new java.util.ArrayList<>(DemoData.cart(user));
        java.util.Collections.reverse(items);
        DemoVerification.Tally tally = new DemoVerification.Tally();

        tally.check(CART_WITHOUT_TTL, new java.util.LinkedHashSet<>(items), -1L);

        assertThat(tally.wrongValue).isZero();
    }

    @Test
    void keepsFiveExamples() {
        DemoVerification.Tally tally = new DemoVerification.Tally();

        for (int i = 0; i < 20; i++) {
            tally.check(i, null, -2L);
        }

        assertThat(tally.missing).isEqualTo(20);
        assertThat(tally.examples).hasSize(5);
        assertThat(new DemoVerification(20, 20, 0, 0, tally.examples).passed()).isFalse();
        assertThat(new DemoVerification(20, 0, 0, 0, java.util.List.of()).passed()).isTrue();
    }
}
