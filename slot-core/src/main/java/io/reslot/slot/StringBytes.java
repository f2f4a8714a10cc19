package io.reslot.slot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Read access to the bytes a {@code String} already holds, without copying them. Since JDK 9 a string whose chars
 * all fit in Latin-1 keeps them in a {@code byte[]}, one byte per char; for an ASCII string those bytes are its
 * UTF-8 encoding, so {@link KeySlot} can hash them as it hashes a {@code byte[]} key. The public API offers no
 * allocation-free way to reach them ({@code charAt} costs more per char than hashing the byte), so this reads the
 * private {@code value} and {@code coder} fields with {@code sun.misc.Unsafe} (module jdk.unsupported).
 *
 * <p>It is used only where it is known to be right and quiet: Java 17 to 23 (from 24 on, the first use of
 * Unsafe's memory access prints a warning), a JDK whose {@code String} is laid out as {@code byte[] value} plus
 * {@code byte coder}, and a self-check on known strings when the class loads. Anywhere else, including a runtime
 * without jdk.unsupported, {@link #latin1} answers {@code null} and callers take their char-by-char path, which
 * gives the same slots. Unsafe is reached through method handles, not linked against, so that such a runtime cannot
 * fail to load this class.
 */
final class StringBytes {

    private static final byte LATIN1 = 0;
    private static final int LAST_QUIET_JAVA = 23;

    /** {@code (Object, long) -> byte} and {@code (Object, long) -> Object}: Unsafe's getters, bound to the instance. */
    private static final MethodHandle GET_BYTE;
    private static final MethodHandle GET_OBJECT;
    private static final long VALUE;
    private static final long CODER;

    static {
        MethodHandle getByte = null;
        MethodHandle getObject = null;
        long value = -1;
        long coder = -1;
        try {
            Field valueField = String.class.getDeclaredField("value");
            Field coderField = String.class.getDeclaredField("coder");
            if (Runtime.version().feature() <= LAST_QUIET_JAVA
                    && valueField.getType() == byte[].class && coderField.getType() == byte.class) {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                Object unsafe = theUnsafe.get(null);
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                MethodHandle offset = lookup.findVirtual(unsafeClass, "objectFieldOffset",
                        MethodType.methodType(long.class, Field.class)).bindTo(unsafe);
                value = (long) offset.invoke(valueField);
                coder = (long) offset.invoke(coderField);
                getByte = lookup.findVirtual(unsafeClass, "getByte",
                        MethodType.methodType(byte.class, Object.class, long.class)).bindTo(unsafe);
                getObject = lookup.findVirtual(unsafeClass, "getObject",
                        MethodType.methodType(Object.class, Object.class, long.class)).bindTo(unsafe);
            }
        } catch (Throwable e) {
            getByte = null;  // no Unsafe, or a String of another shape: the char-by-char path it is
            getObject = null;
        }
        GET_BYTE = getByte;
        GET_OBJECT = getObject;
        VALUE = value;
        CODER = coder;
    }

    /** Whether {@link #latin1} can answer at all here; fixed when the class loads. */
    static final boolean AVAILABLE = GET_BYTE != null && selfCheck();

    private StringBytes() {
    }

    /**
     * The string's own Latin-1 bytes (one per char, {@code length()} of them), or {@code null} when it is stored as
     * UTF-16 or this JVM does not allow the access. The array is the string's: callers must not change it.
     */
    static byte[] latin1(String s) {
        if (!AVAILABLE) {
            return null;
        }
        try {
            return (byte) GET_BYTE.invokeExact((Object) s, CODER) == LATIN1
                    ? (byte[]) (Object) GET_OBJECT.invokeExact((Object) s, VALUE)
                    : null;
        } catch (Throwable e) {
            throw new IllegalStateException("reading a String's bytes failed after the self-check passed", e);
        }
    }

    private static boolean selfCheck() {
        try {
            String ascii = new String(new char[] {'r', 'e', 's', 'l', 'o', 't'});
            String wide = new String(new char[] {'r', '\u4e2d'});
            boolean asciiIsLatin1 = (byte) GET_BYTE.invokeExact((Object) ascii, CODER) == LATIN1;
            boolean wideIsLatin1 = (byte) GET_BYTE.invokeExact((Object) wide, CODER) == LATIN1;
            Object bytes = asciiIsLatin1 ? (Object) GET_OBJECT.invokeExact((Object) ascii, VALUE) : null;
            return bytes instanceof byte[] && Arrays.equals((byte[]) bytes, "reslot".getBytes(StandardCharsets.US_ASCII))
                    && !wideIsLatin1;
        } catch (Throwable e) {
            return false;
        }
    }
}
