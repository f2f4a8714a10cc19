package io.reslot.slot;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotSetTest {

    @Test
    void parsesAndPrintsRanges() {
        SlotSet set = SlotSet.parse("0-5460,6000,7000-7100");

        assertThat(set.size()).isEqualTo(5461 + 1 + 101);
        assertThat(set.toString()).isEqualTo("0-5460,6000,7000-7100");
        assertThat(set.ranges()).containsExactly(new SlotRange(0, 5460), SlotRange.of(6000), new SlotRange(7000, 7100));
        assertThat(set.contains(5460)).isTrue();
        assertThat(set.contains(5461)).isFalse();
        assertThat(set.contains(16384)).isFalse();
    }

    @Test
    void mergesOverlappingAndAdjacentItems() {
        assertThat(SlotSet.parse(" 10-20 , 15-30,31,5").toString()).isEqualTo("5,10-31");
        assertThat(SlotSet.parse("0-16383").toString()).isEqualTo("0-16383");
        assertThat(SlotSet.parse("0-16383")).isEqualTo(SlotSet.all());
    }

    @Test
    void doesSetAlgebra() {
        SlotSet a = SlotSet.parse("0-99");
        SlotSet b = SlotSet.parse("50-149");

        assertThat(a.union(b).toString()).isEqualTo("0-149");
        assertThat(a.intersection(b).toString()).isEqualTo("50-99");
        assertThat(a.minus(b).toString()).isEqualTo("0-49");
        assertThat(a.complement().toString()).isEqualTo("100-16383");
        assertThat(a.containsAll(SlotSet.of(0, 99))).isTrue();
        assertThat(a.containsAll(b)).isFalse();
        assertThat(SlotSet.empty().isEmpty()).isTrue();
        assertThat(SlotSet.empty().toString()).isEmpty();
    }

    @Test
    void iteratesInOrder() {
        SlotSet set = SlotSet.of(16383, 3, 64, 63, 3);

        assertThat(set.toArray()).containsExactly(3, 63, 64, 16383);
        assertThat(set.next(65)).isEqualTo(16383);
        assertThat(set.next(16384)).isEqualTo(-1);
        assertThat(SlotSet.ofRanges(List.of(new SlotRange(60, 70))).size()).isEqualTo(11);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1,,2|item 2 is empty",
        "''|item 1 is empty",
        "5,|item 2 is empty",
        "0-16384|item 1 \"0-16384\": slot 16384 is out of range 0-16383",
        "1,200-100|item 2 \"200-100\": range is reversed (200 > 100)",
        "1,x|item 2 \"x\" is not a slot or a slot range",
        "-5|item 1 \"-5\" is not a slot or a slot range",
        "1-2-3|item 1 \"1-2-3\" is not a slot or a slot range",
        "99999999999|item 1 \"99999999999\" is not a slot or a slot range",
    })
    void namesTheBadItem(String text, String message) {
        assertThatThrownBy(() -> SlotSet.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid slots \"" + text + "\": ")
                .hasMessageContaining(message);
    }

    @Test
    void rejectsBadRanges() {
        assertThatThrownBy(() -> new SlotRange(10, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slot range 10-5 is reversed");
        assertThatThrownBy(() -> SlotRange.of(16384)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slot 16384 is out of range 0-16383");
        assertThatThrownBy(() -> SlotSet.of(1, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slot -2 is out of range 0-16383");
        assertThat(SlotRange.parse(" 7 ")).isEqualTo(SlotRange.of(7));
        assertThat(SlotRange.parse("7-9").size()).isEqualTo(3);
    }
}
