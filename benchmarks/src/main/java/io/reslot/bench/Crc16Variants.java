package io.reslot.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The CRC-16/XMODEM table variants that were candidates for {@link io.reslot.slot.Crc16}, kept so that the choice
 * can be re-measured ({@link Crc16Benchmark}). reslot ships slice-by-8 over one flat {@code int[]}; these are the
 * alternatives it was measured against. Correctness of each is checked against reslot in {@code Crc16VariantsTest}.
 */
final class Crc16Variants {

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** {@code TABLES[k][b]}: the register after byte {@code b} and then {@code k} zero bytes. */
    private static final int[][] TABLES = tables(16);
    private static final char[] CHAR8 = flatChars(8);

    private Crc16Variants() {
    }

    /** The classic one-table, one-byte-per-step loop that Lettuce and Jedis use. */
    static int byteAtATime(byte[] data, int off, int len) {
        int[] t = TABLES[0];
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = (crc << 8 & 0xFFFF) ^ t[(crc >>> 8 ^ data[i]) & 0xFF];
        }
        return crc;
    }

    /** Four bytes per step from one {@code int} load, four tables. */
    static int sliceBy4(byte[] data, int off, int len) {
        int[] t0 = TABLES[0];
        int[] t1 = TABLES[1];
        int[] t2 = TABLES[2];
        int[] t3 = TABLES[3];
        int crc = 0;
        int i = off;
        int end = off + len;
        for (; i <= end - 4; i += 4) {
            int v = (int) INT_BE.get(data, i);
            int top = v >>> 16 ^ crc;
            crc = t3[top >>> 8] ^ t2[top & 0xFF] ^ t1[v >>> 8 & 0xFF] ^ t0[v & 0xFF];
        }
        for (; i < end; i++) {
            crc = (crc << 8 & 0xFFFF) ^ t0[(crc >>> 8 ^ data[i]) & 0xFF];
        }
        return crc;
    }

    /** Slice-by-8 with 16-bit {@code char} tables in one flat array: half the table bytes of the shipped variant. */
    static int sliceBy8Chars(byte[] data, int off, int len) {
        char[] t = CHAR8;
        int crc = 0;
        int i = off;
        int end = off + len;
        for (; i <= end - 8; i += 8) {
            long v = (long) LONG_BE.get(data, i);
            int top = (int) (v >>> 48) ^ crc;
            crc = t[7 << 8 | top >>> 8] ^ t[6 << 8 | top & 0xFF] ^ t[5 << 8 | (int) (v >>> 40) & 0xFF]
                    ^ t[4 << 8 | (int) (v >>> 32) & 0xFF] ^ t[3 << 8 | (int) (v >>> 24) & 0xFF]
                    ^ t[2 << 8 | (int) (v >>> 16) & 0xFF] ^ t[1 << 8 | (int) (v >>> 8) & 0xFF] ^ t[(int) v & 0xFF];
        }
        for (; i < end; i++) {
            crc = (crc << 8 & 0xFFFF) ^ t[(crc >>> 8 ^ data[i]) & 0xFF];
        }
        return crc;
    }

    /** Sixteen bytes per step from two {@code long} loads, sixteen tables (16 KB). */
    static int sliceBy16(byte[] data, int off, int len) {
        int[][] t = TABLES;
        int crc = 0;
        int i = off;
        int end = off + len;
        for (; i <= end - 16; i += 16) {
            long a = (long) LONG_BE.get(data, i);
            long b = (long) LONG_BE.get(data, i + 8);
            int top = (int) (a >>> 48) ^ crc;
            crc = t[15][top >>> 8] ^ t[14][top & 0xFF] ^ t[13][(int) (a >>> 40) & 0xFF]
                    ^ t[12][(int) (a >>> 32) & 0xFF] ^ t[11][(int) (a >>> 24) & 0xFF] ^ t[10][(int) (a >>> 16) & 0xFF]
                    ^ t[9][(int) (a >>> 8) & 0xFF] ^ t[8][(int) a & 0xFF]
                    ^ t[7][(int) (b >>> 56) & 0xFF] ^ t[6][(int) (b >>> 48) & 0xFF] ^ t[5][(int) (b >>> 40) & 0xFF]
                    ^ t[4][(int) (b >>> 32) & 0xFF] ^ t[3][(int) (b >>> 24) & 0xFF] ^ t[2][(int) (b >>> 16) & 0xFF]
                    ^ t[1][(int) (b >>> 8) & 0xFF] ^ t[0][(int) b & 0xFF];
        }
        for (; i < end; i++) {
            crc = (crc << 8 & 0xFFFF) ^ t[0][(crc >>> 8 ^ data[i]) & 0xFF];
        }
        return crc;
    }

    private static int[][] tables(int count) {
        int[][] t = new int[count][256];
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? crc << 1 ^ 0x1021 : crc << 1;
            }
            t[0][b] = crc & 0xFFFF;
        }
        for (int k = 1; k < count; k++) {
            for (int b = 0; b < 256; b++) {
                int prev = t[k - 1][b];
                t[k][b] = (prev << 8 & 0xFFFF) ^ t[0][prev >>> 8];
            }
        }
        return t;
    }

    private static char[] flatChars(int count) {
        char[] flat = new char[count << 8];
        for (int k = 0; k < count; k++) {
            for (int b = 0; b < 256; b++) {
                flat[k << 8 | b] = (char) TABLES[k][b];
            }
        }
        return flat;
    }
}
