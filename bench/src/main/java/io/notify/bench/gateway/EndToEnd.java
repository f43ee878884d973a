package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.cpuMicros;
import static io.notify.bench.gateway.Procs.jitMicros;
import static io.notify.bench.gateway.Report.ms;

import java.time.Duration;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import io.notify.bench.BenchStack;
import io.notify.bench.ProcessCpu;

/**
 * Scenario 5, end to end at a rate: {@code POST /api/notifications} to the one user whose socket the end-to-end
 * client holds, open loop at {@code --e2e-low-rate} and {@code --e2e-rate} after a warm-up; latency from each send's
 * due time to its frame, and from the notification's {@code created_at} to the frame.
 */
final class EndToEnd extends Scenario {

    EndToEnd(Rig rig) {
        super(rig);
    }

    /** REST POST /api/notifications for one user at a fixed rate; latency from the scheduled send to the frame. */
    void run() throws Exception {
        Options options = rig.options;
        String admin = Rig.adminToken(9_999_999);
        warmUp(admin, "");
        rig.settle("the e2e warm-up");
        rig.settle("the e2e measurement at " + options.e2eLowRate() + "/s");
        e2eAt("e2e-low", admin, options.e2eLowRate(), options.e2eLowSeconds(), "", true);
        rig.settle("the e2e measurement at " + options.e2eRate() + "/s");
        long off = e2eAt("e2e", admin, options.e2eRate(), options.e2eSeconds(), "", true);
        if (options.acks() == Options.Acks.COMPARE) {
            // the same socket acknowledging every frame, after its own warm-up (receipts: the gateway's publisher, the
            // store's consumer, engagement events), then without and with in turn, three series each: one pair on this
            // box differs by more than acks do (e2e p99 at 1,000/s without acks ran 85-108 ms in one session)
            rig.gens.acks(true);
            warmUp(admin, " (acks on)");
            long[] offs = { off, 0, 0 };
            long[] ons = new long[3];
            for (int i = 0; i < 3; i++) {
                rig.gens.acks(true);
                rig.settle("the e2e measurement at " + options.e2eRate() + "/s with acks");
                ons[i] = e2eAt("e2e-acks-" + i, admin, options.e2eRate(), options.e2eSeconds(), " (acks on)", i == 0);
                rig.gens.acks(false);
                if (i < 2) {
                    rig.settle("the e2e measurement at " + options.e2eRate() + "/s");
                    offs[i + 1] = e2eAt("e2e-" + (i + 1), admin, options.e2eRate(), options.e2eSeconds(), "", false);
                }
            }
            long on = median(ons);
            long offMedian = median(offs);
            report.line(String.format(Locale.ROOT, "e2e p99 at %d/s in turn, without / with acks: %s / %s, %s / %s, %s / %s; "
                    + "medians %s / %s", options.e2eRate(), ms(offs[0]), ms(ons[0]), ms(offs[1]), ms(ons[1]), ms(offs[2]),
                    ms(ons[2]), ms(offMedian), ms(on)));
            report.row("e2e p99 @" + options.e2eRate() + "/s, acks on / off (medians of 3, in turn)",
                    String.format(Locale.ROOT, "%s / %s", ms(on), ms(offMedian)), "no worse", on <= offMedian * 1.1);
        }
    }

    private static long median(long[] three) {
        long[] sorted = three.clone();
        java.util.Arrays.sort(sorted);
        return sorted[1];
    }

    /**
     * Warm-up: notification-service's send path is first exercised here, and its JIT needs about a minute of compiler
     * CPU for it (REST, validation, Jackson, JDBC, Kafka): a run measured 12 s of compiler CPU in 20 s at 1,000/s, and
     * that competes with the send path for the 2 cores. Warm up at half the rate, 15 s at a time, until a round's
     * compiler CPU is under 3% of a core (at most 3 minutes), then 15 s at the full rate.
     */
    private void warmUp(String admin, String label) throws Exception {
        Options options = rig.options;
        for (int round = 1; round <= 12; round++) {
            long jit0 = jitMicros(rig.stack.service().pid());
            runRate("e2e-warm", admin, Math.max(1, options.e2eRate() / 2), 15, new Histogram(LoadGen.MAX_LATENCY_US, 3));
            long serviceJit = jitMicros(rig.stack.service().pid()) - jit0;
            report.line(String.format(Locale.ROOT, "e2e warm-up%s round %d at %d/s: notification-service JIT compilers %.0f ms in 15 s",
                    label, round, Math.max(1, options.e2eRate() / 2), serviceJit / 1000.0));
            if (serviceJit < 450_000) {
                break;
            }
        }
        runRate("e2e-warm", admin, options.e2eRate(), 15, new Histogram(LoadGen.MAX_LATENCY_US, 3));
    }

