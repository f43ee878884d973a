package io.notify.bench.footprint;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

/**
 * What the starts of one service in one mode (or of its floor) measured. Per-start figures (time to ready,
 * RSS, ...) are kept one value per start; request times are pooled over all starts.
 */
final class Figures {

    /** Spawn to the first 200 from /q/health/ready, µs. */
    final Histogram ready = new Histogram(3);
    /** The process's CPU time (utime + stime) at that moment, µs. */
    final Histogram cpuAtReady = new Histogram(3);
    /** Quarkus' own "started in" from the log, µs. */
    final Histogram startedIn = new Histogram(3);
    /** VmRSS at ready, after the cold requests and after the warm ones, KB. */
    final Histogram rssReady = new Histogram(3);
    final Histogram rssCold = new Histogram(3);
    final Histogram rssWarm = new Histogram(3);
    /** The first request after ready, the cold requests (that one included) and the warm ones, µs. */
    final Histogram first = new Histogram(3);
    final Histogram cold = new Histogram(3);
    final Histogram warm = new Histogram(3);
    /** auth-service's login before the requests, µs. */
    final Histogram login = new Histogram(3);
    /** Lines with " ERROR " in the processes' logs. */
    long errorLines;
    /** Jar (quarkus-app) or executable size, bytes; -1 unknown. */
    long sizeBytes = -1;
    /** Shared libraries from outside the system's folders a native executable mapped (path → bytes). */
    Map<Path, Long> libraries = Map.of();

    int starts() {
        return (int) ready.getTotalCount();
    }

    /** "median (min-max)" of a per-start figure, or {@link Table#NONE}. */
    static String spread(Histogram h, Function<Double, String> format) {
        if (h.getTotalCount() == 0) {
            return Table.NONE;
        }
        return format.apply((double) h.getValueAtPercentile(50)) + " (" + format.apply((double) h.getMinValue())
                + "-" + format.apply((double) h.getMaxValue()) + ")";
    }

    /** "p50 / p99" of pooled request times in ms, or {@link Table#NONE}. */
    static String p50p99(Histogram h) {
        if (h.getTotalCount() == 0) {
            return Table.NONE;
        }
        return Table.ms(h.getValueAtPercentile(50)) + " / " + Table.ms(h.getValueAtPercentile(99));
    }

    /** The ratio of two "p50 / p99" pairs. */
    static String p50p99Ratio(Histogram a, Histogram b) {
        return Table.ratio(median(a), median(b)) + " / " + Table.ratio(p99(a), p99(b));
    }

    static double median(Histogram h) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(50);
    }

    static double p99(Histogram h) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(99);
    }
}
