package io.reslot.slot;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import sun.misc.Unsafe;

/**
 * Read access to the bytes a {@code String} already holds, without copying them. Since JDK 9 a string whose chars
 * all fit in Latin-1 keeps them in a {@code byte[]}, one byte per char; for an ASCII string those bytes are its
 * UTF-8 encoding, so {@link KeySlot} can hash them as it hashes a {@code byte[]} key. The public API offers no
 * allocation-free way to reach them ({@code charAt} costs about as much per char as hashing the byte), so this
 * reads the private {@code value} and {@code coder} fields with {@code sun.misc.Unsafe} (module jdk.unsupported).
 *
 * <p>It is used only where it is known to be right and quiet: Java 17 to 23 (from 24 on, the first use of
 * Unsafe's memory access prints a warning), a {@code String} laid out as {@code byte[] value} plus
 * {@code byte coder}, and a self-check on known strings when the class loads. Anywhere else {@link #latin1} answers
 * {@code null} and callers take their char-by-char path, which gives the same slots.
 */
final class StringBytes {

    private static final byte LATIN1 = 0;
    private static final int LAST_QUIET_JAVA = 23;

    private static final Unsafe UNSAFE;
    private static final long VALUE;
    private static final long CODER;

    static {
        Unsafe unsafe = null;
        long value = -1;
        long coder = -1;
        try {
            if (Runtime.version().feature() <= LAST_QUIET_JAVA) {
                Field theUnsafe = Unsafe.class.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                unsafe = (Unsafe) theUnsafe.get(null);
                Field valueField = String.class.getDeclaredField("value");
                Field coderField = String.class.getDeclaredField("coder");
                if (valueField.getType() == byte[].class && coderField.getType() == byte.class) {
                    value = unsafe.objectFieldOffset(valueField);
                    coder = unsafe.objectFieldOffset(coderField);
                } else {
                    unsafe = null;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unsafe = null;  // no Unsafe, or a String of another shape: the char-by-char path it is
        }
        UNSAFE = unsafe;
        VALUE = value;
        CODER = coder;
    }

    /** Whether {@link #latin1} can answer at all here; fixed when the class loads. */
    static final boolean AVAILABLE = UNSAFE != null && selfCheck();

    private StringBytes() {
    }

    /**
     * The string's own Latin-1 bytes (one per char, {@code length()} of them), or {@code null} when it is stored as
     * UTF-16 or this JVM does not allow the access. The array is the string's: callers must not change it.
     */
    static byte[] latin1(String s) {
        if (!AVAILABLE || UNSAFE.getByte(s, CODER) != LATIN1) {
            return null;
        }
        return (byte[]) UNSAFE.getObject(s, VALUE);
    }

    private static boolean selfCheck() {
        try {
            String ascii = new String(new char[] {'r', 'e', 's', 'l', 'o', 't'});
            String wide = new String(new char[] {'r', '\u4e2d'});
            byte[] bytes = UNSAFE.getByte(ascii, CODER) == LATIN1 ? (byte[]) UNSAFE.getObject(ascii, VALUE) : null;
            return bytes != null && Arrays.equals(bytes, "reslot".getBytes(StandardCharsets.US_ASCII))
                    && UNSAFE.getByte(wide, CODER) != LATIN1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
