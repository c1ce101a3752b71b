package xsched.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A left-aligned text table with a header row. Every cell is escaped with
 * {@link TerminalText#escape}, so names and reasons from users and plug-ins can neither move the
 * cursor nor break a row.
 */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        columns = header.length;
        row((Object[]) header);
    }

    TextTable row(Object... cells) {
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = i < cells.length && cells[i] != null ? TerminalText.escape(cells[i].toString()) : "";
        }
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                out.append(i == columns - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
            }
            out.append('\n');
        }
        return out.toString().stripTrailing();
    }
}
