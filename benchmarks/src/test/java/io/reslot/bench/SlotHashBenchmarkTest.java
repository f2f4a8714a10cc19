package io.reslot.bench;

import java.nio.ByteBuffer;

import io.lettuce.core.cluster.SlotHash;
import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.assertj.core.api.Assertions.assertThat;

/** Every implementation in {@link SlotHashBenchmark} computes the same slots on the benchmark's keys. */
class SlotHashBenchmarkTest {

    @ParameterizedTest
    @EnumSource(BenchmarkKeys.class)
    void competitorsAgreeOnEveryBenchmarkKey(BenchmarkKeys set) {
        String[] strings = set.strings();
        byte[][] bytes = set.bytes();
        ByteBuffer[] heap = set.buffers(false);
        ByteBuffer[] direct = set.buffers(true);
        int[] batch = KeySlot.fill(bytes, new int[bytes.length]);
        for (int i = 0; i < strings.length; i++) {
            int expected = JedisClusterCRC16.getSlot(bytes[i]);
            assertThat(new int[] {KeySlot.of(strings[i]), KeySlot.of(bytes[i]), KeySlot.of(heap[i]),
                KeySlot.of(direct[i]), batch[i], SlotHash.getSlot(bytes[i]), SlotHash.getSlot(heap[i]),
                SlotHash.getSlot(direct[i]), JedisClusterCRC16.getSlot(strings[i])})
                    .as("%s key %s", set, strings[i])
                    .containsOnly(expected);
        }
    }

    @Test
    void keySetsHaveTheAdvertisedShapes() {
        for (byte[] key : BenchmarkKeys.ASCII.bytes()) {
            assertThat(key.length).isBetween(10, 64);
        }
        for (byte[] key : BenchmarkKeys.ASCII20.bytes()) {
            assertThat(key).hasSize(20);
        }
        for (byte[] key : BenchmarkKeys.LONG256.bytes()) {
            assertThat(key).hasSize(256);
        }
        assertThat(BenchmarkKeys.ASCII.strings()).anyMatch(k -> k.contains("{")).anyMatch(k -> !k.contains("{"));
        assertThat(BenchmarkKeys.UTF8.strings()).anyMatch(k -> k.codePoints().anyMatch(Character::isSupplementaryCodePoint));
    }
}