    /** One measured series (in the report's table when {@code rows}); answers its REST → frame p99 (µs). */
    private long e2eAt(String group, String admin, int rate, int seconds, String label, boolean rows) throws Exception {
        BenchStack stack = rig.stack;
        Gateway g1 = rig.gateways().get(0);
        Histogram rest = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        long serviceCpu = cpuMicros(stack.service().pid());
        long serviceJit = jitMicros(stack.service().pid());
        long gatewayCpu = cpuMicros(g1.pid());
        long gc0 = rig.gcMark(g1);
        long serviceGc0 = rig.gcMark("notification-service");
        long[] machine0 = BenchStack.machineTicks();
        ProcessCpu processes0 = ProcessCpu.snapshot();
        long[] result = runRate(group, admin, rate, seconds, rest);
        String machine = BenchStack.machineSince(machine0);
        String processes = ProcessCpu.snapshot().since(processes0);
        GroupStats s = rig.gens.await(group, result[0], Duration.ofSeconds(60));
        serviceCpu = cpuMicros(stack.service().pid()) - serviceCpu;
        serviceJit = jitMicros(stack.service().pid()) - serviceJit;
        gatewayCpu = cpuMicros(g1.pid()) - gatewayCpu;
        report.line("during the e2e run at " + rate + "/s: " + rig.gcSince(g1, gc0) + "; "
                + rig.gcSince("notification-service", serviceGc0) + "; machine: " + machine);
        report.line("during the e2e run at " + rate + "/s, by process: " + processes);
        report.line(String.format(Locale.ROOT, "e2e: CPU per send: notification-service %.0f us (of which its JIT compilers "
                + "%.0f us), gateway %.0f us (the gateway also pings its idle sockets meanwhile)",
                serviceCpu / (double) result[2], serviceJit / (double) result[2], gatewayCpu / (double) result[2]));
        Histogram h = s.latency();
        report.line(String.format(Locale.ROOT, "e2e: %d sends scheduled at %d/s for %d s, %d answered 201, %d failed "
                + "(statuses %s), %d frames received; REST answer p50 %s p99 %s; frame p50 %s p99 %s p99.9 %s max %s",
                result[2], rate, seconds, result[0], result[1], rig.rest.lastStatuses(), s.count(),
                ms(rest.getValueAtPercentile(50)), ms(rest.getValueAtPercentile(99)), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue())));
        report.line("e2e: the seconds of sending with the slowest frames: " + rig.gens.slowestSeconds(group) + "; from stored: "
                + rig.gens.slowestSeconds(group + LoadGen.STORED));
        Histogram stored = rig.gens.await(group + LoadGen.STORED, s.count(), Duration.ofSeconds(5)).latency();
        report.line(String.format(Locale.ROOT, "e2e: of which stored (the notification's created_at, drawn by the send "
                + "writer) -> frame p50 %s p99 %s p99.9 %s",
                ms(stored.getValueAtPercentile(50)), ms(stored.getValueAtPercentile(99)),
                ms(stored.getValueAtPercentile(99.9))));
        if (rows) {
            boolean target = rate >= 1000;
            report.row("e2e REST -> frame p50 @" + rate + "/s" + label, ms(h.getValueAtPercentile(50)), "", null);
            report.row("e2e REST -> frame p99 @" + rate + "/s" + label, ms(h.getValueAtPercentile(99)), target ? "<= 25 ms" : "",
                    target ? h.getValueAtPercentile(99) <= 25_000 && s.count() == result[2] : null);
            report.row("e2e REST -> frame p99.9 @" + rate + "/s" + label, ms(h.getValueAtPercentile(99.9)), "", null);
            report.row("e2e @" + rate + "/s frames received / sends" + label, s.count() + " / " + result[2], "", null);
        }
        return h.getValueAtPercentile(99);
    }

    /** {@link RestSends#runRate} to the end-to-end user. */
    private long[] runRate(String group, String admin, int rate, int seconds, Histogram rest) throws Exception {
        String e2eUser = Rig.userId(rig.users());
        return rig.rest.runRate(group, admin, rate, seconds, rest, i -> e2eUser);
    }
}
