package io.reslot.slot;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * An immutable, non-empty range of hash slots {@code [first, last]}, both ends included, printed as {@code 0-5460}
 * or, for a single slot, {@code 6000}.
 *
 * @param first the lowest slot in the range
 * @param last the highest slot in the range
 */
public record SlotRange(int first, int last) {

    /** Every slot, {@code 0-16383}. */
    public static final SlotRange ALL = new SlotRange(0, KeySlot.MAX_SLOT);

    /**
     * @throws IllegalArgumentException if a bound is outside 0–16383 or {@code first > last}
     */
    public SlotRange {
        requireArgument(first >= 0 && first <= KeySlot.MAX_SLOT, "slot %d is out of range 0-16383", first);
        requireArgument(last >= 0 && last <= KeySlot.MAX_SLOT, "slot %d is out of range 0-16383", last);
        requireArgument(first <= last, "slot range %d-%d is reversed", first, last);
    }

    /**
     * Returns the range holding only {@code slot}.
     *
     * @throws IllegalArgumentException if {@code slot} is outside 0–16383
     */
    public static SlotRange of(int slot) {
        return new SlotRange(slot, slot);
    }

    /**
     * Parses {@code 100-200} or {@code 150}.
     *
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException naming {@code text} if it is empty, not a number or range of numbers, out of
     *     range 0–16383, or reversed
     */
    public static SlotRange parse(String text) {
        String item = text.strip();
        int dash = item.indexOf('-');
        int first = number(dash < 0 ? item : item.substring(0, dash));
        int last = dash < 0 ? first : number(item.substring(dash + 1));
        requireArgument(first >= 0 && last >= 0, "\"%s\" is not a slot or a slot range (N or N-M)", item);
        requireArgument(Math.max(first, last) <= KeySlot.MAX_SLOT,
                "\"%s\": slot %d is out of range 0-16383", item, Math.max(first, last));
        requireArgument(first <= last, "\"%s\": range is reversed (%d > %d)", item, first, last);
        return new SlotRange(first, last);
    }

    /** The non-negative decimal number in {@code text}, or -1 when it is not one. */
    private static int number(String text) {
        String digits = text.strip();
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    /** The number of slots in the range. */
    public int size() {
        return last - first + 1;
    }

    /** Whether {@code slot} lies in the range. */
    public boolean contains(int slot) {
        return slot >= first && slot <= last;
    }

    /** {@code first-last}, or just {@code first} for a single slot. */
    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
