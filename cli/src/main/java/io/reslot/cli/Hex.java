package io.reslot.cli;

import java.nio.charset.StandardCharsets;

/** Hex text to bytes and back, on byte ranges, for keys given as {@code --hex}. */
final class Hex {

    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Hex() {
    }

    /**
     * Decodes the hex digits {@code text[off, off + len)} (either case) into {@code dst} from index 0 and returns
     * the number of bytes written, {@code len / 2}.
     *
     * @throws IllegalArgumentException if a byte is not a hex digit (the first one is named) or {@code len} is odd;
     *                                  the message describes the problem, not the whole text
     * @throws IndexOutOfBoundsException if {@code dst} is shorter than {@code len / 2}
     */
    static int decode(byte[] text, int off, int len, byte[] dst) {
        for (int i = 0; i < len; i++) {
            if (digit(text[off + i]) < 0) {
                int b = text[off + i] & 0xff;
                String what = b >= 0x21 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b);
                throw new IllegalArgumentException(what + " at offset " + i + " is not a hex digit");
            }
        }
        if ((len & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits (" + len + ")");
        }
        int n = len >>> 1;
        for (int i = 0; i < n; i++) {
            dst[i] = (byte) (digit(text[off + 2 * i]) << 4 | digit(text[off + 2 * i + 1]));
        }
        return n;
    }

    /** Appends the lower-case hex digits of {@code bytes[off, off + len)} to {@code dst} at {@code at}; returns the end. */
    static int encode(byte[] bytes, int off, int len, byte[] dst, int at) {
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xff;
            dst[at++] = DIGITS[b >>> 4];
            dst[at++] = DIGITS[b & 0xf];
        }
        return at;
    }

    private static int digit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
