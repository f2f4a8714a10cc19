package io.reslot.migrate;

import java.util.List;

import io.reslot.slot.SlotSet;

/** Left-aligned text tables for the {@code table()} methods of plans and reports. */
final class Tables {

    /** Cells of slot ranges longer than this are cut by {@link #abbreviate(String)}. */
    private static final int MAX_RANGES = 60;

    private Tables() {
    }

    /** The first eight characters of a node id, as tables and messages show it. */
    static String shortId(String id) {
        return id.substring(0, Math.min(8, id.length()));
    }

    /** A slot-set cell: {@code -} when empty, else its ranges, {@linkplain #abbreviate(String) abbreviated}. */
    static String ranges(SlotSet slots) {
        return slots.isEmpty() ? "-" : abbreviate(slots.toString());
    }

    /** {@code ranges} ({@code 0-99,500,...}) as is when short, else cut after a comma and ended with {@code ...}. */
    static String abbreviate(String ranges) {
        return ranges.length() <= MAX_RANGES ? ranges
                : ranges.substring(0, ranges.lastIndexOf(',', MAX_RANGES - 3) + 1) + "...";
    }

    /** Appends {@code rows} (the first is the header) with columns padded to their widest cell, two spaces apart. */
    static void append(StringBuilder out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            int end = out.length();
            for (int c = 0; c < columns; c++) {
                out.append(row[c]);
                if (c < columns - 1) {
                    out.append(" ".repeat(widths[c] - row[c].length() + 2));
                }
            }
            // no trailing blanks when the last cells are short
            int last = out.length();
            while (last > end && out.charAt(last - 1) == ' ') {
                last--;
            }
            out.setLength(last);
            out.append('\n');
        }
    }
}
