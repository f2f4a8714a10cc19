package io.reslot.slot.internal;

/**
 * Argument and state checks that throw with a formatted message naming the bad value.
 */
public final class Preconditions {

    private Preconditions() {
    }

    /**
     * @throws IllegalArgumentException with {@code String.format(template, args)} if {@code condition} is false
     */
    public static void requireArgument(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }

    /**
     * @throws IllegalStateException with {@code String.format(template, args)} if {@code condition} is false
     */
    public static void requireState(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(template, args));
        }
    }
}
