package io.reslot.slot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * CRC-16/XMODEM, the checksum Redis Cluster uses to place keys: polynomial {@code 0x1021}, initial value 0, no
 * reflection, no final xor. {@code Crc16.of("123456789".getBytes())} is {@code 0x31C3}.
 *
 * <p><b>Variant.</b> Slice-by-8: eight 256-entry tables in one flat {@code int[]}, fed 8 bytes per step (byte
 * loads from an array, one big-endian {@code long} load from a buffer or a caller that already holds the word),
 * and a tail of at most three steps (4, 2, 1 bytes) from the same tables. A CRC-16
 * register is only two bytes wide, so each 8-byte step folds it into the first two bytes and looks up all eight
 * bytes at once; six of the eight lookups do not depend on the register and overlap freely, where the classic
 * byte-at-a-time table waits on the previous lookup for every byte. Indexes are written {@code offset + (x & 0xFF)}
 * so that the JIT drops every bounds check. Chosen with {@code Crc16Benchmark} (JMH, JDK 17, 2.6 GHz EPYC), ns per
 * input:
 * <table>
 *   <caption>CRC-16 variants</caption>
 *   <tr><th>variant</th><th>10 B</th><th>20 B</th><th>64 B</th><th>256 B</th></tr>
 *   <tr><td>slice-by-8, flat {@code int[]}, 4/2/1 tail (this class)</td><td>9.0</td><td>11.6</td><td>30.4</td>
 *       <td>103.8</td></tr>
 *   <tr><td>byte at a time (what Lettuce and Jedis use)</td><td>14.7</td><td>37.4</td><td>146.2</td>
 *       <td>635.9</td></tr>
 *   <tr><td>slice-by-4</td><td>14.0</td><td>14.2</td><td>42.3</td><td>188.2</td></tr>
 *   <tr><td>slice-by-8, {@code char[]} tables, byte tail</td><td>9.3</td><td>16.1</td><td>34.4</td><td>135.4</td></tr>
 *   <tr><td>slice-by-16 (16 KB of tables)</td><td>17.2</td><td>28.0</td><td>49.6</td><td>143.2</td></tr>
 * </table>
 * Slice-by-16 loses on the 10–64 byte keys Redis users have; {@code benchmarks/README.md} has the full table.
 *
 * <p>All methods are static, allocation-free and thread-safe; none of them changes its input.
 */
public final class Crc16 {

    /** {@code TABLE[k * 256 + b]}: the register after byte {@code b} followed by {@code k} zero bytes. */
    private static final int[] TABLE = buildTable();

    // Offsets of the tables in TABLE. Indexes are written as offset + (x & 0xFF): with TABLE a constant of known
    // length, the JIT can then prove every index in range and drops the bounds checks from the hot loop.
    private static final int T1 = 256;
    private static final int T2 = 2 * 256;
    private static final int T3 = 3 * 256;
    private static final int T4 = 4 * 256;
    private static final int T5 = 5 * 256;
    private static final int T6 = 6 * 256;
    private static final int T7 = 7 * 256;

    private static final VarHandle LONG_BE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Crc16() {
    }

    /**
     * Returns the CRC-16/XMODEM of all bytes of {@code data}.
     *
     * @throws NullPointerException if {@code data} is null
     */
    public static int of(byte[] data) {
        return update(0, data, 0, data.length);
    }

    /**
     * Returns the CRC-16/XMODEM of {@code data[off, off + len)}.
     *
     * @throws NullPointerException if {@code data} is null
     * @throws IndexOutOfBoundsException if the range is not inside {@code data}
     */
    public static int of(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        return update(0, data, off, off + len);
    }

    /**
     * Returns the CRC-16/XMODEM of the buffer's remaining bytes (position to limit). The buffer's position, limit,
     * mark and byte order are left unchanged; heap, direct and read-only buffers are accepted.
     *
     * @throws NullPointerException if {@code data} is null
     */
    public static int of(ByteBuffer data) {
        return update(0, data, data.position(), data.limit());
    }

