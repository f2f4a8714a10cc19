package io.reslot.slot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One million random keys of every kind through every entry point of {@link KeySlot}, each compared with the plain
 * reference implementation.
 */
class KeySlotDifferentialTest {

    private static final int KEYS = 1_000_000;
    private static final long SEED = 0x5EED_2026L;

    @Test
    void agreesWithReferenceOnAMillionRandomKeys() {
        RandomKeys keys = new RandomKeys(SEED);
        ByteBuffer direct = ByteBuffer.allocateDirect(1024);
        byte[] padded = new byte[1024];
        int checked = 0;
        for (int i = 0; i < KEYS / 2; i++) {
            String text = keys.string();
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            int expected = ReferenceSlot.slot(utf8);
            if (KeySlot.of(text) != expected || KeySlot.ofChars(text) != expected || KeySlot.of(utf8) != expected) {
                assertThat(KeySlot.of(text)).as("string key %s (seed %x, #%d)", escape(text), SEED, i)
                        .isEqualTo(expected);
                assertThat(KeySlot.ofChars(text)).as("chars of %s", escape(text)).isEqualTo(expected);
                assertThat(KeySlot.of(utf8)).as("UTF-8 of %s", escape(text)).isEqualTo(expected);
            }
            checked++;

            byte[] key = keys.bytes();
            expected = ReferenceSlot.slot(key);
            int off = keys.nextInt(8);
            System.arraycopy(key, 0, padded, off, key.length);
            direct.clear().position(off);
            direct.put(key).flip().position(off);
            int ofArray = KeySlot.of(key);
            int ofRange = KeySlot.of(padded, off, key.length);
            int ofDirect = KeySlot.of(direct);
            if (ofArray != expected || ofRange != expected || ofDirect != expected) {
                assertThat(new int[] {ofArray, ofRange, ofDirect})
                        .as("byte key %s (seed %x, #%d): array, range, direct", Arrays.toString(key), SEED, i)
                        .containsOnly(expected);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(KEYS);
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return sb.toString();
    }
}
