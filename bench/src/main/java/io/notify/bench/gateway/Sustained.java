package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.cpuMicros;
import static io.notify.bench.gateway.Procs.jitMicros;
import static io.notify.bench.gateway.Report.ms;
import static io.notify.bench.gateway.Report.us;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.notify.bench.BenchStack;

/**
 * Scenario 4, sustained deliveries: bursts of {@code --burst} everyone-events to every socket of the gateway, each
 * burst awaited, for {@code --sustain-seconds}; deliveries per second and CPU per delivery. Then 6 s more while
 * sampling where the gateway's busy threads are.
 */
final class Sustained extends Scenario {

    Sustained(Rig rig) {
        super(rig);
    }

    void run(Gateway g1, int sockets, double idleCpu) throws Exception {
        sustained(g1, sockets, idleCpu, rig.options.sustainSeconds(), true);
        Procs.profile(report, g1, () -> {
            try {
                sustained(g1, sockets, idleCpu, 6, false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void sustained(Gateway g1, int sockets, double idleCpu, int seconds, boolean measured) throws Exception {
        int burst = rig.options.burst();
        String group = measured ? "sus" : "sus-profiled";
        long cpu0 = cpuMicros(g1.pid());
        long jit0 = jitMicros(g1.pid());
        long startNanos = System.nanoTime();
        long firstUs = LoadGen.nowMicros();
        long deadline = startNanos + TimeUnit.SECONDS.toNanos(seconds);
        long expected = 0;
        int events = 0;
        GroupStats s = null;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < burst; i++) {
                rig.publish(group, "{\"type\":\"everyone\"}", LoadGen.nowMicros());
                events++;
            }
            rig.flush();
            expected += (long) burst * sockets;
            s = rig.gens.await(group, expected, Duration.ofSeconds(60));
            if (s.count() < expected) {
                report.line("sustained: a burst did not fully arrive within 60 s; stopping");
                break;
            }
        }
        double cpu = cpuMicros(g1.pid()) - cpu0 - (jitMicros(g1.pid()) - jit0) - idleCpu * BenchStack.seconds(startNanos);
        double elapsedS = (s.lastUs() - firstUs) / 1e6;
        double rate = s.count() / elapsedS;
        if (!measured) {
            return;
        }
        report.line(String.format(Locale.ROOT, "sustained: %d everyone events in bursts of %d to %d sockets, %d/%d frames in "
                + "%.1f s; per-frame latency p50 %s p99 %s; gateway CPU %.0f ms beyond idle", events, burst,
                sockets, s.count(), expected, elapsedS, ms(s.latency().getValueAtPercentile(50)),
                ms(s.latency().getValueAtPercentile(99)), cpu / 1000));
        report.row("sustained deliveries per second", String.format(Locale.ROOT, "%,.0f /s", rate), "", null);
        report.row("server CPU per delivery (sustained)", us(cpu / s.count()), "<= 10 us", cpu / s.count() <= 10);
    }
}
