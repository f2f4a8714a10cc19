package io.reslot.slot;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StringBytesTest {

    @Test
    void isAvailableOnTheJavaVersionsItIsMeantFor() {
        // The build runs on Java 17; if this fails there, KeySlot.of(String) silently lost its fast path.
        assertThat(StringBytes.AVAILABLE).isEqualTo(Runtime.version().feature() <= 23);
    }

    @Test
    void exposesLatin1StringsOnly() {
        if (!StringBytes.AVAILABLE) {
            assertThat(StringBytes.latin1("abc")).isNull();
            return;
        }
        assertThat(StringBytes.latin1("user:{42}:cart")).isEqualTo("user:{42}:cart".getBytes(StandardCharsets.US_ASCII));
        assertThat(StringBytes.latin1("caf\u00e9")).containsExactly('c', 'a', 'f', 0xE9);
        assertThat(StringBytes.latin1("\u4e2d\u6587")).isNull();
        assertThat(StringBytes.latin1("\uD83D\uDE00")).isNull();
        assertThat(StringBytes.latin1("")).isEmpty();
    }

    @Test
    void stringsOutsideAsciiTakeTheCharPathAndAgree() {
        String[] keys = {"caf\u00e9", "{caf\u00e9}x", "\u00ff\u00fe\u00fd\u00fc\u00fb\u00fa\u00f9\u00f8\u00f7", "\u4e2d{1}",
            "plain-ascii-key-longer-than-eight", "{}", "a\uD800b"};
        for (String key : keys) {
            int expected = ReferenceSlot.slot(key);
            assertThat(KeySlot.of(key)).as(key).isEqualTo(expected);
            assertThat(KeySlot.ofChars(key)).as(key).isEqualTo(expected);
        }
    }
}
