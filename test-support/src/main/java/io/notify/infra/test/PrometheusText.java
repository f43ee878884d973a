package io.notify.infra.test;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reading a Prometheus text scrape ({@code /q/metrics}) in tests: a series' value by name and labels, and the
 * metric names a scrape exports.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The sum of every sample of {@code name} carrying all {@code labels} (each {@code key=value}); 0 when none.
     * {@code value("notify_auth_logins_total", "outcome=success")}.
     */
    public static double value(String scrape, String name, String... labels) {
        return scrape.lines()
                .filter(l -> !l.startsWith("#") && sampleName(l).equals(name))
                .filter(l -> {
                    for (String label : labels) {
                        int eq = label.indexOf('=');
                        if (!l.contains(label.substring(0, eq) + "=\"" + label.substring(eq + 1) + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(PrometheusText::sampleValue)
                .sum();
    }

    /** Every sample name in the scrape ({@code _count}, {@code _sum}, {@code _bucket}… as they are). */
    public static Set<String> names(String scrape) {
        Set<String> names = new LinkedHashSet<>();
        scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> names.add(sampleName(l)));
        return names;
    }

    /** The value after the name and labels; an exemplar ({@code # {trace_id=…} 1.0 1712…}) may follow it. */
    private static double sampleValue(String line) {
        int exemplar = line.indexOf(" # ");
        String sample = exemplar < 0 ? line : line.substring(0, exemplar);
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    private static String sampleName(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
            end++;
        }
        return line.substring(0, end);
    }
}
