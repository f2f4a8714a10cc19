package io.reslot.migrate.internal;

import io.reslot.slot.SlotSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobStoreTest {

    @Test
    void readsRedisBitOrder() {
        // SETBIT numbers bits from the most significant bit of the first byte.
        byte[] bitmap = {(byte) 0x80, 0x01, 0, (byte) 0xFF};

        assertThat(JobStore.slotsOf(bitmap)).isEqualTo(SlotSet.parse("0,15,24-31"));
    }

    @Test
    void readsAMissingBitmapAsNothingDone() {
        assertThat(JobStore.slotsOf(null).isEmpty()).isTrue();
        assertThat(JobStore.slotsOf(new byte[0]).isEmpty()).isTrue();
    }

    @Test
    void readsTheLastSlot() {
        byte[] bitmap = new byte[2048];
        bitmap[2047] = 0x01;

        assertThat(JobStore.slotsOf(bitmap)).isEqualTo(SlotSet.of(16383));
    }
}
