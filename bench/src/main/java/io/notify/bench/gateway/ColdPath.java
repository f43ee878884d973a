package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.cpuMicros;
import static io.notify.bench.gateway.Procs.jitMicros;
import static io.notify.bench.gateway.Report.ms;

import java.time.Duration;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * The cold path ({@code --cold-only 1}): notification-service and the gateway just started, nothing sent yet, one
 * user's socket open; then {@code POST /api/notifications} to that user at {@code --e2e-rate} for 60 s in 10-s windows,
 * open loop, each window's send → frame p99 printed, and 20 s more once the first minute is over ("warm", with no
 * settling in between: what a user of a freshly rolled-out service sees). The REST sender (this JVM) warms itself up
 * first against a stand-in server of its own, so the figures are the services' cold start, not the load generator's.
 * The notification-service and gateway JIT
 * compilers' CPU per window shows how much of the tail is compilation.
 */
final class ColdPath extends Scenario {

    static final int WINDOWS = 6;
    static final int WINDOW_SECONDS = 10;
    static final int WARM_SECONDS = 20;
    /** The REST sender's own warm-up before the services' first send. */
    static final int CLIENT_WARM_UP_SECONDS = 5;

    ColdPath(Rig rig) {
        super(rig);
    }

    void run(Gateway g1) throws Exception {
        int rate = rig.options.e2eRate();
        String admin = Rig.adminToken(9_999_999);
        rig.gens.connectOne(g1, rig.users());
        // the sender's own warm-up, against a stand-in server in its JVM: the services see none of it
        long clientP99 = rig.rest.warmUpClient(admin, rate, CLIENT_WARM_UP_SECONDS);
        report.line(String.format(Locale.ROOT, "the REST sender's own warm-up: %d s at %d/s to a stand-in server in its JVM "
                + "(answers at once): p99 %s, the load generator's own cold start, not the services'", CLIENT_WARM_UP_SECONDS,
                rate, ms(clientP99)));
        Histogram firstMinute = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        Histogram firstMinuteRest = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        for (int w = 0; w < WINDOWS; w++) {
            Histogram[] window = window("cold-" + w, admin, rate, WINDOW_SECONDS, g1, w * WINDOW_SECONDS + "-"
                    + (w + 1) * WINDOW_SECONDS + " s");
            firstMinute.add(window[0]);
            firstMinuteRest.add(window[1]);
        }
        Histogram[] warm = window("cold-warm", admin, rate, WARM_SECONDS, g1, "then " + WARM_SECONDS + " s more");
        report.row("cold: e2e REST -> frame p99 @" + rate + "/s, first 60 s after start", ms(firstMinute.getValueAtPercentile(99)),
                "<= 50 ms", firstMinute.getValueAtPercentile(99) <= 50_000);
        report.row("cold: REST answer p99, first 60 s", ms(firstMinuteRest.getValueAtPercentile(99)), "", null);
        report.row("cold: e2e REST -> frame p99 @" + rate + "/s, the 20 s after", ms(warm[0].getValueAtPercentile(99)),
                "<= 25 ms", warm[0].getValueAtPercentile(99) <= 25_000);
    }

    /** One window's sends; answers {frame latency, REST answer latency}. */
    private Histogram[] window(String group, String admin, int rate, int seconds, Gateway g1, String label) throws Exception {
        long serviceJit = jitMicros(rig.stack.service().pid());
        long gatewayJit = jitMicros(g1.pid());
        long serviceCpu = cpuMicros(rig.stack.service().pid());
        Histogram rest = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        long[] result = rig.rest.runRate(group, admin, rate, seconds, rest, i -> Rig.userId(rig.users()));
        GroupStats s = rig.gens.await(group, result[0], Duration.ofSeconds(60));
        Histogram h = s.latency();
        report.line(String.format(Locale.ROOT, "cold %s: %d sends, %d answered 201, %d frames; frame p50 %s p99 %s max %s; "
                + "REST p99 %s; notification-service %.0f ms CPU (JIT %.0f ms), gateway JIT %.0f ms", label, result[2],
                result[0], s.count(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
                ms(rest.getValueAtPercentile(99)), (cpuMicros(rig.stack.service().pid()) - serviceCpu) / 1000.0,
                (jitMicros(rig.stack.service().pid()) - serviceJit) / 1000.0, (jitMicros(g1.pid()) - gatewayJit) / 1000.0));
        return new Histogram[] { h, rest };
    }
}
