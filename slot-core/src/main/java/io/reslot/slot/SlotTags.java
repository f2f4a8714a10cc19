package io.reslot.slot;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * For every slot, a shortest hash tag that lands a key in that slot: {@code "{" + SlotTags.tagFor(s) + "}"} in a key
 * puts it in slot {@code s}. Tags use only {@code [0-9A-Za-z]}, so they are safe in shells, URLs and globs; among
 * the shortest tags of a slot the first in the order {@code 0-9, A-Z, a-z} (shorter first) is chosen, so results
 * are stable across releases. Every slot has a tag of at most three characters.
 *
 * <p>The table is built once, on first use, in about a millisecond, and takes 64 KB.
 */
public final class SlotTags {

    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private SlotTags() {
    }

    /**
     * Returns a shortest tag (without braces) whose slot is {@code slot}.
     *
     * @throws IllegalArgumentException if {@code slot} is outside 0–16383
     */
    public static String tagFor(int slot) {
        requireArgument(slot >= 0 && slot <= KeySlot.MAX_SLOT, "slot %d is out of range 0-16383", slot);
        return decode(Table.CODES[slot]);
    }

    /** Tags are stored as base-62 digits plus one, most significant first, so that no two lengths share a code. */
    private static String decode(int code) {
        char[] chars = new char[3];
        int n = 0;
        for (int c = code; c > 0; c = c / 63) {
            chars[n++] = ALPHABET.charAt(c % 63 - 1);
        }
        StringBuilder sb = new StringBuilder(n);
        for (int i = n - 1; i >= 0; i--) {
            sb.append(chars[i]);
        }
        return sb.toString();
    }

    /** Built on first use of {@link #tagFor(int)}, by the JVM's class initialisation (lazy and thread-safe). */
    private static final class Table {
        static final int[] CODES = build();

        private static int[] build() {
            int[] codes = new int[KeySlot.SLOT_COUNT];
            int missing = KeySlot.SLOT_COUNT;
            byte[] tag = new byte[3];
            for (int length = 1; length <= 3 && missing > 0; length++) {
                missing = fill(codes, tag, length, 0, 0, missing);
            }
            if (missing > 0) {
                throw new IllegalStateException(missing + " slots have no tag of at most 3 characters");
            }
            return codes;
        }

        /** Enumerates tags of {@code length} in alphabet order, keeping the first tag seen for each slot. */
        private static int fill(int[] codes, byte[] tag, int length, int pos, int code, int missing) {
            for (int i = 0; i < ALPHABET.length(); i++) {
                tag[pos] = (byte) ALPHABET.charAt(i);
                int next = code * 63 + i + 1;
                if (pos + 1 < length) {
                    missing = fill(codes, tag, length, pos + 1, next, missing);
                } else {
                    int slot = Crc16.of(tag, 0, length) & KeySlot.MAX_SLOT;
                    if (codes[slot] == 0) {
                        codes[slot] = next;
                        missing--;
                    }
                }
            }
            return missing;
        }
    }
}
