package io.notify.infra.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The PromQL of the Grafana dashboard and the PrometheusRule alerts in {@code k8s/components/observability}, and the
 * metric names it uses: every {@code expr} of the dashboard (at any depth: panels, rows, targets) and of the rules
 * is read, so a panel or an alert added there is checked without any test changing (the k8s module's offline
 * check, and system-tests' check against what a running suite exports).
 */
public final class DashboardMetrics {

    /** The series a histogram or summary exports besides its base name. */
    public static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private DashboardMetrics() {
    }

    public static Path dir(Path repoRoot) {
        return repoRoot.resolve("k8s/components/observability");
    }

    public static Path dashboard(Path repoRoot) {
        return dir(repoRoot).resolve("grafana-dashboard.json");
    }

    public static Path rules(Path repoRoot) {
        return dir(repoRoot).resolve("prometheus-rules.yaml");
    }

    /** Every PromQL expression of the dashboard and the rules. */
    public static List<String> expressions(Path repoRoot) {
        List<String> exprs = new ArrayList<>();
        try {
            collect(new ObjectMapper().readTree(dashboard(repoRoot).toFile()), exprs);
            collect(new YAMLMapper().readTree(rules(repoRoot).toFile()), exprs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exprs;
    }

    /** Every metric name the dashboard and the rules use. */
    public static Set<String> metricNames(Path repoRoot) {
        Set<String> names = new TreeSet<>();
        expressions(repoRoot).forEach(e -> names.addAll(metricNames(e)));
        return names;
    }

    /**
     * The metric names of one PromQL expression: identifiers that are not functions, keywords, label names (in
     * matchers and grouping clauses), strings, durations or numbers.
     */
    public static Set<String> metricNames(String expr) {
        String s = QUOTED.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^\\]]*\\]", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            char before = m.start() == 0 ? ' ' : s.charAt(m.start() - 1);
            if (Character.isDigit(before) || before == '.' || before == '$') {
                continue; // 1e3, 5m, a Grafana variable
            }
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            String word = m.group();
            if ((next < s.length() && s.charAt(next) == '(') || KEYWORDS.contains(word.toLowerCase())) {
                continue;
            }
            names.add(word);
        }
        return names;
    }

    /** The names listed in {@code metric-names.txt} (first word of each line that is not a comment). */
    public static Set<String> listed(Path repoRoot) {
        try {
            Set<String> names = new TreeSet<>();
            for (String line : Files.readAllLines(dir(repoRoot).resolve("metric-names.txt"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.trim().split("\\s+")[0]);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code name} is one of {@code names}, or a histogram's or summary's series of one of them. */
    public static boolean covered(String name, Set<String> names) {
        if (names.contains(name)) {
            return true;
        }
        return SUFFIXES.stream().anyMatch(suffix -> name.endsWith(suffix)
                && names.contains(name.substring(0, name.length() - suffix.length())));
    }

    /** Whether a scrape exporting {@code exported} (sample names) has {@code name}: itself, or its series. */
    public static boolean exported(String name, Set<String> exported) {
        return covered(name, exported) || SUFFIXES.stream().anyMatch(suffix -> exported.contains(name + suffix));
    }

    private static void collect(JsonNode node, List<String> exprs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    exprs.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), exprs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, exprs));
        }
    }
}
