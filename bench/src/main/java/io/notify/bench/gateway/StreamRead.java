package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.cpuMicros;
import static io.notify.bench.gateway.Procs.jitMicros;
import static io.notify.bench.gateway.Report.us;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import io.notify.bench.BenchStack;
import io.notify.bench.CpuProfile;

/**
 * Scenario 4b, the event stream's cost to a gateway that holds none of its recipients: every gateway reads every
 * event of {@code notification-events}, and with many gateways most single-user events address a socket on another
 * one (the capacity model's first ceiling). {@link #RATE} events a second for {@link #SECONDS} s, each to a user
 * id no socket has, then one to the end-to-end user: its frame says the gateway read everything before it (one
 * partition, in order). A first pass of the same size, not measured, warms the path up; a second measured pass at
 * {@link #HIGH_RATE}/s for {@link #HIGH_SECONDS} s shows the cost where each fetch carries many records. Printed: the
 * gateway's CPU beyond its idle (JIT left out) per event read, and the records per fetch after each pass.
 */
final class StreamRead extends Scenario {

    static final int RATE = 5_000;
    static final int SECONDS = 10;
    /** The second measured pass: a rate at which a fetch carries many records (the capacity model's 10k-100k sends/s). */
    static final int HIGH_RATE = 20_000;
    static final int HIGH_SECONDS = 5;

    StreamRead(Rig rig) {
        super(rig);
    }

    void run(Gateway g1, double idleCpu) throws Exception {
        pass(g1, idleCpu, "stream-warm", RATE, SECONDS);
        rig.settle("the measured stream read");
        double perEvent = pass(g1, idleCpu, "stream", RATE, SECONDS);
        report.row("gateway CPU per event read, no local recipient", us(perEvent), "", null);
        rig.settle("the stream read at " + HIGH_RATE + "/s");
        double perEventHigh = pass(g1, idleCpu, "stream-high", HIGH_RATE, HIGH_SECONDS);
        report.row("same, at " + HIGH_RATE + " events/s", us(perEventHigh), "", null);
        if (rig.options.profile()) {
            profile(g1, idleCpu);
        }
    }

    /**
     * {@code --profile 1}: one more pass with the gateway's threads sampled ({@link CpuProfile}), every thread's frames per
     * event read; the stacks are kept in {@code bench/target/gateway-profile-stream.collapsed}.
     */
    private void profile(Gateway g1, double idleCpu) throws Exception {
        Path stacks = rig.stack.repo().resolve("bench/target/gateway-profile-stream.collapsed");
        CpuProfile profiler = CpuProfile.in(rig.stack.work());
        rig.settle("the profiled stream read");
        profiler.start(g1.pid());
        try {
            pass(g1, idleCpu, "stream-profiled", RATE, SECONDS);
        } finally {
            profiler.stop(g1.pid(), stacks);
        }
        long events = (long) RATE * SECONDS;
        // how the consumer of notification-events fetched them (Kafka's own client metrics, as Micrometer exports them)
        rig.gatewayMetrics(g1).stream().filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_per_request_avg")
                || l.startsWith("kafka_consumer_fetch_manager_fetch_size_avg")
                || l.startsWith("kafka_consumer_fetch_manager_fetch_latency_avg")
                || l.startsWith("kafka_consumer_fetch_manager_fetch_total")).forEach(l -> report.line("  " + l));
        report.line(String.format(Locale.ROOT, "profile: the gateway's threads over the profiled stream read (sampled, not "
                + "measured; %s):%n%s", stacks, CpuProfile.summary(stacks, thread -> true, 40, events, "event")));
    }

    private double pass(Gateway g1, double idleCpu, String group, int rate, int passSeconds) throws Exception {
        long cpu0 = cpuMicros(g1.pid());
        long jit0 = jitMicros(g1.pid());
        long start = System.nanoTime();
        int total = rate * passSeconds;
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            rig.publish(group, "{\"type\":\"user\",\"user_ids\":[\"" + UUID.randomUUID() + "\"]}", LoadGen.nowMicros());
        }
        String marker = group + "-end";
        rig.publish(marker, "{\"type\":\"user\",\"user_ids\":[\"" + Rig.userId(rig.users()) + "\"]}", LoadGen.nowMicros());
        rig.flush();
        GroupStats s = rig.gens.await(marker, 1, Duration.ofSeconds(60));
        double seconds = BenchStack.seconds(start);
        double cpu = cpuMicros(g1.pid()) - cpu0 - (jitMicros(g1.pid()) - jit0) - idleCpu * seconds;
        report.line(String.format(Locale.ROOT, "stream read%s: %d events at %d/s to users no socket of this gateway has, "
                + "read in %.1f s (the marker after them %s); gateway CPU %.0f ms beyond idle (JIT left out): %.2f us per event",
                group.endsWith("warm") ? " (warm-up, not measured)" : "", total, rate, seconds,
                s.count() == 1 ? "arrived" : "DID NOT ARRIVE", cpu / 1000, cpu / total));
        // how many records a fetch carried (Kafka's client metric: an average over its last 30 s sample window)
        rig.gatewayMetrics(g1).stream().filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_per_request_avg"))
                .forEach(l -> report.line("  " + l));
        return cpu / total;
    }
}
