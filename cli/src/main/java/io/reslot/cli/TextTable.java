package io.reslot.cli;

import java.util.List;

/** Plain text tables: left-aligned columns padded to their widest cell, two spaces apart, no trailing blanks. */
final class TextTable {

    private TextTable() {
    }

    /**
     * The rows as lines, each ending with a newline; the first row is the header.
     *
     * @throws IllegalArgumentException if a row has more cells than the header
     */
    static String of(List<List<String>> rows) {
        int columns = rows.isEmpty() ? 0 : rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            if (row.size() > columns) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells, the header " + columns);
            }
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                line.append(c == 0 ? "" : "  ").append(cell).append(" ".repeat(widths[c] - cell.length()));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
