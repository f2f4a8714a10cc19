package io.reslot.slot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashTagTest {

    @Test
    void findsTheTagByTheRedisRule() {
        assertThat(HashTag.of("{user1000}.following")).isEqualTo("user1000");
        assertThat(HashTag.of("foo{{bar}}zap")).isEqualTo("{bar");
        assertThat(HashTag.of("foo{bar}{zap}")).isEqualTo("bar");
        assertThat(HashTag.of("a}b{c}d")).isEqualTo("c");
        assertThat(HashTag.of("foo{}{bar}")).isNull();
        assertThat(HashTag.of("foo{bar")).isNull();
        assertThat(HashTag.of("plain")).isNull();
    }

    @Test
    void answersWhetherAKeyHasATag() {
        assertThat(HashTag.has("x{y}")).isTrue();
        assertThat(HashTag.has("x{}y}")).isFalse();
        assertThat(HashTag.has("0123456789abcdef{y}".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(HashTag.has("0123456789abcdef{}".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void returnsTheHashedBytes() {
        assertThat(HashTag.hashedPart("foo{bar}zap".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("bar".getBytes(StandardCharsets.US_ASCII));
        assertThat(HashTag.hashedPart("foo{}bar".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("foo{}bar".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void findsBracesAtEveryPositionOfEveryLength() {
        for (int length = 0; length <= 40; length++) {
            for (int open = -1; open < length; open++) {
                for (int close = -1; close < length; close++) {
                    byte[] key = new byte[length];
                    for (int i = 0; i < length; i++) {
                        key[i] = (byte) ('a' + (i * 7 + length) % 26);
                    }
                    if (open >= 0) {
                        key[open] = '{';
                    }
                    if (close >= 0) {
                        key[close] = '}';
                    }
                    int expected = ReferenceSlot.slot(key);
                    String text = new String(key, StandardCharsets.US_ASCII);
                    ByteBuffer direct = ByteBuffer.allocateDirect(length).put(key).flip();

                    assertThat(new int[] {KeySlot.of(key), KeySlot.of(text), KeySlot.of(new StringBuilder(text)),
                        KeySlot.of(direct)}).as("key %s", text).containsOnly(expected);
                    assertThat(HashTag.has(key)).as("key %s", text)
                            .isEqualTo(open >= 0 && close > open + 1 && text.indexOf('}', open) == close);
                }
            }
        }
    }

    @Test
    void buildsTaggedKeys() {
        assertThat(HashTag.tagged("user:", "42", ":cart")).isEqualTo("user:{42}:cart");
        assertThat(KeySlot.of(HashTag.tagged("x", "abc", "{zz}"))).isEqualTo(KeySlot.of("abc"));
        byte[] tagged = HashTag.tagged(new byte[] {1, 2}, new byte[] {(byte) 0xFF}, new byte[] {'}'});
        assertThat(tagged).containsExactly(1, 2, '{', 0xFF, '}', '}');
    }

    @Test
    void refusesTagsRedisWouldReadDifferently() {
        assertThatThrownBy(() -> HashTag.tagged("a", "", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> HashTag.tagged("a", "x}y", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"x}y\" contains '}'");
        assertThatThrownBy(() -> HashTag.tagged("a{", "x", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix \"a{\" contains '{'");
    }
}
