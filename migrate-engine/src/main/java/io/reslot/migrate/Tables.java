package io.reslot.migrate;

import java.util.List;

/** Left-aligned text tables for the {@code table()} methods of plans and reports. */
final class Tables {

    private Tables() {
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
