package io.reslot.migrate;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.api.sync.RedisCommands;

/**
 * Whether two nodes hold the same value under one key, for BUSYKEY. Equal {@code DUMP} payloads settle it. A hash or
 * set stored as a hash table dumps in its table's order, which differs between two servers holding the same value (a
 * key a killed node restored but its source did not hear back about is the usual case), so for those two types
 * different payloads are followed by a comparison of the contents.
 */
final class SameValue {

    /** One side of the comparison: a connection, and whether each command must be preceded by {@code ASKING}. */
    record Side(RedisCommands<byte[], byte[]> redis, boolean asking) {

        private RedisCommands<byte[], byte[]> ask() {
            if (asking) {
                redis.asking(); // serves a slot the node is importing; the side's connection must be its caller's own
            }
            return redis;
        }
    }

    private SameValue() {
    }

    /** Whether {@code key} has the same value on both sides; a key missing on one side only is not the same. */
    static boolean of(byte[] key, Side a, Side b) {
        byte[] dumpA = a.ask().dump(key);
        byte[] dumpB = b.ask().dump(key);
        if (dumpA == null || dumpB == null || Arrays.equals(dumpA, dumpB)) {
            return dumpA == null && dumpB == null || Arrays.equals(dumpA, dumpB);
        }
        String type = a.ask().type(key);
        if (!type.equals(b.ask().type(key))) {
            return false;
        }
        switch (type) {
            case "hash":
                return fields(a.ask().hgetall(key)).equals(fields(b.ask().hgetall(key)));
            case "set":
                return members(a.ask().smembers(key)).equals(members(b.ask().smembers(key)));
            default:
                return false; // other types dump the same bytes for the same value
        }
    }

    private static Map<ByteBuffer, ByteBuffer> fields(Map<byte[], byte[]> hash) {
        Map<ByteBuffer, ByteBuffer> fields = new HashMap<>();
        hash.forEach((field, value) -> fields.put(ByteBuffer.wrap(field), ByteBuffer.wrap(value)));
        return fields;
    }

    private static Set<ByteBuffer> members(Set<byte[]> set) {
        Set<ByteBuffer> members = new HashSet<>();
        set.forEach(member -> members.add(ByteBuffer.wrap(member)));
        return members;
    }
}
