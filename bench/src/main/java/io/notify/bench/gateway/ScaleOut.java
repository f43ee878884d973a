package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.fdCount;
import static io.notify.bench.gateway.Procs.jcmd;
import static io.notify.bench.gateway.Report.ms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.HdrHistogram.Histogram;

import io.notify.bench.BenchStack;

/**
 * Scenario 6, scale-out: {@code --scale-gateways} - 1 more gateways with as many sockets each (every user then has
 * one socket on each gateway), then {@code --broadcast-reps} everyone-broadcasts, each awaited until every socket
 * has it.
 */
final class ScaleOut extends Scenario {

    ScaleOut(Rig rig) {
        super(rig);
    }

    void run(Gateway g1, int g1Sockets) throws Exception {
        Options options = rig.options;
        List<Gateway> gateways = rig.gateways();
        long started = System.nanoTime();
        List<Gateway> more = rig.startGateways(options.scaleGateways() - 1);
        report.line(String.format(Locale.ROOT, "scale-out: %d more gateways up in %.1f s", more.size(), BenchStack.seconds(started)));
        long connectStart = System.nanoTime();
        List<CompletableFuture<Integer>> connecting = new ArrayList<>();
        for (Gateway g : more) {
            connecting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return rig.gens.connect(g, 0, rig.users());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        int total = g1Sockets;
        for (CompletableFuture<Integer> c : connecting) {
            total += c.get();
        }
        report.line(String.format(Locale.ROOT, "scale-out: %d sockets over %d gateways, %d new ones connected in %.1f s",
                total, gateways.size(), total - g1Sockets, BenchStack.seconds(connectStart)));
        StringBuilder perGateway = new StringBuilder();
        for (Gateway g : gateways) {
            perGateway.append(String.format(Locale.ROOT, "%s: %d fds, RSS %d MB; ", g.name(), fdCount(g.pid()),
                    BenchStack.rssKb(g.pid()) / 1024));
        }
        report.line("scale-out: " + perGateway);
        rig.gens.printStatus("after the scale-out connect");
        // as gateway-1 had before its fan-out (the heap measurement): a full GC after the connect storm, so that
        // the broadcasts do not pay for copying the freshly connected sockets' objects out of the young generation
        for (Gateway g : more) {
            jcmd(g.pid(), "GC.run");
        }
        rig.settle("the broadcasts");
        Map<Gateway, Long> gcMarks = new HashMap<>();
        gateways.forEach(g -> gcMarks.put(g, rig.gcMark(g)));
        Histogram reach = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        Histogram perSocket = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        long minReached = Long.MAX_VALUE;
        for (int r = 0; r < options.broadcastReps(); r++) {
            GroupStats s = rig.fanOut("bc-" + r, "{\"type\":\"everyone\"}", total, 60);
            minReached = Math.min(minReached, s.count());
            reach.recordValue(rig.reachTime(s));
            perSocket.add(s.latency());
            report.line(String.format(Locale.ROOT, "  everyone-broadcast %d: %d/%d sockets reached, all received after %s",
                    r, s.count(), total, ms(s.lastUs() - rig.fanStartUs())));
            Thread.sleep(1000);
        }
        for (Gateway g : gateways) {
            report.line("during the broadcasts: " + rig.gcSince(g, gcMarks.get(g)));
        }
        report.row(options.scaleGateways() + " gateways: sockets held", String.valueOf(total), ">= 100000", total >= 100_000);
        report.row("everyone-broadcast reached (min of reps)", minReached + " / " + total, "all", minReached >= total);
        report.row("everyone-broadcast all received p50", ms(reach.getValueAtPercentile(50)), "", null);
        report.row("everyone-broadcast all received max", ms(reach.getMaxValue()), "", null);
        report.row("everyone-broadcast per-socket p99", ms(perSocket.getValueAtPercentile(99)), "", null);
    }
}
