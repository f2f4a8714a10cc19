package io.reslot.slot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Crc16Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"123456789|31C3", "''|0000", "Hello, World!|4FD6"})
    void matchesPublishedVectors(String input, String hex) {
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        int expected = Integer.parseInt(hex, 16);

        assertThat(Crc16.of(bytes)).isEqualTo(expected);
        assertThat(Crc16.ofUtf8(input)).isEqualTo(expected);
        assertThat(Crc16.of(ByteBuffer.wrap(bytes))).isEqualTo(expected);
    }

    @Test
    void agreesWithBitwiseCrcOnEveryLengthAndOffset() {
        SplittableRandom random = new SplittableRandom(16);
        byte[] data = new byte[320];
        random.nextBytes(data);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; off + len <= data.length; len++) {
                assertThat(Crc16.of(data, off, len))
                        .as("off %d len %d", off, len)
                        .isEqualTo(ReferenceSlot.crc16(data, off, len));
            }
        }
    }

    @Test
    void hashesDirectBuffersLikeArrays() {
        SplittableRandom random = new SplittableRandom(17);
        for (int len = 0; len < 100; len++) {
            byte[] data = new byte[len + 5];
            random.nextBytes(data);
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data);
            direct.position(5);

            assertThat(Crc16.of(direct)).isEqualTo(ReferenceSlot.crc16(data, 5, len));
            assertThat(direct.position()).isEqualTo(5);
        }
    }

    @Test
    void encodesCharsAsUtf8WithLoneSurrogatesAsQuestionMarks() {
        String[] texts = {"h\u00e9llo w\u00f6rld and more", "\uD83D\uDE00 emoji", "lone \uD800 high", "lone \uDC00 low",
            "\uD800\uD800\uDC00 high then pair", "ends high \uD800", "\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587",
            "abcdefg\uD83D\uDE00hijklmnop", "ascii-only-but-longer-than-eight"};
        for (String text : texts) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertThat(Crc16.ofUtf8(text)).as(text).isEqualTo(ReferenceSlot.crc16(utf8, 0, utf8.length));
            assertThat(Crc16.ofUtf8(new StringBuilder(text))).as(text)
                    .isEqualTo(ReferenceSlot.crc16(utf8, 0, utf8.length));
        }
    }

    @Test
    void rejectsRangesOutsideTheArray() {
        assertThatThrownBy(() -> Crc16.of(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Crc16.of(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
