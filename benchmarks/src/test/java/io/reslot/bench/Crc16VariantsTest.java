package io.reslot.bench;

import java.util.SplittableRandom;

import io.reslot.slot.Crc16;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's candidate variants compute the same CRC as reslot, or the comparison would mean nothing. */
class Crc16VariantsTest {

    @Test
    void everyVariantAgreesWithCrc16() {
        SplittableRandom random = new SplittableRandom(1);
        for (int len = 0; len < 300; len++) {
            byte[] data = new byte[len + 3];
            random.nextBytes(data);
            int expected = Crc16.of(data, 3, len);

            assertThat(Crc16Variants.byteAtATime(data, 3, len)).as("byte-at-a-time, %d bytes", len).isEqualTo(expected);
            assertThat(Crc16Variants.sliceBy4(data, 3, len)).as("slice-by-4, %d bytes", len).isEqualTo(expected);
            assertThat(Crc16Variants.sliceBy8Chars(data, 3, len)).as("slice-by-8 chars, %d", len).isEqualTo(expected);
            assertThat(Crc16Variants.sliceBy16(data, 3, len)).as("slice-by-16, %d bytes", len).isEqualTo(expected);
        }
    }
}
