package io.notify.bench.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.notify.bench.BenchStack;

/** The bench's console and report output: log lines, the table of figures, and how figures are written. */
final class Report {

    private final BenchStack stack;
    private final List<String[]> table = new ArrayList<>();

    Report(BenchStack stack) {
        this.stack = stack;
    }

    void line(String text) {
        stack.line(text);
    }

    void row(String what, String value, String target, Boolean met) {
        table.add(new String[] { what, value, target, met == null ? "" : met ? "yes" : "NO" });
    }

    void printTable() {
        line("");
        line(String.format(Locale.ROOT, "%-42s %16s  %-22s %s", "figure", "measured", "target", "met"));
        for (String[] r : table) {
            line(String.format(Locale.ROOT, "%-42s %16s  %-22s %s", r[0], r[1], r[2], r[3]));
        }
    }

    static String ms(double micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000);
    }

    static String us(double micros) {
        return String.format(Locale.ROOT, "%.1f us", micros);
    }

    static String kb(double kb) {
        return String.format(Locale.ROOT, "%.2f KB", kb);
    }
}
