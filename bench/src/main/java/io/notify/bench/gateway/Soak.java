package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.fdCount;
import static io.notify.bench.gateway.Procs.heapAfterGcKb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import io.notify.bench.BenchStack;

/**
 * The soak ({@code --soak-minutes N}, issue 8), instead of scenarios 2-6: {@code --soak-rate} REST sends per second,
 * each to one random connected user, for N minutes; every minute the heap after a full GC and the open file
 * descriptors of the gateway and of notification-service, and that minute's p99 delivery latency; the slope of each
 * from the third minute on.
 */
final class Soak extends Scenario {

    /** One sample per soak minute. */
    record SoakSample(int minute, long sends, long created, long frames, double p99Ms, long gatewayHeapKb,
            long serviceHeapKb, long gatewayFds, long serviceFds, long gatewayRssKb) {
    }

    Soak(Rig rig) {
        super(rig);
    }

    /** Soak mode: a fixed REST rate to random connected users, sampled every minute; true when something leaks. */
    boolean run(Gateway g1) throws Exception {
        Options options = rig.options;
        int users = rig.users();
        String admin = Rig.adminToken(9_999_998);
        long service = rig.stack.service().pid();
        report.line(String.format(Locale.ROOT, "soak: %d minutes at %d sends/s (REST, each to one of %d connected users)",
                options.soakMinutes(), options.soakRate(), users));
        report.line(String.format(Locale.ROOT, "%6s %8s %8s %8s %9s %12s %12s %8s %8s %10s", "minute", "sends", "201", "frames",
                "p99 ms", "gw heap KB", "ns heap KB", "gw fds", "ns fds", "gw RSS KB"));
        List<SoakSample> samples = new ArrayList<>();
        for (int m = 1; m <= options.soakMinutes(); m++) {
            String group = "soak-" + m;
            long[] result = rig.rest.runRate(group, admin, options.soakRate(), 60, new Histogram(LoadGen.MAX_LATENCY_US, 3),
                    i -> Rig.userId(java.util.concurrent.ThreadLocalRandom.current().nextInt(users)));
            GroupStats s = rig.gens.await(group, result[0], Duration.ofSeconds(30));
            SoakSample sample = new SoakSample(m, result[2], result[0], s.count(),
                    s.latency().getValueAtPercentile(99) / 1000.0, heapAfterGcKb(g1.pid()), heapAfterGcKb(service),
                    fdCount(g1.pid()), fdCount(service), BenchStack.rssKb(g1.pid()));
            samples.add(sample);
            report.line(String.format(Locale.ROOT, "%6d %8d %8d %8d %9.1f %12d %12d %8d %8d %10d", m, sample.sends(),
                    sample.created(), sample.frames(), sample.p99Ms(), sample.gatewayHeapKb(), sample.serviceHeapKb(),
                    sample.gatewayFds(), sample.serviceFds(), sample.gatewayRssKb()));
        }
        List<SoakSample> steady = samples.subList(Math.min(2, samples.size() - 1), samples.size());
        double gwHeap = slope(steady, SoakSample::gatewayHeapKb);
        double nsHeap = slope(steady, SoakSample::serviceHeapKb);
        double gwFds = slope(steady, SoakSample::gatewayFds);
        double nsFds = slope(steady, SoakSample::serviceFds);
        double p99 = slope(steady, x -> Math.round(x.p99Ms() * 1000)) / 1000;
        long sends = samples.stream().mapToLong(SoakSample::sends).sum();
        long created = samples.stream().mapToLong(SoakSample::created).sum();
        long frames = samples.stream().mapToLong(SoakSample::frames).sum();
        report.line(String.format(Locale.ROOT, "soak slopes from minute %d on, per minute: gateway heap %+.0f KB, "
                + "notification-service heap %+.0f KB, gateway fds %+.2f, notification-service fds %+.2f, p99 %+.2f ms",
                steady.get(0).minute(), gwHeap, nsHeap, gwFds, nsFds, p99));
        // a leak grows without bound; noise around a flat line does not: over the steady minutes, growth both
        // by the slope and by more than 10% of the starting value (heap) or by more than 20 descriptors
        boolean heapLeak = leaks(steady, SoakSample::gatewayHeapKb, gwHeap, 256)
                || leaks(steady, SoakSample::serviceHeapKb, nsHeap, 512);
        boolean fdLeak = gwFds * steady.size() > 20 || nsFds * steady.size() > 20;
        report.row("soak: sends / 201 / frames", sends + " / " + created + " / " + frames, "frames = 201s", frames == created);
        report.row("soak: gateway heap slope", String.format(Locale.ROOT, "%+.0f KB/min", gwHeap), "flat", !heapLeak);
        report.row("soak: notification-service heap slope", String.format(Locale.ROOT, "%+.0f KB/min", nsHeap), "flat", !heapLeak);
        report.row("soak: fd slopes (gateway, service)", String.format(Locale.ROOT, "%+.2f, %+.2f /min", gwFds, nsFds), "flat",
                !fdLeak);
        report.row("soak: p99 delivery, last minute", String.format(Locale.ROOT, "%.1f ms", samples.get(samples.size() - 1).p99Ms()),
                "", null);
        report.row("soak: p99 delivery slope", String.format(Locale.ROOT, "%+.2f ms/min", p99), "", null);
        return heapLeak || fdLeak;
    }

    private static boolean leaks(List<SoakSample> steady, java.util.function.ToLongFunction<SoakSample> f,
            double slopeKbPerMin, double minSlope) {
        long first = f.applyAsLong(steady.get(0));
        return slopeKbPerMin > minSlope && slopeKbPerMin * steady.size() > 0.10 * first;
    }

    /** Least-squares slope of {@code f} over the samples, per minute. */
    private static double slope(List<SoakSample> samples, java.util.function.ToLongFunction<SoakSample> f) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double mx = samples.stream().mapToDouble(SoakSample::minute).average().orElse(0);
        double my = samples.stream().mapToDouble(f::applyAsLong).average().orElse(0);
        double num = 0;
        double den = 0;
        for (SoakSample s : samples) {
            num += (s.minute() - mx) * (f.applyAsLong(s) - my);
            den += (s.minute() - mx) * (s.minute() - mx);
        }
        return den == 0 ? 0 : num / den;
    }
}
