package org.sparsevd.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, printed by the benchmarks (and pasted into BENCHMARKS.md). */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    void add(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
    }

    /** Markdown table text. */
    String render() {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            sb.append('|');
            for (int i = 0; i < cols; i++) {
                sb.append(' ').append(String.format("%-" + w[i] + "s", rows.get(k)[i])).append(" |");
            }
            sb.append('\n');
            if (k == 0) {
                sb.append('|');
                for (int i = 0; i < cols; i++) {
                    sb.append('-').append("-".repeat(w[i])).append("-|");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
