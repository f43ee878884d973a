package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.sleep;
import static io.notify.bench.gateway.Report.ms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

import io.notify.bench.BenchStack;
import io.notify.infra.process.ManagedProcess;

/**
 * The client pool: the {@link LoadGen} processes that hold the sockets, driven over their HTTP control
 * ports, and what they measured (frames per tagged group, summed).
 */
final class LoadGens {

    /** A load-generator process and its control port. */
    record Gen(ManagedProcess process, int port) {
    }

    private final Report report;
    private final Path work;
    private final List<Gen> gens = new ArrayList<>();
    private final HttpClient http;
    /** Whether the clients acknowledge every notification frame now ({@code --acks on}, or switched by {@link #acks}). */
    private boolean acks;
    /** {@code --ack-delay-ms}: each socket holds an id this long before acknowledging it (a what-if; 0 by default). */
    private final long ackDelayMs;

    LoadGens(Report report, Path work, HttpClient http, boolean acks, long ackDelayMs) {
        this.ackDelayMs = ackDelayMs;
        this.report = report;
        this.work = work;
        this.http = http;
        this.acks = acks;
    }

    /**
     * {@code count} load generators for the sockets, plus a small one that holds only the end-to-end
     * user's socket (the last of {@link #gens}): a user's browser holds one socket, and a receiver that
     * also held ~10,000 others timed its frames after its own GC pauses and their pings' work.
     */
    void start(Path tokens, int count) {
        int addresses = Math.min(40, 249 / count);
        List<CompletableFuture<Gen>> starting = new ArrayList<>();
        for (int k = 0; k <= count; k++) {
            boolean e2e = k == count;
            String first = "127.0.0." + (2 + k * addresses);
            String name = e2e ? "e2e-client" : "loadgen-" + k;
            List<String> jvm = e2e ? List.of("-Xms32m", "-Xmx64m", "-XX:+UseSerialGC")
                    : List.of("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC");
            starting.add(CompletableFuture.supplyAsync(() -> {
                ManagedProcess p = ManagedProcess.start(name,
                        ManagedProcess.javaCommand(jvm, ManagedProcess.currentClasspath(), LoadGen.class.getName(),
                                List.of(tokens.toString(), first, e2e ? "1" : String.valueOf(addresses),
                                        acks ? "acks" : "no-acks")),
                        Map.of(), work.resolve("logs/" + name + ".log"), l -> l.startsWith(LoadGen.READY),
                        BenchStack.START_TIMEOUT);
                return new Gen(p, Integer.parseInt(p.readyLine().substring(LoadGen.READY.length()).trim()));
            }));
        }
        starting.forEach(f -> gens.add(f.join()));
        report.line(String.format(Locale.ROOT, "%d load generators, %d loopback source addresses each (from 127.0.0.2), and "
                + "an end-to-end client holding only the end-to-end user's socket", count, addresses));
    }

    /** How many load generators hold the bulk of the sockets. */
    int bulkCount() {
        return bulkGens().size();
    }

    /** The load generators that hold the bulk of the sockets: all but the end-to-end client. */
    private List<Gen> bulkGens() {
        return gens.subList(0, gens.size() - 1);
    }

    /** Opens the sockets of users [from, to) on {@code g}, spread evenly over the load generators; returns how many opened. */
    int connect(Gateway g, int from, int to) throws Exception {
        return connect(g, from, to, 0);
    }

    /** The same at most {@code rate} sockets per second in all (0: as fast as the gateway takes them). */
    int connect(Gateway g, int from, int to, int rate) throws Exception {
        int before = openOn(g);
        int n = to - from;
        List<Gen> bulk = bulkGens();
        for (int k = 0; k < bulk.size(); k++) {
            int a = from + (int) ((long) n * k / bulk.size());
            int b = from + (int) ((long) n * (k + 1) / bulk.size());
            if (b > a) {
                control(bulk.get(k), "/connect?port=" + g.port() + "&from=" + a + "&to=" + b + "&concurrency=64"
                        + "&rate=" + (double) rate / bulk.size());
            }
        }
        return awaitConnected(g, before, n);
    }

    /** Opens the socket of user {@code line} on {@code g} from the end-to-end client. */
    int connectOne(Gateway g, int line) throws Exception {
        int before = openOn(g);
        control(gens.get(gens.size() - 1), "/connect?port=" + g.port() + "&from=" + line + "&to=" + (line + 1)
                + "&concurrency=1");
        return awaitConnected(g, before, 1);
    }

    private int awaitConnected(Gateway g, int before, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long lastChange = System.nanoTime();
        int last = -1;
        while (System.nanoTime() < deadline) {
            int open = openOn(g);
            int inflight = sum("inflight");
            if (open - before >= n || inflight == 0 && open == last && BenchStack.seconds(lastChange) > 5) {
                return open - before;
            }
            if (open != last) {
                last = open;
                lastChange = System.nanoTime();
            }
            sleep(250);
        }
        return openOn(g) - before;
    }

