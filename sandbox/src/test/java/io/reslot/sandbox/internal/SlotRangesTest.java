package io.reslot.sandbox.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotRangesTest {
    @Test
    void splitsThreeMastersLikeRedisCli() {
        assertThat(SlotRanges.range(0, 3)).containsExactly(0, 5460);
        assertThat(SlotRanges.range(1, 3)).containsExactly(5461, 10922);
        assertThat(SlotRanges.range(2, 3)).containsExactly(10923, 16383);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 7, 100, 1000, 16383, 16384})
    void coversEverySlotOnceWithNearlyEqualRanges(int masters) {
        int next = 0;
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int m = 0; m < masters; m++) {
            int[] range = SlotRanges.range(m, masters);
            assertThat(range[0]).isEqualTo(next);
            assertThat(range[1]).isGreaterThanOrEqualTo(range[0]);
            smallest = Math.min(smallest, range[1] - range[0] + 1);
            largest = Math.max(largest, range[1] - range[0] + 1);
            next = range[1] + 1;
        }
        assertThat(next).isEqualTo(16384);
        assertThat(largest - smallest).isLessThanOrEqualTo(1);
    }

    @Test
    void rejectsBadCounts() {
        assertThatThrownBy(() -> SlotRanges.range(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> SlotRanges.range(3, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 3");
    }
}
