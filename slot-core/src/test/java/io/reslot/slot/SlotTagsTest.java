package io.reslot.slot;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotTagsTest {

    @Test
    void everySlotGetsAShortestTagThatLandsThere() {
        BitSet byOneChar = slotsReachedBy(1);
        BitSet byTwoChars = slotsReachedBy(2);
        byTwoChars.or(byOneChar);
        for (int slot = 0; slot < KeySlot.SLOT_COUNT; slot++) {
            String tag = SlotTags.tagFor(slot);

            assertThat(ReferenceSlot.slot("k{" + tag + "}")).as("tag %s for slot %d", tag, slot).isEqualTo(slot);
            assertThat(tag).matches("[0-9A-Za-z]{1,3}");
            if (tag.length() == 3) {
                assertThat(byTwoChars.get(slot)).as("slot %d has a shorter tag than %s", slot, tag).isFalse();
            } else if (tag.length() == 2) {
                assertThat(byOneChar.get(slot)).as("slot %d has a shorter tag than %s", slot, tag).isFalse();
            }
        }
    }

    @Test
    void choosesTheFirstTagInAlphabetOrder() {
        assertThat(SlotTags.tagFor(KeySlot.of("0"))).isEqualTo("0");
        assertThat(SlotTags.tagFor(KeySlot.of("z"))).isEqualTo("z");
    }

    @Test
    void rejectsSlotsOutOfRange() {
        assertThatThrownBy(() -> SlotTags.tagFor(16384)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slot 16384 is out of range 0-16383");
        assertThatThrownBy(() -> SlotTags.tagFor(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BitSet slotsReachedBy(int length) {
        BitSet reached = new BitSet();
        int n = SlotTags.ALPHABET.length();
        int combinations = (int) Math.pow(n, length);
        for (int c = 0; c < combinations; c++) {
            StringBuilder tag = new StringBuilder();
            for (int i = 0, rest = c; i < length; i++, rest /= n) {
                tag.append(SlotTags.ALPHABET.charAt(rest % n));
            }
            reached.set(ReferenceSlot.slot(tag.toString().getBytes(StandardCharsets.US_ASCII)));
        }
        return reached;
    }
}
