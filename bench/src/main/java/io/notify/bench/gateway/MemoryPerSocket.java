package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.cpuMicros;
import static io.notify.bench.gateway.Procs.fdCount;
import static io.notify.bench.gateway.Procs.jcmd;
import static io.notify.bench.gateway.Report.kb;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.notify.bench.BenchStack;

/**
 * Scenario 1, memory per socket: opens every socket of one gateway and measures the sockets it holds and its RSS
 * and heap per socket (after a full GC, before vs after), with the classes that grew most per socket. Leaves the
 * sockets open for the scenarios after it.
 */
final class MemoryPerSocket extends Scenario {

    /** How long notification-service's idle CPU is measured before the connect storm. */
    private static final long IDLE_WINDOW_MILLIS = 5_000;
    private static final Pattern CLASS_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");

    MemoryPerSocket(Rig rig) {
        super(rig);
    }

    /** Returns how many sockets are open on {@code g1}: every bulk user's and the end-to-end user's. */
    int run(Gateway g1) throws Exception {
        Options options = rig.options;
        int users = rig.users();
        double[] floor = options.isNative() ? null : floor(users);
        rig.gens.connect(g1, 0, Math.min(1000, users)); // warm-up: load and compile the connect path
        rig.gens.closeAll(g1);
        Thread.sleep(3000);
        Map<String, Long> classesBefore = new HashMap<>();
        Map<String, Long> classesAfter = new HashMap<>();
        long[] before = memory(g1, classesBefore);
        long storePid = rig.stack.service().pid();
        // the store's own idle work (its pollers and consumers; not its JIT, which the storm's figure keeps), measured
        // right before: the storm's cost is what it adds to that
        long idleStart = System.nanoTime();
        long idleCpuStart = cpuMicros(storePid) - Procs.jitMicros(storePid);
        Thread.sleep(IDLE_WINDOW_MILLIS);
        double storeIdleCores = (cpuMicros(storePid) - Procs.jitMicros(storePid) - idleCpuStart) / 1e6
                / BenchStack.seconds(idleStart);
        long storeCpuBefore = cpuMicros(storePid);
        long storeJitBefore = Procs.jitMicros(storePid);
        long connectStart = System.nanoTime();
        int opened = rig.gens.connect(g1, 0, users, options.connectRate());
        double connectSeconds = BenchStack.seconds(connectStart);
        int sockets = opened + rig.gens.connectOne(g1, users); // plus the end-to-end user's socket
        long lastOpened = System.nanoTime();
        opened = sockets;
        // idle sockets: every socket open loads its user's preferences from notification-service (in batches of up to
        // 100 users), and the loads of the last ones (some perhaps retried) must be over
        long known = rig.awaitPreferences(g1, connectStart);
        long storeCpu = cpuMicros(storePid) - storeCpuBefore;
        long storeJit = Procs.jitMicros(storePid) - storeJitBefore;
        preferencesRows(known, lastOpened, storeCpu, storeJit, storeIdleCores, connectStart, opened, users / connectSeconds);
        rig.settle("the memory measurement");
        long[] after = memory(g1, classesAfter);
        long fds = fdCount(g1.pid());
        double rssPerSocket = (after[0] - before[0]) / (double) opened;
        double restingRssPerSocket = (after[2] - before[2]) / (double) opened;
        double heapPerSocket = (after[1] - before[1]) / (double) opened;
        report.line(String.format(Locale.ROOT, "1 gateway: %d sockets open (%d fds in the gateway) in %.1f s = %.0f/s; "
                + "RSS %d -> %d KB, heap after GC %d -> %d KB", opened, fds, connectSeconds, users / connectSeconds,
                before[0], after[0], before[1], after[1]));
        report.row("sockets held by one gateway", String.valueOf(opened), ">= 19000", opened >= 19_000);
        if (options.isNative()) {
            report.row("RSS per socket (delta / sockets, at rest: no full GC in a native image)", kb(restingRssPerSocket),
                    "<= 5 KB", restingRssPerSocket <= 5.0);
        } else {
            heapByClass(classesBefore, classesAfter, opened);
            report.row("RSS per socket (delta / sockets, after a full GC)", kb(rssPerSocket), "<= 5 KB", rssPerSocket <= 5.0);
            report.row("  same, RSS at rest before that GC", kb(restingRssPerSocket), "", null);
            report.row("heap per socket (after GC)", kb(heapPerSocket), "(bare Vert.x 4.8 KB)", heapPerSocket <= 4.8);
            report.row("RSS per socket, gateway / routing floor (same run, same flags)", ratio(rssPerSocket, floor[0]),
                    "<= 1.1", rssPerSocket <= 1.1 * floor[0]);
            report.row("heap per socket, gateway / routing floor", ratio(heapPerSocket, floor[1]), "<= 1.1",
                    heapPerSocket <= 1.1 * floor[1]);
        }
        report.row("RSS total / sockets (incl. JVM)", kb(after[0] / (double) opened), "", null);
        rig.gens.printStatus("after connecting");
        if (!options.heapDump().isEmpty()) {
            report.line("gateway heap dump with every socket open: " + jcmd(g1.pid(), "GC.heap_dump " + options.heapDump()).trim());
        }
        return sockets;
    }

