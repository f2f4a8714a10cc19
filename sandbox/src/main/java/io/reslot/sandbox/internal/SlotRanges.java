package io.reslot.sandbox.internal;

/** Splits the 16384 hash slots into contiguous, nearly equal ranges, one per master. */
public final class SlotRanges {
    /** Number of hash slots in a Redis Cluster. */
    public static final int SLOTS = 16384;

    private SlotRanges() {
    }

    /**
     * Range {@code index} of {@code count}, rounded like {@code redis-cli --cluster create} (3 masters get
     * 0-5460, 5461-10922, 10923-16383).
     *
     * @return {@code {first, last}}, both inclusive
     * @throws IllegalArgumentException if {@code count} is not 1..16384 or {@code index} not 0..count-1
     */
    public static int[] range(int index, int count) {
        Checks.requireArgument(count >= 1 && count <= SLOTS, "master count %d must be 1-%d", count, SLOTS);
        Checks.requireArgument(index >= 0 && index < count, "master index %d must be 0-%d", index, count - 1);
        return new int[] {boundary(index, count), boundary(index + 1, count) - 1};
    }

    /** {@code round(i * SLOTS / count)} in integer arithmetic. */
    private static int boundary(int i, int count) {
        return (int) ((2L * i * SLOTS + count) / (2L * count));
    }
}
