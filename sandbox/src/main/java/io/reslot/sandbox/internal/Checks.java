package io.reslot.sandbox.internal;

/** Precondition helpers whose messages name the bad value. */
public final class Checks {
    private Checks() {
    }

    /**
     * @throws IllegalArgumentException with the formatted message if {@code condition} is false
     */
    public static void requireArgument(boolean condition, String format, Object... args) {
        if (!condition) {
            throw argument(format, args);
        }
    }

    /**
     * @throws IllegalStateException with the formatted message if {@code condition} is false
     */
    public static void requireState(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(format, args));
        }
    }

    /** @return an {@link IllegalArgumentException} with the formatted message, for the caller to throw */
    public static IllegalArgumentException argument(String format, Object... args) {
        return new IllegalArgumentException(String.format(format, args));
    }
}