    void closeAll(Gateway g) throws Exception {
        for (Gen gen : gens) {
            control(gen, "/close?port=" + g.port());
        }
    }

    private int openOn(Gateway g) throws Exception {
        int total = 0;
        for (Gen gen : gens) {
            Matcher m = Pattern.compile("[{,]" + g.port() + "=(\\d+)").matcher(status(gen).get("ports"));
            total += m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
        return total;
    }

    private int sum(String key) throws Exception {
        int total = 0;
        for (Gen gen : gens) {
            total += Integer.parseInt(status(gen).get(key));
        }
        return total;
    }

    private Map<String, String> status(Gen gen) throws Exception {
        Map<String, String> values = new HashMap<>();
        for (String part : control(gen, "/status").split(" ")) {
            int eq = part.indexOf('=');
            values.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return values;
    }

    /** Switches every client's acks on or off (sockets stay open). */
    void acks(boolean on) throws Exception {
        for (Gen gen : gens) {
            control(gen, "/acks?on=" + on + "&delay=" + ackDelayMs);
        }
        acks = on;
    }

    /** How many ack frames (and ids in them) the clients sent, and how many frames they got twice, summed over the load generators. */
    void printClientCounts() throws Exception {
        long frames = 0;
        long ids = 0;
        long duplicates = 0;
        for (Gen gen : gens) {
            Map<String, String> status = status(gen);
            frames += Long.parseLong(status.get("ack_frames"));
            ids += Long.parseLong(status.get("ack_ids"));
            duplicates += Long.parseLong(status.get("duplicate_frames"));
        }
        report.line(frames > 0 ? String.format(Locale.ROOT, "acks: the clients sent %,d ack frames carrying %,d ids", frames, ids)
                : "acks: off (the clients acknowledged nothing)");
        report.line(String.format(Locale.ROOT, "duplicate frames: %,d (a frame whose seq was not above the last its socket got)",
                duplicates));
        report.row("duplicate frames received (whole run)", String.format(Locale.ROOT, "%,d", duplicates), "0", duplicates == 0);
    }

    void printStatus(String when) throws Exception {
        for (Gen gen : gens) {
            report.line("  " + gen.process().name() + " " + when + ": " + control(gen, "/status"));
        }
    }

    /** Polls until {@code expected} frames of {@code group} arrived (or the timeout), then sums the histograms. */
    GroupStats await(String group, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long count = 0;
            for (Gen gen : gens) {
                count += Long.parseLong(control(gen, "/stats?hist=0&group=" + group).split(" ")[0]);
            }
            if (count >= expected) {
                break;
            }
            sleep(20);
        }
        long count = 0;
        long last = 0;
        Histogram latency = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        for (Gen gen : gens) {
            String[] parts = control(gen, "/stats?group=" + group).split(" ");
            count += Long.parseLong(parts[0]);
            last = Math.max(last, Long.parseLong(parts[1]));
            latency.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(parts[2])), 0));
        }
        return new GroupStats(count, last, latency);
    }

    /**
     * The three seconds of a run whose slowest frame was slowest ("+s: max ms"), and how many seconds had a frame
     * over 25 ms: whether a p99 comes from one stall of the machine or from every second.
     */
    String slowestSeconds(String group) throws Exception {
        Map<Long, long[]> bySecond = new java.util.TreeMap<>();
        for (Gen gen : gens) {
            for (String l : control(gen, "/seconds?group=" + group).split("\n")) {
                if (!l.isBlank()) {
                    String[] f = l.split(" ");
                    long[] v = bySecond.computeIfAbsent(Long.parseLong(f[0]), k -> new long[2]);
                    v[0] += Long.parseLong(f[1]);
                    v[1] = Math.max(v[1], Long.parseLong(f[2]));
                }
            }
        }
        if (bySecond.isEmpty()) {
            return "none";
        }
        long first = bySecond.keySet().iterator().next();
        long over = bySecond.values().stream().filter(v -> v[1] > 25_000).count();
        return bySecond.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(3)
                .map(e -> String.format(Locale.ROOT, "+%ds: %s", e.getKey() - first, ms(e.getValue()[1])))
                .collect(java.util.stream.Collectors.joining(", ")) + String.format(Locale.ROOT,
                        " (%d of %d seconds had a frame over 25 ms)", over, bySecond.size());
    }

    private String control(Gen gen, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gen.port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(gen.process().name() + " " + path + ": " + response.body());
        }
        return response.body();
    }

    /** Kills the load generators (they hold nothing worth a clean stop). */
    void kill() {
        gens.forEach(g -> g.process().kill());
    }
}