    /**
     * Returns the CRC-16/XMODEM of the UTF-8 encoding of {@code text}, without encoding it into a new array. A lone
     * surrogate counts as {@code '?'}, as {@link String#getBytes(java.nio.charset.Charset)} encodes it.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public static int ofUtf8(CharSequence text) {
        return updateUtf8(0, text, 0, text.length());
    }

    /** Continues {@code crc} over {@code data[from, to)}; the caller has checked the bounds. */
    static int update(int crc, byte[] data, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            crc = step8(crc, data, i);
        }
        // The tail in at most three steps (4, 2, 1 bytes) rather than up to seven dependent single-byte steps.
        if (to - i >= 4) {
            crc = step4(crc, (int) INT_BE_ARRAY.get(data, i));
            i += 4;
        }
        if (to - i >= 2) {
            crc = step2(crc, (data[i] & 0xFF) << 8 | data[i + 1] & 0xFF);
            i += 2;
        }
        return i < to ? step1(crc, data[i]) : crc;
    }

    /** Continues {@code crc} over the bytes at absolute indexes {@code [from, to)} of {@code data}. */
    static int update(int crc, ByteBuffer data, int from, int to) {
        if (data.hasArray()) {
            int base = data.arrayOffset();
            return update(crc, data.array(), base + from, base + to);
        }
        int i = from;
        for (; i <= to - 8; i += 8) {
            crc = step8(crc, (long) LONG_BE_BUFFER.get(data, i));
        }
        if (to - i >= 4) {
            crc = step4(crc, (int) INT_BE_BUFFER.get(data, i));
            i += 4;
        }
        if (to - i >= 2) {
            crc = step2(crc, (data.get(i) & 0xFF) << 8 | data.get(i + 1) & 0xFF);
            i += 2;
        }
        return i < to ? step1(crc, data.get(i)) : crc;
    }

    /**
     * Continues {@code crc} over the UTF-8 encoding of {@code text[from, to)}, encoded exactly as
     * {@code String.getBytes(UTF_8)} does (a lone surrogate becomes {@code '?'}) but without an array: the encoded
     * bytes collect in a {@code long} and go through the 8-byte step whenever eight are there, so multi-byte
     * characters cost no more per byte than ASCII.
     */
    static int updateUtf8(int crc, CharSequence text, int from, int to) {
        long pending = 0;   // the last `count` encoded bytes not hashed yet, in the low bytes, in order
        int count = 0;
        int i = from;
        while (i < to) {
            char c = text.charAt(i++);
            long bytes;
            int length;
            if (c < 0x80) {
                if (count < 7) {
                    pending = pending << 8 | c;
                    count++;
                    continue;
                }
                bytes = c;
                length = 1;
            } else if (c < 0x800) {
                bytes = (0xC0 | c >>> 6) << 8 | 0x80 | c & 0x3F;
                length = 2;
            } else if (!Character.isSurrogate(c)) {
                bytes = (0xE0 | c >>> 12) << 16 | (0x80 | c >>> 6 & 0x3F) << 8 | 0x80 | c & 0x3F;
                length = 3;
            } else if (Character.isHighSurrogate(c) && i < to && Character.isLowSurrogate(text.charAt(i))) {
                int cp = Character.toCodePoint(c, text.charAt(i++));
                bytes = (long) (0xF0 | cp >>> 18) << 24 | (0x80 | cp >>> 12 & 0x3F) << 16
                        | (0x80 | cp >>> 6 & 0x3F) << 8 | 0x80 | cp & 0x3F;
                length = 4;
            } else {
                bytes = '?';
                length = 1;
            }
            int total = count + length;
            if (total < 8) {
                pending = pending << (length << 3) | bytes;
                count = total;
            } else {
                // Eight bytes are ready: the pending ones, then the first of these; keep the rest (0 to 3).
                // A shift by 64 is a shift by 0 in Java, harmless here because pending is 0 when count is 0.
                int spill = total - 8;
                crc = step8(crc, pending << ((8 - count) << 3) | bytes >>> (spill << 3));
                pending = bytes & (1L << (spill << 3)) - 1;
                count = spill;
            }
        }
        return count == 0 ? crc : stepTail(crc, pending << ((8 - count) << 3), count);
    }

    static int step1(int crc, int b) {
        return (crc << 8 & 0xFFFF) ^ TABLE[(crc >>> 8 ^ b) & 0xFF];
    }

    /** Two bytes at once: {@code v} holds them big-endian in its low 16 bits. */
    static int step2(int crc, int v) {
        int top = v ^ crc;
        return TABLE[T1 + (top >>> 8 & 0xFF)] ^ TABLE[top & 0xFF];
    }

    /** Four bytes at once: {@code v} holds them big-endian. */
    static int step4(int crc, int v) {
        int[] t = TABLE;
        int rest = t[T1 + (v >>> 8 & 0xFF)] ^ t[v & 0xFF];
        int top = v >>> 16 ^ crc;
        return rest ^ (t[T3 + (top >>> 8 & 0xFF)] ^ t[T2 + (top & 0xFF)]);
    }

    /**
     * The last {@code n} (1 to 7) bytes of a key, held in the top {@code n} bytes of {@code v}: a 4-, 2- and 1-byte
     * step as needed.
     */
    static int stepTail(int crc, long v, int n) {
        if (n >= 4) {
            crc = step4(crc, (int) (v >>> 32));
            v <<= 32;
            n -= 4;
        }
        if (n >= 2) {
            crc = step2(crc, (int) (v >>> 48));
            v <<= 16;
            n -= 2;
        }
        return n == 0 ? crc : step1(crc, (int) (v >>> 56));
    }

    /**
     * Chars {@code [i, i + 8)} of {@code text} packed big-endian into a long when all eight are ASCII (so the long is
     * their UTF-8 encoding); -1 otherwise.
     */
    static long ascii8(CharSequence text, int i) {
        char c0 = text.charAt(i);
        char c1 = text.charAt(i + 1);
        char c2 = text.charAt(i + 2);
        char c3 = text.charAt(i + 3);
        char c4 = text.charAt(i + 4);
        char c5 = text.charAt(i + 5);
        char c6 = text.charAt(i + 6);
        char c7 = text.charAt(i + 7);
        if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) >= 0x80) {
            return -1;
        }
        return (long) c0 << 56 | (long) c1 << 48 | (long) c2 << 40 | (long) c3 << 32
                | (long) c4 << 24 | (long) c5 << 16 | (long) c6 << 8 | c7;
    }

    /**
     * Eight bytes at once: {@code v} holds them big-endian, the first byte in the top bits. Only the first two
     * lookups depend on {@code crc}; the other six are xored together first, so the chain from one step to the next
     * is one lookup and two xors long.
     */
    static int step8(int crc, byte[] d, int i) {
        // Byte loads straight from the array (movzx) beat extracting bytes from a long by about 10 %.
        int[] t = TABLE;
        int rest = t[T5 + (d[i + 2] & 0xFF)]
                ^ t[T4 + (d[i + 3] & 0xFF)]
                ^ t[T3 + (d[i + 4] & 0xFF)]
                ^ t[T2 + (d[i + 5] & 0xFF)]
                ^ t[T1 + (d[i + 6] & 0xFF)]
                ^ t[d[i + 7] & 0xFF];
        return rest ^ (t[T7 + ((crc >>> 8 ^ d[i]) & 0xFF)] ^ t[T6 + ((crc ^ d[i + 1]) & 0xFF)]);
    }

    /** As {@link #step8(int, byte[], int)}, with the eight bytes in {@code v}, big-endian. */
    static int step8(int crc, long v) {
        int[] t = TABLE;
        int rest = t[T5 + ((int) (v >>> 40) & 0xFF)]
                ^ t[T4 + ((int) (v >>> 32) & 0xFF)]
                ^ t[T3 + ((int) (v >>> 24) & 0xFF)]
                ^ t[T2 + ((int) (v >>> 16) & 0xFF)]
                ^ t[T1 + ((int) (v >>> 8) & 0xFF)]
                ^ t[(int) v & 0xFF];
        int top = (int) (v >>> 48) ^ crc;
        return rest ^ (t[T7 + (top >>> 8 & 0xFF)] ^ t[T6 + (top & 0xFF)]);
    }

    private static int[] buildTable() {
        int[] t = new int[8 << 8];
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? crc << 1 ^ 0x1021 : crc << 1;
            }
            t[b] = crc & 0xFFFF;
        }
        for (int k = 1; k < 8; k++) {
            for (int b = 0; b < 256; b++) {
                int prev = t[(k - 1) << 8 | b];
                t[k << 8 | b] = (prev << 8 & 0xFFFF) ^ t[prev >>> 8];
            }
        }
        return t;
    }
}
