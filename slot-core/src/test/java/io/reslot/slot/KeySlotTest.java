package io.reslot.slot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeySlotTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{user1000}.following|3443",
        "{user1000}.followers|3443",
        "foo{}{bar}|8363",
        "foo{{bar}}zap|4015",
        "foo{bar}{zap}|5061",
        "somekey|11058",
        "foo|12182",
        "''|0",
    })
    void matchesReferenceVectors(String key, int slot) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);

        assertThat(KeySlot.of(key)).isEqualTo(slot);
        assertThat(KeySlot.of(new StringBuilder(key))).isEqualTo(slot);
        assertThat(KeySlot.of(bytes)).isEqualTo(slot);
        assertThat(KeySlot.of(ByteBuffer.wrap(bytes))).isEqualTo(slot);
    }

    @Test
    void usesTheTagAfterTheFirstOpenBrace() {
        assertThat(KeySlot.of("a}b{c}d")).isEqualTo(KeySlot.of("c"));
        assertThat(KeySlot.of("{}{c}")).isEqualTo(ReferenceSlot.slot("{}{c}")).isNotEqualTo(KeySlot.of("c"));
        assertThat(KeySlot.of("x{unclosed")).isEqualTo(ReferenceSlot.slot("x{unclosed"));
        assertThat(KeySlot.of("user:{42}:cart")).isEqualTo(KeySlot.of("42")).isEqualTo(8000);
    }

    @Test
    void hashesLoneSurrogatesAsQuestionMarks() {
        assertThat(KeySlot.of("key\uD800")).isEqualTo(KeySlot.of("key?"));
        assertThat(KeySlot.of("{\uDC00}")).isEqualTo(KeySlot.of("?"));
        assertThat(KeySlot.of("\uD83D\uDE00")).isEqualTo(KeySlot.of("\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<Arguments> bufferShapes() {
        Function<byte[], ByteBuffer> heap = ByteBuffer::wrap;
        Function<byte[], ByteBuffer> direct = b -> ByteBuffer.allocateDirect(b.length).put(b).flip();
        Function<byte[], ByteBuffer> heapWithPosition = b -> {
            ByteBuffer buffer = ByteBuffer.allocate(b.length + 7);
            buffer.put(new byte[] {'{', 'x', '}', '{', 'y', '}', 'z'}).put(b).flip();
            return buffer.position(7);
        };
        Function<byte[], ByteBuffer> directWithPositionAndLimit = b -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(b.length + 10);
            buffer.put(new byte[] {'{', 'a', '}', 'q', 'q'}).put(b).put(new byte[] {'{', 'b', '}', '}', '}'});
            return buffer.limit(5 + b.length).position(5);
        };
        Function<byte[], ByteBuffer> slicedHeap = b -> {
            ByteBuffer buffer = ByteBuffer.allocate(b.length + 6);
            buffer.put(new byte[] {'{', 'a', '}'}).put(b).put(new byte[] {'{', 'b', '}'});
            return buffer.position(3).limit(3 + b.length).slice();
        };
        Function<byte[], ByteBuffer> slicedDirect = b -> directWithPositionAndLimit.apply(b).slice();
        Function<byte[], ByteBuffer> readOnlyHeap = b -> heapWithPosition.apply(b).asReadOnlyBuffer();
        Function<byte[], ByteBuffer> readOnlyDirect = b -> directWithPositionAndLimit.apply(b).asReadOnlyBuffer();
        Function<byte[], ByteBuffer> littleEndian = b -> heapWithPosition.apply(b).order(ByteOrder.LITTLE_ENDIAN);
        Function<byte[], ByteBuffer> littleEndianDirect =
                b -> directWithPositionAndLimit.apply(b).order(ByteOrder.LITTLE_ENDIAN);
        return Stream.of(
                Arguments.of("heap", heap),
                Arguments.of("direct", direct),
                Arguments.of("heap, position > 0", heapWithPosition),
                Arguments.of("direct, position > 0 and limit < capacity", directWithPositionAndLimit),
                Arguments.of("sliced heap (array offset)", slicedHeap),
                Arguments.of("sliced direct", slicedDirect),
                Arguments.of("read-only heap", readOnlyHeap),
                Arguments.of("read-only direct", readOnlyDirect),
                Arguments.of("little-endian heap", littleEndian),
                Arguments.of("little-endian direct", littleEndianDirect));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bufferShapes")
    void hashesEveryBufferShapeWithoutChangingIt(String shape, Function<byte[], ByteBuffer> make) {
        RandomKeys keys = new RandomKeys(shape.hashCode());
        for (int i = 0; i < 5_000; i++) {
            byte[] key = keys.bytes();
            ByteBuffer buffer = make.apply(key);
            int position = buffer.position();
            int limit = buffer.limit();
            ByteOrder order = buffer.order();

            assertThat(KeySlot.of(buffer)).as("%s key %s", shape, Arrays.toString(key))
                    .isEqualTo(ReferenceSlot.slot(key));
            assertThat(buffer.position()).isEqualTo(position);
            assertThat(buffer.limit()).isEqualTo(limit);
            assertThat(buffer.order()).isEqualTo(order);
        }
    }

    @Test
    void hashesARangeOfALargerArray() {
        byte[] array = "{a}user:{42}:cart{b}".getBytes(StandardCharsets.US_ASCII);

        assertThat(KeySlot.of(array, 3, 14)).isEqualTo(KeySlot.of("user:{42}:cart"));
        assertThatThrownBy(() -> KeySlot.of(array, 10, 11)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void fillsSlotsForBatches() {
        String[] strings = {"foo", "somekey", "{user1000}.following", "\uD83D\uDE00"};
        byte[][] bytes = Arrays.stream(strings).map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        int[] expected = Arrays.stream(strings).mapToInt(ReferenceSlot::slot).toArray();

        assertThat(KeySlot.fill(strings, new int[4])).containsExactly(expected);
        assertThat(KeySlot.fill(bytes, new int[5])).startsWith(expected).endsWith(0);
        List<Object> mixed = List.of(strings[0], bytes[1], ByteBuffer.wrap(bytes[2]), new StringBuilder(strings[3]));
        assertThat(KeySlot.fill(mixed, new int[4])).containsExactly(expected);
    }

    @Test
    void rejectsBadBatches() {
        assertThatThrownBy(() -> KeySlot.fill(new byte[][] {{1}, {2}}, new int[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slots has room for 1 keys, not 2");
        assertThatThrownBy(() -> KeySlot.fill(List.of("a", 42), new int[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key at index 1 is a java.lang.Integer");
        assertThatThrownBy(() -> KeySlot.fill(Arrays.asList("a", null), new int[2]))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("key at index 1 is null");
    }
}
