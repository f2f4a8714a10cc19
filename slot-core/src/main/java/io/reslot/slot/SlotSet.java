package io.reslot.slot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * An immutable set of hash slots, parsed from and printed as comma-separated ranges: {@code 0-5460,6000,7000-7100}.
 * Held as a 16384-bit bitmap (2 KB), so membership, size and set algebra are cheap whatever the shape of the set.
 *
 * <pre>{@code
 * SlotSet moving = SlotSet.parse("0-99,500");
 * moving.size();                               // 101
 * moving.union(SlotSet.of(100)).toString();    // "0-100,500"
 * }</pre>
 */
public final class SlotSet {

    private static final int WORDS = KeySlot.SLOT_COUNT / 64;
    private static final SlotSet EMPTY = new SlotSet(new long[WORDS]);
    private static final SlotSet ALL = ofRanges(List.of(SlotRange.ALL));

    private final long[] bits;
    private final int size;

    private SlotSet(long[] bits) {
        this.bits = bits;
        int n = 0;
        for (long word : bits) {
            n += Long.bitCount(word);
        }
        this.size = n;
    }

    /** The empty set. */
    public static SlotSet empty() {
        return EMPTY;
    }

    /** All 16384 slots. */
    public static SlotSet all() {
        return ALL;
    }

    /**
     * Returns the set of the given slots; duplicates are ignored.
     *
     * @throws IllegalArgumentException if a slot is outside 0–16383
     */
    public static SlotSet of(int... slots) {
        long[] bits = new long[WORDS];
        for (int slot : slots) {
            requireArgument(slot >= 0 && slot <= KeySlot.MAX_SLOT, "slot %d is out of range 0-16383", slot);
            bits[slot >>> 6] |= 1L << slot;
        }
        return new SlotSet(bits);
    }

    /**
     * Returns the union of the given ranges, which may overlap and come in any order.
     *
     * @throws NullPointerException if {@code ranges} or a range is null
     */
    public static SlotSet ofRanges(Iterable<SlotRange> ranges) {
        long[] bits = new long[WORDS];
        for (SlotRange range : ranges) {
            setRange(bits, range.first(), range.last());
        }
        return new SlotSet(bits);
    }

    /**
     * Parses comma-separated slots and ranges, such as {@code 0-5460,6000,7000-7100}. Items may overlap and come in
     * any order; whitespace around an item is ignored.
     *
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException naming the bad item (and its position) if an item is empty, not a slot or
     *     range, out of range 0–16383, or reversed
     */
    public static SlotSet parse(String text) {
        String[] items = text.split(",", -1);
        List<SlotRange> ranges = new ArrayList<>(items.length);
        for (int i = 0; i < items.length; i++) {
            requireArgument(!items[i].isBlank(), "invalid slots \"%s\": item %d is empty", text, i + 1);
            try {
                ranges.add(SlotRange.parse(items[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "invalid slots \"" + text + "\": item " + (i + 1) + " " + e.getMessage(), e);
            }
        }
        return ofRanges(ranges);
    }

    /** The number of slots in the set. */
    public int size() {
        return size;
    }

    /** Whether the set has no slot. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Whether {@code slot} is in the set; false for any number outside 0–16383. */
    public boolean contains(int slot) {
        return slot >= 0 && slot <= KeySlot.MAX_SLOT && (bits[slot >>> 6] & 1L << slot) != 0;
    }

    /** Whether every slot of {@code other} is in this set. */
    public boolean containsAll(SlotSet other) {
        for (int w = 0; w < WORDS; w++) {
            if ((other.bits[w] & ~bits[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The slots in this set or in {@code other}. */
    public SlotSet union(SlotSet other) {
        long[] result = new long[WORDS];
        for (int w = 0; w < WORDS; w++) {
            result[w] = bits[w] | other.bits[w];
        }
        return new SlotSet(result);
    }

    /** The slots in both this set and {@code other}. */
    public SlotSet intersection(SlotSet other) {
        long[] result = new long[WORDS];
        for (int w = 0; w < WORDS; w++) {
            result[w] = bits[w] & other.bits[w];
        }
        return new SlotSet(result);
    }

    /** The slots in this set and not in {@code other}. */
    public SlotSet minus(SlotSet other) {
        long[] result = new long[WORDS];
        for (int w = 0; w < WORDS; w++) {
            result[w] = bits[w] & ~other.bits[w];
        }
        return new SlotSet(result);
    }

    /** The slots from 0 to 16383 that are not in this set. */
    public SlotSet complement() {
        return ALL.minus(this);
    }

    /**
     * The lowest slot in the set that is {@code >= from}, or -1 when there is none. Iterate with
     * {@code for (int s = set.next(0); s >= 0; s = set.next(s + 1))}.
     */
    public int next(int from) {
        if (from < 0) {
            from = 0;
        }
        int w = from >>> 6;
        if (w >= WORDS) {
            return -1;
        }
        long word = bits[w] & -1L << from;
        while (word == 0) {
            if (++w == WORDS) {
                return -1;
            }
            word = bits[w];
        }
        return w * 64 + Long.numberOfTrailingZeros(word);
    }

    /** The slots in ascending order. */
    public int[] toArray() {
        return stream().toArray();
    }

    /** The slots in ascending order. */
    public IntStream stream() {
        return IntStream.iterate(next(0), s -> s >= 0, s -> next(s + 1));
    }

    /** The set as the fewest ascending, non-adjacent ranges. */
    public List<SlotRange> ranges() {
        List<SlotRange> ranges = new ArrayList<>();
        int first = next(0);
        while (first >= 0) {
            int last = first;
            while (last < KeySlot.MAX_SLOT && contains(last + 1)) {
                last++;
            }
            ranges.add(new SlotRange(first, last));
            first = next(last + 1);
        }
        return Collections.unmodifiableList(ranges);
    }

    /** The ranges joined by commas, e.g. {@code 0-5460,6000}; the empty set prints as the empty string. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (SlotRange range : ranges()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(range);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotSet && Arrays.equals(bits, ((SlotSet) o).bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    private static void setRange(long[] bits, int first, int last) {
        for (int s = first; s <= last; ) {
            int w = s >>> 6;
            int endInWord = Math.min(last, w * 64 + 63);
            int count = endInWord - s + 1;
            long mask = count == 64 ? -1L : ((1L << count) - 1) << s;
            bits[w] |= mask;
            s = endInWord + 1;
        }
    }
}
