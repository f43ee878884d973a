package io.notify.bench.gateway;

import java.util.List;
import java.util.Locale;

import io.notify.bench.BenchStack;

/**
 * Gateway benchmark (issue 5, "Proof"): starts PostgreSQL, Kafka, the packaged notification-service and
 * packaged gateways, plus load-generator processes ({@link LoadGen}) that hold the sockets, and measures
 * sockets held by one gateway with RSS and heap per socket, server CPU per delivery, the fan-out of one
 * company notification to 10k sockets, sustained deliveries per second, single-user end-to-end latency
 * (REST send to frame) at a fixed rate, and a scale-out of several gateways reached by one
 * everyone-broadcast. Everything it started is stopped and its temp dir deleted at the end.
 *
 * <p>One class per scenario, run in this order on one {@link Rig} (each leaves the sockets open for the next):
 * {@link MemoryPerSocket}, {@link FanOut} (with CPU per delivery), {@link Sustained}, {@link StreamRead}, {@link EndToEnd},
 * {@link ScaleOut}; or {@link Soak} instead of all after the first.
 *
 * <p>Options: {@code --sockets N} (per gateway; capped by the file-descriptor limit) {@code --fanout N
 * --reps N --warmup-reps N --sustain-seconds N --burst N --e2e-rate N --e2e-seconds N --e2e-low-rate N
 * --e2e-low-seconds N --scale-gateways N --per-loadgen N --gateway-heap 1g --broadcast-reps N}, and JVM flags
 * (comma-separated) {@code --gateway-gc} (after {@code -Xmx<gateway-heap>}; default: as the gateway's image runs it,
 * {@link Options#gatewayImageJvm()}) and {@code --service-jvm
 * -Xmx512m} for notification-service. {@code --heap-dump PATH} writes the gateway's heap with every socket open to
 * PATH (hprof, for finding what a socket holds); {@code --memory-only 1} stops after the memory figures;
 * {@code --connect-rate N} opens the measured sockets at N per second in all (issue 27's connect storm: 600+/s; 0, the
 * default, as fast as the gateway takes them); {@code --profile 1} (without {@code --acks compare}) samples the gateway
 * over 15 more fan-out reps and the loopback floor's writes after the measured ones, and prints where each one's CPU
 * goes, kernel frames included ({@link io.notify.bench.CpuProfile}, async-profiler);
 * {@code --cold-only 1} measures only the cold path instead ({@link ColdPath}: the end-to-end user's socket and sends at
 * {@code --e2e-rate} to the services just started, no warm-up);
 * {@code --service-native PATH} (with {@code --cold-only 1}) runs notification-service's native executable so;
 * {@code --gateway-native PATH} (with {@code --memory-only 1} or {@code --cold-only 1}) runs that native executable of the gateway instead of
 * its jar, with {@code -Xmx<gateway-heap>} and no other flag, as its image does: RSS only (no jcmd, so no heap
 * figures and no full GC before the measurement). {@code --scale-gateways 1} leaves the scale-out out.
 * {@code --acks on} (default off): every client acknowledges the notification frames it gets, as the TypeScript
 * client does (see {@link LoadGen}); the report says how many ack frames and ids were sent. {@code --acks compare}:
 * the fan-out reps and the e2e run at {@code --e2e-rate} are measured without acks and then with, in the same run
 * on the same sockets, with the ratios printed. With acks on or compared, a stored notification to the fan-out
 * company is sent over REST and its {@code delivery} polled until every user is counted. {@code --ack-delay-ms N}
 * (with {@code --acks compare}; a what-if, 0 by default): each socket holds an id N ms before acknowledging it, so
 * one ack frame carries the ids of every frame that arrived meanwhile.
 *
 * <p>Soak mode ({@code --soak-minutes N}, issue 8): instead of the phases above, {@code --sockets} sockets
 * on one gateway and {@code --soak-rate} REST sends per second (each to one random connected user) for N
 * minutes; every minute it samples heap after a full GC and open file descriptors of the gateway and of
 * notification-service, and the p99 delivery latency of that minute; it prints the slope of each from the
 * third minute on and fails (exit 1) when the heap or the descriptors keep growing (a leak).
 */
public final class GatewayBench implements BenchStack.Bench {

    private final Options options;
    private Rig rig;
    private boolean closed;

    private GatewayBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        BenchStack.main("bench/gateway/run.sh", List.of("notification-service", "gateway-service"),
                () -> new BenchStack(BenchStack.repoRoot(), "gateway-bench"), new GatewayBench(options));
    }

    @Override
    public String reportName() {
        return "gateway-bench";
    }

    @Override
    public void run(BenchStack stack) throws Exception {
        long started = System.nanoTime();
        Rig rig = rig(stack);
        Report report = rig.report;
        Gateway g1 = rig.start(started);
        if (options.coldOnly()) {
            new ColdPath(rig).run(g1);
            rig.logProblems(g1.process());
            rig.logProblems(stack.service());
            report.printTable();
            stack.writeReport(reportName());
            return;
        }

        // ---- 1. sockets held, RSS and heap per socket
        int opened = new MemoryPerSocket(rig).run(g1);
        if (options.memoryOnly()) {
            report.printTable();
            stack.writeReport(reportName());
            return;
        }
        if (options.soakMinutes() > 0) {
            boolean leak = new Soak(rig).run(g1);
            rig.gens.printClientCounts();
            report.printTable();
            stack.writeReport(reportName());
            if (leak) {
                throw new IllegalStateException("soak: heap or file descriptors kept growing (see the slopes above)");
            }
            return;
        }

        // ---- 2 + 3. fan-out to one company (10k sockets), CPU per delivery
        double idleCpu = new FanOut(rig).run(g1, opened);

        // ---- 4. sustained deliveries per second (everyone events to every socket of the gateway)
        rig.settle("the sustained run");
        new Sustained(rig).run(g1, opened, idleCpu);
        rig.settle("the stream read");
        new StreamRead(rig).run(g1, idleCpu);

        // ---- 5. single-user end to end: REST send -> frame, fixed rate
        rig.settle("the e2e runs");
        new EndToEnd(rig).run();
        rig.gens.printStatus("after the single-gateway phases");

        // ---- 6. scale-out
        if (options.scaleGateways() > 1) {
            rig.settle("the scale-out");
            new ScaleOut(rig).run(g1, opened);
        }
        report.line(String.format(Locale.ROOT, "total run time %.1f s; load average at the end: %s", BenchStack.seconds(started),
                BenchStack.loadAverage()));
        for (Gateway g : rig.gateways()) {
            rig.logProblems(g.process());
        }
        rig.logProblems(stack.service());
        rig.gens.printClientCounts();
        report.printTable();
        stack.writeReport(reportName());
    }

    private synchronized Rig rig(BenchStack stack) {
        rig = new Rig(stack, options);
        return rig;
    }

    /** Stops the load generators and gateways (the stack stops the rest). Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (rig != null) {
            rig.close();
        }
    }
}
