package io.reslot.slot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * The Redis Cluster hash slot of a key: {@code CRC16(hashed part) mod 16384}, where the hashed part is the key's
 * {@linkplain HashTag hash tag} when it has one and the whole key otherwise. Agrees with the server's
 * {@code CLUSTER KEYSLOT} on every key, binary ones included.
 *
 * <pre>{@code
 * int slot = KeySlot.of("user:{42}:cart");             // 8000, the slot of "42"
 * int same = KeySlot.of("user:{42}:cart".getBytes(UTF_8));
 * int[] slots = KeySlot.fill(keys, new int[keys.length]);
 * }</pre>
 *
 * <p>Strings are hashed as their UTF-8 bytes, exactly as {@code String.getBytes(UTF_8)} encodes them, but without
 * encoding into a new array: a lone surrogate counts as {@code '?'}. An ASCII {@code String} is hashed straight from
 * the bytes it already holds (on Java 17 to 23; see {@code StringBytes}), any other {@code CharSequence} char by
 * char. These are the bytes Lettuce's
 * {@code StringCodec.UTF8} and Jedis send for every string, with one exception in Lettuce (Netty's encoder): after a
 * lone high surrogate it sends {@code '?'} and then only the low byte of the next char, which is not UTF-8. For keys
 * that are not well-formed text, pass the bytes you actually send.
 *
 * <p>The single-key methods allocate nothing and never change their argument. All methods are static and
 * thread-safe.
 */
public final class KeySlot {

    /** The number of hash slots in a Redis Cluster. */
    public static final int SLOT_COUNT = 16384;

    /** The highest slot number, {@code SLOT_COUNT - 1}. */
    public static final int MAX_SLOT = SLOT_COUNT - 1;

    private static final int MASK = SLOT_COUNT - 1;
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** What {@link #slot(byte[], int, int, boolean)} answers for Latin-1 bytes that are not all ASCII. */
    private static final int NOT_ASCII = -1;

    private static final VarHandle LONG_BE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private KeySlot() {
    }

    /**
     * Returns the slot of {@code key}.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static int of(byte[] key) {
        return slot(key, 0, key.length);
    }

    /**
     * Returns the slot of the key stored in {@code key[off, off + len)}.
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IndexOutOfBoundsException if the range is not inside {@code key}
     */
    public static int of(byte[] key, int off, int len) {
        Objects.checkFromIndexSize(off, len, key.length);
        return slot(key, off, off + len);
    }

    /**
     * Returns the slot of the key held in the buffer's remaining bytes (position to limit). Heap (also sliced, with
     * an array offset), direct and read-only buffers are accepted; the buffer's position, limit, mark and order are
     * left unchanged.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static int of(ByteBuffer key) {
        int from = key.position();
        int to = key.limit();
        if (key.hasArray()) {
            int base = key.arrayOffset();
            return slot(key.array(), base + from, base + to);
        }
        // The same single pass as slot(byte[], int, int), over a buffer without an accessible array (direct or
        // read-only). It is written out twice because a VarHandle is only fast when it is a constant.
        int crc = 0;
        int i = from;
        for (; i <= to - 8; i += 8) {
            long word = (long) LONG_BE_BUFFER.get(key, i);
            if (HashTag.hasOpenBrace(word)) {
                break;
            }
            crc = Crc16.step8(crc, word);
        }
        int rest = to - i;
        if (rest < 8 && to - from >= 8) {
            if (rest == 0) {
                return crc & MASK;
            }
            long last = (long) LONG_BE_BUFFER.get(key, to - 8) << ((8 - rest) << 3);
            if (!HashTag.hasOpenBrace(last)) {
                return Crc16.stepTail(crc, last, rest) & MASK;
            }
        }
        int open = HashTag.indexOf(key, (byte) '{', i, to);
        if (open >= 0) {
            int close = HashTag.indexOf(key, (byte) '}', open + 1, to);
            if (close > open + 1) {
                return Crc16.update(0, key, open + 1, close) & MASK;
            }
        }
        return Crc16.update(crc, key, i, to) & MASK;
    }

    /**
     * Returns the slot of the UTF-8 encoding of {@code key}.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static int of(CharSequence key) {
        if (key instanceof String) {
            // An ASCII string's own bytes are its UTF-8: hash them in place, as a byte[] key.
            byte[] latin1 = StringBytes.latin1((String) key);
            if (latin1 != null) {
                int slot = slot(latin1, 0, latin1.length, true);
                if (slot != NOT_ASCII) {
                    return slot;
                }
            }
        }
        return ofChars(key);
    }

    /** {@link #of(CharSequence)} read through {@code charAt}, for any CharSequence. */
    static int ofChars(CharSequence key) {
        int to = key.length();
        int crc = 0;
        int i = 0;
        for (; i <= to - 8; i += 8) {
            long word = Crc16.ascii8(key, i);
            if (word < 0 || HashTag.hasOpenBrace(word)) {
                break;
            }
            crc = Crc16.step8(crc, word);
        }
        int rest = to - i;
        if (rest < 8 && to >= 8) {
            if (rest == 0) {
                return crc & MASK;
            }
            long last = Crc16.ascii8(key, to - 8);
            if (last >= 0) {
                last <<= (8 - rest) << 3;
                if (!HashTag.hasOpenBrace(last)) {
                    return Crc16.stepTail(crc, last, rest) & MASK;
                }
            }
        }
        int open = HashTag.indexOf(key, '{', i, to);
        if (open >= 0) {
            int close = HashTag.indexOf(key, '}', open + 1, to);
            if (close > open + 1) {
                return Crc16.updateUtf8(0, key, open + 1, close) & MASK;
            }
        }
        return Crc16.updateUtf8(crc, key, i, to) & MASK;
    }

    /**
     * Writes the slot of {@code keys[i]} to {@code slots[i]} for every {@code i} and returns {@code slots}.
     *
     * @throws NullPointerException if {@code keys}, {@code slots} or a key is null
     * @throws IllegalArgumentException if {@code slots} is shorter than {@code keys}
     */
    public static int[] fill(byte[][] keys, int[] slots) {
        requireRoom(keys.length, slots);
        for (int i = 0; i < keys.length; i++) {
            byte[] key = keys[i];
            slots[i] = slot(key, 0, key.length);
        }
        return slots;
    }

    /**
     * Writes the slot of {@code keys[i]} to {@code slots[i]} for every {@code i} and returns {@code slots}.
     *
     * @throws NullPointerException if {@code keys}, {@code slots} or a key is null
     * @throws IllegalArgumentException if {@code slots} is shorter than {@code keys}
     */
    public static int[] fill(CharSequence[] keys, int[] slots) {
        requireRoom(keys.length, slots);
        for (int i = 0; i < keys.length; i++) {
            slots[i] = of(keys[i]);
        }
        return slots;
    }

    /**
     * Writes the slot of {@code keys.get(i)} to {@code slots[i]} for every {@code i} and returns {@code slots}. Each
     * key may be a {@code byte[]}, a {@link ByteBuffer} or a {@link CharSequence}; they may be mixed.
     *
     * @throws NullPointerException if {@code keys}, {@code slots} or a key is null
     * @throws IllegalArgumentException if {@code slots} is shorter than {@code keys}, or a key is of another type
     */
    public static int[] fill(List<?> keys, int[] slots) {
        int n = keys.size();
        requireRoom(n, slots);
        for (int i = 0; i < n; i++) {
            Object key = keys.get(i);
            if (key instanceof byte[]) {
                byte[] bytes = (byte[]) key;
                slots[i] = slot(bytes, 0, bytes.length);
            } else if (key instanceof CharSequence) {
                slots[i] = of((CharSequence) key);
            } else if (key instanceof ByteBuffer) {
                slots[i] = of((ByteBuffer) key);
            } else {
                Objects.requireNonNull(key, "key at index " + i + " is null");
                throw new IllegalArgumentException("key at index " + i + " is a " + key.getClass().getName()
                        + "; expected byte[], ByteBuffer or CharSequence");
            }
        }
        return slots;
    }

    private static void requireRoom(int keys, int[] slots) {
        requireArgument(slots.length >= keys, "slots has room for %d keys, not %d", slots.length, keys);
    }

    /** Whether {@code bytes[from, to)} are all below 0x80. */
    private static boolean isAscii(byte[] bytes, int from, int to) {
        long high = 0;
        int i = from;
        for (; i <= to - 8; i += 8) {
            high |= (long) LONG_BE_ARRAY.get(bytes, i);
        }
        for (; i < to; i++) {
            high |= bytes[i];
        }
        return (high & HIGH_BITS) == 0;
    }

    /**
     * The slot of {@code key[from, to)}; bounds already checked. One pass for the common key without a {@code '{'}:
     * eight bytes per step are tested for a brace and hashed at once, and the last 1–7 bytes come from one more
     * 8-byte load that overlaps bytes already seen (brace-free, so the test stays exact). Only a key with a
     * {@code '{'} takes the second look that Redis's rule needs, keeping the CRC of the bytes before it in case
     * the tag turns out empty or unclosed.
     */
    private static int slot(byte[] key, int from, int to) {
        return slot(key, from, to, false);
    }

    /**
     * As {@link #slot(byte[], int, int)}; with {@code latin1}, {@code key} is a string's Latin-1 bytes, which are its
     * UTF-8 only while they are ASCII: the first byte at or above 0x80 makes it answer {@link #NOT_ASCII}. Every
     * caller passes a constant, so the JIT compiles the check away where it is false.
     */
    private static int slot(byte[] key, int from, int to, boolean latin1) {
        int crc = 0;
        int i = from;
        for (; i <= to - 8; i += 8) {
            long word = (long) LONG_BE_ARRAY.get(key, i);
            if (HashTag.hasOpenBrace(word) || latin1 && (word & HIGH_BITS) != 0) {
                break;
            }
            crc = Crc16.step8(crc, word);
        }
        int rest = to - i;
        if (rest < 8 && to - from >= 8) {
            if (rest == 0) {
                return crc & MASK;
            }
            long last = (long) LONG_BE_ARRAY.get(key, to - 8) << ((8 - rest) << 3);
            if (!HashTag.hasOpenBrace(last) && !(latin1 && (last & HIGH_BITS) != 0)) {
                return Crc16.stepTail(crc, last, rest) & MASK;
            }
        }
        if (latin1 && !isAscii(key, i, to)) {
            return NOT_ASCII;
        }
        int open = HashTag.indexOf(key, (byte) '{', i, to);
        if (open >= 0) {
            int close = HashTag.indexOf(key, (byte) '}', open + 1, to);
            if (close > open + 1) {
                return Crc16.update(0, key, open + 1, close) & MASK;
            }
        }
        return Crc16.update(crc, key, i, to) & MASK;
    }
}