    /**
     * The same sockets on {@link RoutingFloor} (a bare Vert.x server that routes as the gateway must, with its JVM
     * flags), measured as the gateway is and then closed: {RSS KB per socket after a full GC, heap KB per socket}.
     */
    private double[] floor(int users) throws Exception {
        Gateway floor = rig.startRoutingFloor();
        try {
            rig.gens.connect(floor, 0, Math.min(1000, users)); // warm-up, as for the gateway
            rig.gens.closeAll(floor);
            Thread.sleep(3000);
            Map<String, Long> classesBefore = new HashMap<>();
            Map<String, Long> classesAfter = new HashMap<>();
            long[] before = memory(floor, classesBefore);
            int opened = rig.gens.connect(floor, 0, users);
            if (opened < users * 9 / 10) {
                rig.gens.printStatus("after connecting to the routing floor");
                throw new IllegalStateException("the routing floor took " + opened + " of " + users + " sockets");
            }
            Thread.sleep(3000);
            long[] after = memory(floor, classesAfter);
            double rss = (after[0] - before[0]) / (double) opened;
            double heap = (after[1] - before[1]) / (double) opened;
            report.line(String.format(Locale.ROOT, "routing floor (bare Vert.x, the gateway's JVM flags): %d sockets, "
                    + "RSS %d -> %d KB, heap after GC %d -> %d KB: %.2f KB RSS, %.2f KB heap per socket", opened,
                    before[0], after[0], before[1], after[1], rss, heap));
            report.line("routing floor heap growth by class, bytes per socket:");
            topClasses(classesBefore, classesAfter, opened, 8);
            rig.gens.closeAll(floor);
            return new double[] { rss, heap };
        } finally {
            floor.process().stop(java.time.Duration.ofSeconds(10));
        }
    }

    private static String ratio(double value, double floor) {
        return String.format(Locale.ROOT, "%.2f (%.2f / %.2f KB)", value / floor, value, floor);
    }

    /**
     * The connect storm's cost to notification-service: the CPU it used from the first socket opening until the gateway
     * knew every user's preferences, beyond its idle work at the rate measured right before (as the fan-out's CPU is
     * beyond the gateway's idle; JIT compilers left out of the idle rate), on average over that time; its JIT compilers
     * included (shown apart). Also how long after the last socket opened that was.
     */
    private void preferencesRows(long known, long lastOpened, long storeCpuMicros, long storeJitMicros,
            double storeIdleCores, long connectStart, int users, double socketsPerSecond) {
        if (known < 0) {
            report.row("muted types known, after the last socket opened", "not within 5 min", "<= 10 s", false);
            return;
        }
        double seconds = (known - connectStart) / 1e9;
        double total = storeCpuMicros / 1e6 / seconds;
        double storeShare = Math.max(0, total - storeIdleCores);
        double afterLast = Math.max(0, known - lastOpened) / 1e9;
        report.line(String.format(Locale.ROOT, "connect storm: notification-service %.2f s of CPU in %.1f s for %d users' "
                + "muted types (%.1f%% of a core; %.0f us per user), of which its JIT compilers %.2f s; idle before it "
                + "(JIT left out) %.1f%% of a core (%.2f s of the storm's); beyond idle %.1f%% (%.0f us per user), %.1f%% without the JIT",
                storeCpuMicros / 1e6, seconds, users, total * 100, storeCpuMicros / (double) Math.max(1, users),
                storeJitMicros / 1e6, storeIdleCores * 100, storeIdleCores * seconds, storeShare * 100,
                storeShare * seconds * 1e6 / Math.max(1, users), Math.max(0, storeShare - storeJitMicros / 1e6 / seconds) * 100));
        report.row("notification-service CPU for the connect storm's preferences (beyond idle, JIT in)",
                String.format(Locale.ROOT, "%.1f%% of a core at %.0f/s", storeShare * 100, socketsPerSecond),
                "<= 10% of a core at 600+/s", storeShare <= 0.10 && socketsPerSecond >= 600);
        report.row("muted types known, after the last socket opened", String.format(Locale.ROOT, "%.1f s", afterLast),
                "<= 10 s", afterLast <= 10);
    }

    /**
     * {RSS KB after a full GC, heap used KB after it, RSS KB before it}; the class histogram (taken with that full GC)
     * into {@code classes}. The RSS before the collection is what the gateway held at rest, garbage not yet collected
     * included; after it, what it needs (the serial collector gives back what MaxHeapFreeRatio says is too much).
     */
    private long[] memory(Gateway g, Map<String, Long> classes) throws Exception {
        long rssBefore = BenchStack.rssKb(g.pid());
        if (rig.options.isNative()) { // no jcmd in the native image: RSS at rest, heap unknown
            return new long[] { rssBefore, 0, rssBefore };
        }
        Matcher row = CLASS_ROW.matcher(jcmd(g.pid(), "GC.class_histogram"));
        while (row.find()) {
            classes.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
        }
        long used = Procs.generationsUsedKb(jcmd(g.pid(), "GC.heap_info"));
        return new long[] { BenchStack.rssKb(g.pid()), used, rssBefore };
    }

    /** The classes whose instances grew most with the sockets: where the heap per socket goes. */
    private void heapByClass(Map<String, Long> before, Map<String, Long> after, int sockets) {
        report.line("heap growth by class, bytes per socket (jcmd GC.class_histogram after a full GC, before vs after):");
        topClasses(before, after, sockets, 15);
    }

    private void topClasses(Map<String, Long> before, Map<String, Long> after, int sockets, int limit) {
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(limit)
                .forEach(e -> report.line(String.format(Locale.ROOT, "  %8.0f  %s", e.getValue() / (double) sockets, e.getKey())));
    }
}
