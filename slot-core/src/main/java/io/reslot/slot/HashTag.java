package io.reslot.slot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * Hash tags: the part of a key that Redis Cluster hashes instead of the whole key.
 *
 * <p>The rule (cluster spec, "Hash tags"): find the first {@code '{'}; then the first {@code '}'} after it. If
 * there is such a {@code '}'} and at least one byte lies between the two, only those bytes are hashed; in every
 * other case (no {@code '{'}, no {@code '}'} after it, or {@code "{}"}) the whole key is hashed. So
 * {@code foo{}{bar}} hashes all of itself, {@code foo{{bar}}zap} hashes {@code {bar}, and {@code a}b{c}d} hashes
 * {@code c}.
 *
 * <p>Redis works on bytes. For Java strings the bytes are the UTF-8 encoding; {@code '{'} and {@code '}'} never
 * occur inside a multi-byte UTF-8 sequence, so searching the chars of a string finds the same tag.
 */
public final class HashTag {

    /** Returned by the {@code span} methods when the key has no tag. */
    static final long NONE = -1L;

    private static final VarHandle LONG_LE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long OPEN_BRACES = ONES * '{';

    private HashTag() {
    }

    /**
     * Returns whether {@code key} has a hash tag, that is whether Redis hashes only part of it.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static boolean has(byte[] key) {
        return span(key, 0, key.length) != NONE;
    }

    /**
     * Returns whether {@code key} (as its UTF-8 bytes) has a hash tag.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static boolean has(CharSequence key) {
        return span(key) != NONE;
    }

    /**
     * Returns the bytes Redis hashes for {@code key}: a copy of the tag when it has one, else a copy of the whole key.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static byte[] hashedPart(byte[] key) {
        long span = span(key, 0, key.length);
        return span == NONE ? key.clone() : Arrays.copyOfRange(key, start(span), end(span));
    }

    /**
     * Returns the tag of {@code key}, without braces, or {@code null} when the key has none.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static String of(CharSequence key) {
        long span = span(key);
        return span == NONE ? null : key.subSequence(start(span), end(span)).toString();
    }

    /**
     * Builds {@code prefix + "{" + tag + "}" + suffix} and checks that Redis will read {@code tag} as its tag.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code tag} is empty or contains {@code '}'}, or {@code prefix} contains
     *     {@code '{'} (either would make Redis hash something else)
     */
    public static String tagged(CharSequence prefix, CharSequence tag, CharSequence suffix) {
        checkTaggable(prefix, tag);
        return new StringBuilder(prefix.length() + tag.length() + suffix.length() + 2)
                .append(prefix).append('{').append(tag).append('}').append(suffix).toString();
    }

    /**
     * Byte form of {@link #tagged(CharSequence, CharSequence, CharSequence)}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code tag} is empty or contains {@code '}'}, or {@code prefix} contains
     *     {@code '{'}
     */
    public static byte[] tagged(byte[] prefix, byte[] tag, byte[] suffix) {
        checkTaggable(new String(prefix, StandardCharsets.ISO_8859_1), new String(tag, StandardCharsets.ISO_8859_1));
        byte[] key = new byte[prefix.length + tag.length + suffix.length + 2];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        key[prefix.length] = '{';
        System.arraycopy(tag, 0, key, prefix.length + 1, tag.length);
        key[prefix.length + 1 + tag.length] = '}';
        System.arraycopy(suffix, 0, key, prefix.length + tag.length + 2, suffix.length);
        return key;
    }

    private static void checkTaggable(CharSequence prefix, CharSequence tag) {
        Objects.requireNonNull(prefix, "prefix");
        requireArgument(tag.length() > 0, "hash tag must not be empty (Redis hashes the whole key for \"{}\")");
        requireArgument(indexOf(tag, '}', 0, tag.length()) < 0,
                "hash tag \"%s\" contains '}': Redis would end the tag there", tag);
        requireArgument(indexOf(prefix, '{', 0, prefix.length()) < 0,
                "prefix \"%s\" contains '{': Redis would start the tag there", prefix);
    }

    // ---- Locating the tag without allocating. A span packs [start, end) of the hashed part into one long. ----

    /**
     * Whether one of the eight bytes of {@code word} is {@code '{'}. The short SWAR zero-byte test: its borrow can
     * mark a byte above a real match, never a word without one, so the yes/no answer is exact.
     */
    static boolean hasOpenBrace(long word) {
        long x = word ^ OPEN_BRACES;
        return ((x - ONES) & ~x & HIGH) != 0;
    }

    static int start(long span) {
        return (int) (span >>> 32);
    }

    static int end(long span) {
        return (int) span;
    }

    /** The tag of {@code key[from, to)} as absolute indexes, or {@link #NONE}. */
    static long span(byte[] key, int from, int to) {
        int open = indexOf(key, (byte) '{', from, to);
        if (open < 0) {
            return NONE;
        }
        int close = indexOf(key, (byte) '}', open + 1, to);
        return close > open + 1 ? (long) (open + 1) << 32 | close : NONE;
    }

    /** The tag of {@code key} as char indexes, or {@link #NONE}. */
    static long span(CharSequence key) {
        int length = key.length();
        int open = indexOf(key, '{', 0, length);
        if (open < 0) {
            return NONE;
        }
        int close = indexOf(key, '}', open + 1, length);
        return close > open + 1 ? (long) (open + 1) << 32 | close : NONE;
    }

    /**
     * First index of {@code b} in {@code a[from, to)}, or -1. Eight bytes per step, so a key without braces costs
     * about one load and a few ALU ops per 8 bytes.
     */
    static int indexOf(byte[] a, byte b, int from, int to) {
        long pattern = ONES * (b & 0xFF);
        int i = from;
        for (; i <= to - 8; i += 8) {
            int at = firstZeroByte((long) LONG_LE_ARRAY.get(a, i) ^ pattern);
            if (at < 8) {
                return i + at;
            }
        }
        for (; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** As {@link #indexOf(byte[], byte, int, int)}, on absolute indexes of a buffer without an accessible array. */
    static int indexOf(ByteBuffer buffer, byte b, int from, int to) {
        long pattern = ONES * (b & 0xFF);
        int i = from;
        for (; i <= to - 8; i += 8) {
            int at = firstZeroByte((long) LONG_LE_BUFFER.get(buffer, i) ^ pattern);
            if (at < 8) {
                return i + at;
            }
        }
        for (; i < to; i++) {
            if (buffer.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The position (0 = lowest byte, which a little-endian load takes from the lowest address) of the first zero
     * byte of {@code x}, or 8 when there is none. The exact SWAR test: no false positives, so the lowest mark is the
     * first match.
     */
    private static int firstZeroByte(long x) {
        return Long.numberOfTrailingZeros(~((x & LOW7) + LOW7 | x | LOW7)) >>> 3;
    }

    static int indexOf(CharSequence s, char c, int from, int to) {
        if (s instanceof String) {
            int i = ((String) s).indexOf(c, from);  // an intrinsic: vectorised on Latin-1 strings
            return i < to ? i : -1;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
