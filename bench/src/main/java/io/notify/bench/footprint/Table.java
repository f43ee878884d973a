package io.notify.bench.footprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table: a title line, a header and rows, columns padded to their widest cell. */
final class Table {

    /** An empty cell: not measured. */
    static final String NONE = "-";

    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    Table(String title, String... header) {
        this.title = title;
        rows.add(header);
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    List<String> lines() {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(title);
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(String.format(Locale.ROOT, i == r.length - 1 ? "%s" : "%-" + widths[i] + "s  ", r[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** {@code a / b} with two significant digits or so; {@link #NONE} when either is missing. */
    static String ratio(double a, double b) {
        if (!(a > 0) || !(b > 0)) {
            return NONE;
        }
        double r = a / b;
        return String.format(Locale.ROOT, r >= 10 ? "%.0f" : r >= 1 ? "%.1f" : r >= 0.1 ? "%.2f" : "%.3f", r);
    }

    /** Milliseconds from microseconds, to three significant digits or so. */
    static String ms(double micros) {
        double ms = micros / 1000;
        return String.format(Locale.ROOT, ms >= 100 ? "%,.0f" : ms >= 10 ? "%.1f" : "%.2f", ms);
    }

    /** Megabytes (MiB) from kilobytes. */
    static String mb(double kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024);
    }
}
