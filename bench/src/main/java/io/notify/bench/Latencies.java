package io.notify.bench;

import java.util.Arrays;
import java.util.Locale;

/** Client-side latencies of one kind of request, in nanoseconds. */
final class Latencies {

    private long[] nanos = new long[1024];
    private int count;

    void add(long value) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = value;
    }

    int count() {
        return count;
    }

    /** The values from {@code from} (inclusive) to {@code to} (exclusive), in the order they were added. */
    Latencies slice(int from, int to) {
        Latencies part = new Latencies();
        for (int i = from; i < to; i++) {
            part.add(nanos[i]);
        }
        return part;
    }

    /** Nearest-rank percentile in milliseconds. */
    double percentileMs(double p) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
    }

    double maxMs() {
        return Arrays.stream(nanos, 0, count).max().orElse(0) / 1e6;
    }

    double meanMs() {
        return Arrays.stream(nanos, 0, count).average().orElse(0) / 1e6;
    }

    static String header() {
        return String.format(Locale.ROOT, "%-46s %6s %8s %8s %8s %8s %8s  %s", "request", "count", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "mean ms", "p99 <= 10 ms");
    }

    String row(String name, double targetMs) {
        if (count == 0) {
            return String.format(Locale.ROOT, "%-46s %6d", name, 0);
        }
        double p99 = percentileMs(99);
        return String.format(Locale.ROOT, "%-46s %6d %8.2f %8.2f %8.2f %8.2f %8.2f  %s", name, count,
                percentileMs(50), percentileMs(90), p99, maxMs(), meanMs(), p99 <= targetMs ? "yes" : "NO");
    }
}
