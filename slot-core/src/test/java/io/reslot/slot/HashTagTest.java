package io.reslot.slot;

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
    void findsBracesAtEveryPositionOfLongKeys() {
        for (int open = 0; open < 40; open++) {
            for (int close = open + 2; close < 41; close++) {
                byte[] key = new byte[41];
                java.util.Arrays.fill(key, (byte) 'k');
                key[open] = '{';
                key[close] = '}';
                key[open + 1] = (byte) ('a' + close % 26);
                assertThat(KeySlot.of(key)).as("{ at %d, } at %d", open, close).isEqualTo(ReferenceSlot.slot(key));
                assertThat(HashTag.has(key)).isTrue();
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
