package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.cpuMicros;
import static io.notify.bench.gateway.Procs.jitMicros;
import static io.notify.bench.gateway.Procs.sysMicros;
import static io.notify.bench.gateway.Report.ms;
import static io.notify.bench.gateway.Report.us;

import java.util.Locale;

import org.HdrHistogram.Histogram;

import io.notify.bench.BenchStack;
import io.notify.bench.CpuProfile;

/**
 * Scenarios 2 and 3, fan-out and server CPU per delivery: {@code --reps} events to the 10k sockets of one company
 * ("all received" = last arrival minus publish), after warm-up reps; the gateway's CPU over the same reps, minus its
 * JIT compilers and its idle CPU, per frame delivered. One series gives both figures, as it always did: the CPU is
 * that of these very deliveries.
 */
final class FanOut extends Scenario {

    /** Warm-ups so far: their reps' group names. */
    private int warmUps;

    FanOut(Rig rig) {
        super(rig);
    }

    /** Returns the gateway's idle CPU (µs per second, JIT compilers left out), which the sustained run subtracts too. */
    double run(Gateway g1, int opened) throws Exception {
        Options options = rig.options;
        int companySockets = Math.min(options.fanout(), rig.users());
        String audience = Rig.companyAudience(Rig.BIG_COMPANY);
        warmUp(g1, audience, companySockets, "", options.warmupReps());
        // idle right before the reps: right after the connect phase, the last preference loads and their retries
        // were still running
        rig.settle("the idle measurement");
        double idleCpu = Procs.idleCpuPerSecond(g1, 10);
        report.line(String.format(Locale.ROOT, "gateway idle CPU with %d sockets (JIT compilers left out): %.0f us/s = %.2f us "
                + "per socket per second", opened, idleCpu, idleCpu / opened));
        report.row("gateway idle CPU (no deliveries)", String.format(Locale.ROOT, "%.0f ms/s", idleCpu / 1000), "", null);
        Procs.profile(report, g1, () -> Procs.sleep(5000));
        Options.Acks acks = options.acks();
        if (acks == Options.Acks.COMPARE) {
            // the same sockets, the same run: first acknowledging nothing, then every frame
            Measured off = measure(g1, idleCpu, audience, companySockets, "", 0);
            kernelFloor(off, companySockets);
            long heapOff = Procs.heapAfterGcKb(g1.pid());
            rig.gens.acks(true);
            warmUp(g1, audience, companySockets, " (acks on)", options.warmupReps()); // the ack path is compiled too
            Measured on = measure(g1, idleCpu, audience, companySockets, " (acks on)", 0);
            // what a socket keeps for having acknowledged (its rate budget, pending ids): with every frame acknowledged,
            // nothing should stay pending
            long heapOn = Procs.heapAfterGcKb(g1.pid());
            double kept = (heapOn - heapOff) * 1024.0 / companySockets;
            report.line(String.format(Locale.ROOT, "heap after GC: %d KB after the reps without acks, %d KB after those with "
                    + "(each of the %d sockets acknowledged every frame): %+.0f bytes per acknowledging socket", heapOff,
                    heapOn, companySockets, kept));
            report.row("heap kept per acknowledging socket (after GC)", String.format(Locale.ROOT, "%+.0f B", kept), "", null);
            // where the acks' CPU goes: stacks sampled over further reps (not measured: the sampling costs CPU too)
            report.line("gateway stacks over 15 more fan-out reps with acks:");
            Procs.profile(report, g1, () -> {
                for (int r = 0; r < 15; r++) {
                    try {
                        rig.fanOut("profile-acks-" + r, audience, companySockets, 20);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            // two more pairs, without and with in turn: one pair on this box differs by more than acks do
            Measured[] offs = { off, null, null };
            Measured[] ons = { on, null, null };
            for (int i = 1; i < 3; i++) {
                // each switch changes which code runs and the JIT compiles again: warmed up anew, so that every series
                // measures the steady state, as a gateway whose clients always (or never) acknowledge runs
                rig.gens.acks(false);
                warmUp(g1, audience, companySockets, " (series " + (i + 1) + ")", 3);
                offs[i] = measure(g1, idleCpu, audience, companySockets, "", i);
                rig.gens.acks(true);
                warmUp(g1, audience, companySockets, " (acks on, series " + (i + 1) + ")", 3);
                ons[i] = measure(g1, idleCpu, audience, companySockets, " (acks on)", i);
            }
            StringBuilder pairs = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                pairs.append(String.format(Locale.ROOT, "%s%.2f / %.2f us = %.2fx", i == 0 ? "" : ", ", ons[i].cpuPerDelivery(),
                        offs[i].cpuPerDelivery(), ons[i].cpuPerDelivery() / offs[i].cpuPerDelivery()));
            }
            double onMedian = medianCpu(ons);
            double offMedian = medianCpu(offs);
            double ratio = onMedian / offMedian;
            report.line(String.format(Locale.ROOT, "fan-out: gateway CPU per delivery with / without acks, three pairs in turn: "
                    + "%s; medians %.2f / %.2f us: %.2fx; all received p99 %s with, %s without (first pair)", pairs, onMedian,
                    offMedian, ratio, ms(on.allReceivedP99()), ms(off.allReceivedP99())));
            report.row("CPU per delivery, acks on / off (medians of 3 pairs)", String.format(Locale.ROOT, "%.2fx", ratio),
                    "<= 1.25x", ratio <= 1.25);
            // the same ratio with no server code: a bare NIO writer reading the same acks over epoll. The kernel's
            // share alone (receiving a segment, acknowledging it) is what the gateway's ratio cannot go under.
            rig.settle("the loopback floor with acks");
            String floor = LoopbackFloor.withAcks(companySockets, 15);
            double floorRatio = LoopbackFloor.medianRatio(floor);
            report.line(floor);
            report.line(String.format(Locale.ROOT, "acks on / off: gateway %.2fx, loopback floor %.2fx (same run): the gateway's "
                    + "acks cost %.2fx what the kernel's do", ratio, floorRatio, (ratio - 1) / Math.max(0.01, floorRatio - 1)));
            report.row("  same, bare loopback floor (kernel only, same run)", String.format(Locale.ROOT, "%.2fx", floorRatio), "",
                    null);
        } else {
            kernelFloor(measure(g1, idleCpu, audience, companySockets, "", 0), companySockets);
            if (options.profile()) {
                profile(g1, audience, companySockets);
            }
        }
        if (acks != Options.Acks.OFF) {
            deliveredUsers(companySockets);
        }
        if (acks == Options.Acks.COMPARE) {
            rig.gens.acks(false); // the sustained run's figure stays comparable with earlier runs
        }
        return idleCpu;
    }

    /**
     * Warm-up reps: at least {@code minReps}, then on until three reps in a row cost the gateway's JIT compilers under
     * 10 ms each (at most 40): the reps measure the compiled path, not its compilation. One quiet rep was not enough:
     * with acks just switched on, the measured reps that followed one still cost the compilers 0.9 s.
     */
    private void warmUp(Gateway g1, String audience, int companySockets, String label, int minReps) throws Exception {
        int quiet = 0;
        warmUps++;
        for (int r = 0; r < 40; r++) {
            long jit0 = jitMicros(g1.pid());
            rig.fanOut("warm-" + warmUps + "-" + r, audience, companySockets, 20); // a group name of its own each
            long jit = jitMicros(g1.pid()) - jit0;
            quiet = jit < 10_000 ? quiet + 1 : 0;
            if (r + 1 >= minReps && quiet >= 3) {
                report.line(String.format(Locale.ROOT, "fan-out warm-up%s: %d reps (the last three cost the JIT under 10 ms each)",
                        label, r + 1));
                return;
            }
        }
        report.line("fan-out warm-up" + label + ": 40 reps, and the JIT compilers were still at work");
    }

    /**
     * The kernel's floor under the fan-out, in the same run: {@link LoopbackFloor} writes the same number of
     * frame-sized messages to as many loopback sockets, as many reps, with no server code; the gateway's CPU per
     * delivery (idle and JIT left out) as a multiple of its CPU per write. Then the same in the fan-out's shape (as
     * many writing threads as event loops, receivers as the load generators), a second ratio.
     */
    private void kernelFloor(Measured fanOut, int companySockets) throws Exception {
        rig.settle("the loopback floor");
        String line = LoopbackFloor.plain(companySockets, rig.options.reps());
        double floor = LoopbackFloor.perWrite(line);
        report.line(line);
        double ratio = fanOut.cpuPerDelivery() / floor;
        report.row("server CPU per delivery / kernel floor (LoopbackFloor, same run)", String.format(Locale.ROOT,
                "%.2fx (%.2f / %.2f us)", ratio, fanOut.cpuPerDelivery(), floor), "<= 1.25x", ratio <= 1.25);
        // the same writes in the fan-out's shape: as many writing threads as the gateway has event loops (Quarkus
        // sizes them by the cores), received by as many processes and threads as the load generators have
        rig.settle("the loopback floor in the fan-out's shape");
        String shapedLine = LoopbackFloor.shaped(companySockets, rig.options.reps(), Runtime.getRuntime().availableProcessors(),
                rig.gens.bulkCount(), LoadGen.EVENT_LOOPS);
        double shaped = LoopbackFloor.perWrite(shapedLine);
        report.line(shapedLine);
        double shapedRatio = fanOut.cpuPerDelivery() / shaped;
        report.row("  same, floor in the fan-out's shape (same run)", String.format(Locale.ROOT, "%.2fx (%.2f / %.2f us)",
                shapedRatio, fanOut.cpuPerDelivery(), shaped), "<= 1.25x", shapedRatio <= 1.25);
    }

    /** Profiled reps: fewer than measured ones, enough samples (about 1,000 per thread) to rank the frames. */
    static final int PROFILED_REPS = 15;

    /**
     * {@code --profile 1}: where the gateway's CPU per delivery goes beside where the kernel floor's goes, frame by
     * frame, kernel frames included ({@link CpuProfile}): {@link #PROFILED_REPS} more fan-out reps with the gateway
     * sampled, then the floor's writes with its writing thread sampled. Not measured figures (the sampling costs
     * CPU); the stacks are kept in {@code bench/target/gateway-profile-*.collapsed}.
     */
    private void profile(Gateway g1, String audience, int companySockets) throws Exception {
        java.nio.file.Path target = rig.stack.repo().resolve("bench/target");
        CpuProfile profiler = CpuProfile.in(rig.stack.work());
        rig.settle("the profiled fan-out reps");
        java.nio.file.Path gateway = target.resolve("gateway-profile-fanout.collapsed");
        long delivered = 0;
        profiler.start(g1.pid());
        try {
            for (int r = 0; r < PROFILED_REPS; r++) {
                delivered += rig.fanOut("profile-" + r, audience, companySockets, 20).count();
                Thread.sleep(200);
            }
        } finally {
            profiler.stop(g1.pid(), gateway);
        }
        report.line(String.format(Locale.ROOT, "profile: the gateway's event loops over %d more fan-out reps (%d deliveries; "
                + "sampled, not measured; %s):%n%s", PROFILED_REPS, delivered, gateway, CpuProfile.summary(gateway,
                        thread -> thread.contains("eventloop"), 30, delivered, "delivery")));
        report.line("profile: the gateway's other threads over the same reps:\n" + CpuProfile.summary(gateway,
                thread -> !thread.contains("eventloop"), 10, delivered, "delivery"));
        rig.settle("the profiled loopback floor");
        java.nio.file.Path floor = target.resolve("gateway-profile-floor.collapsed");
        report.line(LoopbackFloor.profiled(companySockets, PROFILED_REPS, floor));
        report.line(String.format(Locale.ROOT, "profile: the loopback floor's writing thread (%s):%n%s", floor,
                CpuProfile.summary(floor, thread -> thread.startsWith("[" + LoopbackFloor.WRITER), 30, (long) PROFILED_REPS * companySockets,
                        "write")));
    }

    /** The fan-out figures of one series: the gateway's CPU per delivery (idle and JIT left out) and all-received p99. */
    record Measured(double cpuPerDelivery, long allReceivedP99) {
    }

    private static double medianCpu(Measured[] three) {
        double[] sorted = java.util.Arrays.stream(three).mapToDouble(Measured::cpuPerDelivery).sorted().toArray();
        return sorted[1];
    }

    /**
     * One series of reps ({@code series} &gt; 0: a repeat, reported in lines only, not in the table); {@code label} names
     * the acks' state.
     */
    private Measured measure(Gateway g1, double idleCpu, String audience, int companySockets, String label, int series)
            throws Exception {
        Options options = rig.options;
        rig.settle("the measured fan-out reps" + label);
        Histogram allReceived = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        StringBuilder reps = new StringBuilder();
        Histogram perSocket = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        long cpu0 = cpuMicros(g1.pid());
        long sys0 = sysMicros(g1.pid());
        long jit0 = jitMicros(g1.pid());
        long gc0 = rig.gcMark(g1);
        long[] machine0 = BenchStack.machineTicks();
        long fanStart = System.nanoTime();
        long delivered = 0;
        int incomplete = 0;
        String group = (label.isEmpty() ? "fan-" : "fan-acks-") + (series == 0 ? "" : series + "-");
        label = series == 0 ? label : label + " (series " + (series + 1) + ")";
        for (int r = 0; r < options.reps(); r++) {
            GroupStats s = rig.fanOut(group + r, audience, companySockets, 20);
            delivered += s.count();
            if (s.count() < companySockets) {
                incomplete++;
            }
            allReceived.recordValue(rig.reachTime(s));
            reps.append(rig.reachTime(s) / 1000).append(' ');
            perSocket.add(s.latency());
            Thread.sleep(200);
        }
        double fanRaw = cpuMicros(g1.pid()) - cpu0;
        double fanSys = sysMicros(g1.pid()) - sys0;
        double fanJit = jitMicros(g1.pid()) - jit0;
        // per delivery: neither the JIT compilers (a warm-up cost) nor the idle work (pings, sweep, Kafka polls)
        double fanCpu = fanRaw - fanJit - idleCpu * BenchStack.seconds(fanStart);
        report.line("during the fan-out reps" + label + ": " + rig.gcSince(g1, gc0) + "; machine: " + BenchStack.machineSince(machine0));
        report.line(String.format(Locale.ROOT, "fan-out%s all-received per rep (ms, in order): %s", label, reps));
        report.line(String.format(Locale.ROOT, "fan-out%s: %d reps to %d sockets of %s, %d deliveries, %d incomplete; "
                + "gateway CPU %.0f ms beyond idle (%.0f ms in all: %.0f%% in the kernel, %.0f ms in JIT compilers)",
                label, options.reps(), companySockets, Rig.BIG_COMPANY, delivered, incomplete, fanCpu / 1000, fanRaw / 1000,
                100 * fanSys / fanRaw, fanJit / 1000));
        if (series == 0) {
            report.row("fan-out 10k: all received p50" + label, ms(allReceived.getValueAtPercentile(50)), "", null);
            report.row("fan-out 10k: all received p99" + label, ms(allReceived.getValueAtPercentile(99)), "<= 200 ms",
                    allReceived.getValueAtPercentile(99) <= 200_000);
            report.row("fan-out 10k: per-socket p50" + label, ms(perSocket.getValueAtPercentile(50)), "", null);
            report.row("fan-out 10k: per-socket p99" + label, ms(perSocket.getValueAtPercentile(99)), "", null);
            report.row("server CPU per delivery (fan-out)" + label, us(fanCpu / delivered), "<= 10 us", fanCpu / delivered <= 10);
            report.row("  same, idle and JIT CPU included" + label, us(fanRaw / delivered), "", null);
        }
        return new Measured(fanCpu / delivered, allReceived.getValueAtPercentile(99));
    }

    /**
     * A stored notification to the whole company (REST, through the outbox and Kafka to the gateway), then its
     * delivery figures polled as its sender until every socket's user is counted: the sockets ack, the gateway
     * publishes receipts, notification-service applies them.
     */
    private void deliveredUsers(int companySockets) throws Exception {
        rig.warmUpBigCompanySender();
        rig.settle("the delivery receipts check");
        long t0 = System.nanoTime();
        String id = rig.sendToBigCompany("Receipts check " + java.util.UUID.randomUUID());
        io.vertx.core.json.JsonObject delivery = rig.delivery(id);
        while (delivery.getInteger("delivered_users") < companySockets && BenchStack.seconds(t0) < 30) {
            Thread.sleep(50);
            delivery = rig.delivery(id);
        }
        double seconds = BenchStack.seconds(t0);
        int users = delivery.getInteger("delivered_users");
        report.line(String.format(Locale.ROOT, "delivery receipts: a stored notification to %s (%d sockets, one per user): "
                + "delivered_users %,d, delivered_sockets %,d after %.2f s (REST send to the last receipt applied); %s",
                Rig.BIG_COMPANY, companySockets, users, delivery.getLong("delivered_sockets"), seconds, delivery.encode()));
        report.row("delivered_users = sockets' users after a 10k fan-out", String.format(Locale.ROOT, "%,d in %.2f s", users, seconds),
                "all within 5 s", users >= companySockets && seconds <= 5);
    }
}
