package io.notify.bench.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.notify.bench.BenchStack;
import io.notify.bench.ProcessCpu;
import io.notify.infra.Ports;
import io.notify.infra.process.ManagedProcess;
import io.notify.infra.test.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Gateway benchmark (issue 5, "Proof"): starts PostgreSQL, Kafka, the packaged notification-service and
 * packaged gateways, plus load-generator processes ({@link LoadGen}) that hold the sockets, and measures
 * sockets held by one gateway with RSS and heap per socket, server CPU per delivery, the fan-out of one
 * company notification to 10k sockets, sustained deliveries per second, single-user end-to-end latency
 * (REST send to frame) at a fixed rate, and a scale-out of several gateways reached by one
 * everyone-broadcast. Everything it started is stopped and its temp dir deleted at the end.
 *
 * <p>Options: {@code --sockets N} (per gateway; capped by the file-descriptor limit) {@code --fanout N
 * --reps N --warmup-reps N --sustain-seconds N --burst N --e2e-rate N --e2e-seconds N --e2e-low-rate N
 * --e2e-low-seconds N --scale-gateways N --per-loadgen N --gateway-heap 1g --broadcast-reps N}, and JVM flags
 * (comma-separated) {@code --gateway-gc} (after {@code -Xmx<gateway-heap>}; default: as the gateway's image runs it,
 * {@link #GATEWAY_IMAGE_JVM}) and {@code --service-jvm
 * -Xmx512m} for notification-service. {@code --heap-dump PATH} writes the gateway's heap with every socket open to
 * PATH (hprof, for finding what a socket holds); {@code --memory-only 1} stops after the memory figures;
 * {@code --gateway-native PATH} (with {@code --memory-only 1}) runs that native executable of the gateway instead of
 * its jar, with {@code -Xmx<gateway-heap>} and no other flag, as its image does: RSS only (no jcmd, so no heap
 * figures and no full GC before the measurement).
 *
 * <p>Soak mode ({@code --soak-minutes N}, issue 8): instead of the phases above, {@code --sockets} sockets
 * on one gateway and {@code --soak-rate} REST sends per second (each to one random connected user) for N
 * minutes; every minute it samples heap after a full GC and open file descriptors of the gateway and of
 * notification-service, and the p99 delivery latency of that minute; it prints the slope of each from the
 * third minute on and fails (exit 1) when the heap or the descriptors keep growing (a leak).
 */
public final class GatewayBench implements BenchStack.Bench {

    private static final Duration START_TIMEOUT = BenchStack.START_TIMEOUT;
    private static final String TOPIC = "notification-events";
    private static final String BIG_COMPANY = "company_big";
    private static final int REST_CONNECTIONS = 32;
    /**
     * The gateway's JVM flags as its image runs it (gateway-service/src/main/docker/Dockerfile.jvm sets the collector
     * and the heap; the free ratios are the base image's defaults), after {@code -Xmx<gateway-heap>}.
     */
    static final String GATEWAY_IMAGE_JVM = "-XX:+UseSerialGC,-Xms64m,-Xmn32m,-XX:MinHeapFreeRatio=10,-XX:MaxHeapFreeRatio=20";
    private static final int FD_LIMIT_MARGIN = 300;
    private static final Pattern CLASS_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern LOG_PROBLEM = Pattern.compile("(?m)\\s(WARN|ERROR)\\s+\\[([^\\]]+)\\][^)]*\\)\\s*(.*)$");
    private static final Pattern GC_PAUSE = Pattern.compile("Pause (Young|Full)\\S*.* (\\d+\\.\\d+)ms");
    private static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    record Options(int sockets, int fanout, int reps, int warmupReps, int sustainSeconds, int burst, int e2eRate,
            int e2eSeconds, int e2eLowRate, int e2eLowSeconds, int scaleGateways, int perLoadGen, String gatewayHeap,
            int broadcastReps, int soakMinutes, int soakRate, String gatewayGc, String serviceJvm, String heapDump,
            boolean memoryOnly, String gatewayNative) {

        static Options parse(String[] args) {
            Map<String, String> v = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("Unknown argument " + args[i] + "; see GatewayBench's javadoc");
                }
                v.put(args[i].substring(2), args[++i]);
            }
            Options o = new Options(num(v, "sockets", 19_500), num(v, "fanout", 10_000), num(v, "reps", 30),
                    num(v, "warmup-reps", 5), num(v, "sustain-seconds", 15), num(v, "burst", 20),
                    num(v, "e2e-rate", 1000), num(v, "e2e-seconds", 15), num(v, "e2e-low-rate", 100),
                    num(v, "e2e-low-seconds", 20), num(v, "scale-gateways", 5), num(v, "per-loadgen", 17_000),
                    v.getOrDefault("gateway-heap", "1g"), num(v, "broadcast-reps", 5), num(v, "soak-minutes", 0),
                    num(v, "soak-rate", 500), v.getOrDefault("gateway-gc", GATEWAY_IMAGE_JVM),
                    v.getOrDefault("service-jvm", "-Xmx512m"), v.getOrDefault("heap-dump", ""),
                    num(v, "memory-only", 0) != 0, v.getOrDefault("gateway-native", ""));
            v.keySet().removeAll(Set.of("sockets", "fanout", "reps", "warmup-reps", "sustain-seconds", "burst",
                    "e2e-rate", "e2e-seconds", "e2e-low-rate", "e2e-low-seconds", "scale-gateways", "per-loadgen", "gateway-heap", "broadcast-reps",
                    "soak-minutes", "soak-rate", "gateway-gc", "service-jvm", "heap-dump", "memory-only", "gateway-native"));
            if (!v.isEmpty()) {
                throw new IllegalArgumentException("Unknown options " + v.keySet() + "; see GatewayBench's javadoc");
            }
            if (o.isNative() && !o.memoryOnly()) {
                throw new IllegalArgumentException("--gateway-native measures memory only: add --memory-only 1");
            }
            return o;
        }

        boolean isNative() {
            return !gatewayNative.isEmpty();
        }

        private static int num(Map<String, String> v, String key, int fallback) {
            String s = v.get(key);
            return s == null ? fallback : Integer.parseInt(s.replace("_", ""));
        }
    }

    /** A packaged gateway instance. */
    record Gateway(String name, int port, ManagedProcess process) {
        long pid() {
            return process.pid();
        }
    }

    /** A load-generator process and its control port. */
    record Gen(ManagedProcess process, int port) {
    }

    /** Summed over the load generators: tagged frames of one group, the last arrival and the latencies. */
    record GroupStats(long count, long lastUs, Histogram latency) {
    }

    private final Options options;
    private final List<String[]> table = new ArrayList<>();
    private final List<Gateway> gateways = new ArrayList<>();
    private final List<Gen> gens = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong seq = new AtomicLong(1_000_000_000L);
    private BenchStack stack;
    private Path work;
    private KafkaProducer<String, String> producer;
    private String bootstrap;
    private URI serviceBase;
    private Path gatewayApp;
    private String gatewayJvm;
    private int users;
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

    // ------------------------------------------------------------------ run

    @Override
    public void run(BenchStack stack) throws Exception {
        this.stack = stack;
        this.work = stack.work();
        long started = System.nanoTime();
        gatewayJvm = options.isNative() ? "-Xmx" + options.gatewayHeap()
                : "-Xmx" + options.gatewayHeap() + " " + options.gatewayGc().replace(',', ' ');
        line("Gateway benchmark, " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        line(BenchStack.machine());
        line("load average at start (1/5/15 min): " + BenchStack.loadAverage());
        line((options.isNative() ? "gateway NATIVE " + options.gatewayNative() + ": " + gatewayJvm
                : "gateway JVM: " + gatewayJvm + " -Xlog:gc") + "; notification-service " + options.serviceJvm().replace(',', ' ') + "; load generators -Xmx1g "
                + "-XX:+UseSerialGC, 2 event loops each (the end-to-end client -Xmx64m); work dir " + work);

        Path serviceApp = stack.copyApp("notification-service");
        gatewayApp = stack.copyApp("gateway-service");
        stack.startInfrastructure();
        bootstrap = stack.kafkaBootstrap();
        List<String> serviceJvm = new ArrayList<>(List.of(options.serviceJvm().split(",")));
        serviceJvm.add("-Xlog:gc:file=" + gcLog("notification-service"));
        serviceBase = stack.startNotificationService(serviceApp, serviceJvm);
        producer = producer();
        Gateway g1 = startGateways(1).get(0);
        line(String.format(Locale.ROOT, "infrastructure, notification-service and gateway up in %.1f s", BenchStack.seconds(started)));

        // the file-descriptor limit decides how many sockets one gateway can hold
        long baseFds = fdCount(g1.pid());
        int perGateway = (int) Math.min(options.sockets(), 20_000 - baseFds - FD_LIMIT_MARGIN - 1);
        if (perGateway < options.sockets()) {
            line(String.format(Locale.ROOT, "--sockets %d capped to %d per gateway: the gateway already holds %d fds "
                    + "(jars, Kafka, HTTP clients) of its 20,000, %d kept spare", options.sockets(), perGateway, baseFds,
                    FD_LIMIT_MARGIN));
        }
        users = perGateway;
        Path tokens = signTokens(users + 1);
        int totalSockets = users + 1 + Math.max(0, options.scaleGateways() - 1) * users;
        startGens(tokens, (int) Math.ceil(totalSockets / (double) options.perLoadGen()));

        // ---- 1. sockets held, RSS and heap per socket
        connect(g1, 0, Math.min(1000, users)); // warm-up: load and compile the connect path
        closeAll(g1);
        Thread.sleep(3000);
        Map<String, Long> classesBefore = new HashMap<>();
        Map<String, Long> classesAfter = new HashMap<>();
        long[] before = memory(g1, classesBefore);
        long connectStart = System.nanoTime();
        int opened = connect(g1, 0, users);
        double connectSeconds = BenchStack.seconds(connectStart);
        int sockets = opened + connectOne(g1, users); // plus the end-to-end user's socket
        opened = sockets;
        // idle sockets: every socket open loads its user's preferences from notification-service, and the loads of
        // the last thousands (queued for the gateway's 32 store connections, some retried) must be over
        awaitPreferences(g1, connectStart);
        settle("the memory measurement");
        long[] after = memory(g1, classesAfter);
        long fds = fdCount(g1.pid());
        double rssPerSocket = (after[0] - before[0]) / (double) opened;
        double restingRssPerSocket = (after[2] - before[2]) / (double) opened;
        double heapPerSocket = (after[1] - before[1]) / (double) opened;
        line(String.format(Locale.ROOT, "1 gateway: %d sockets open (%d fds in the gateway) in %.1f s = %.0f/s; "
                + "RSS %d -> %d KB, heap after GC %d -> %d KB", opened, fds, connectSeconds, users / connectSeconds,
                before[0], after[0], before[1], after[1]));
        row("sockets held by one gateway", String.valueOf(opened), ">= 19000", opened >= 19_000);
        if (options.isNative()) {
            row("RSS per socket (delta / sockets, at rest: no full GC in a native image)", kb(restingRssPerSocket),
                    "<= 5 KB", restingRssPerSocket <= 5.0);
        } else {
            heapByClass(classesBefore, classesAfter, opened);
            row("RSS per socket (delta / sockets, after a full GC)", kb(rssPerSocket), "<= 5 KB", rssPerSocket <= 5.0);
            row("  same, RSS at rest before that GC", kb(restingRssPerSocket), "", null);
            row("heap per socket (after GC)", kb(heapPerSocket), "(bare Vert.x 4.8 KB)", heapPerSocket <= 4.8);
        }
        row("RSS total / sockets (incl. JVM)", kb(after[0] / (double) opened), "", null);
        gensStatus("after connecting");
        if (!options.heapDump().isEmpty()) {
            line("gateway heap dump with every socket open: " + jcmd(g1.pid(), "GC.heap_dump " + options.heapDump()).trim());
        }
        if (options.memoryOnly()) {
            printTable();
            stack.writeReport(reportName());
            return;
        }
        if (options.soakMinutes() > 0) {
            boolean leak = soak(g1);
            printTable();
            stack.writeReport(reportName());
            if (leak) {
                throw new IllegalStateException("soak: heap or file descriptors kept growing (see the slopes above)");
            }
            return;
        }

        // ---- 2 + 3. fan-out to one company (10k sockets), CPU per delivery
        int companySockets = Math.min(options.fanout(), users);
        // warm-up reps: at least --warmup-reps, then on until a rep costs the gateway's JIT compilers under 10 ms
        // (at most 40): the reps measure the compiled write path, not its compilation
        for (int r = 0; r < 40; r++) {
            long jit0 = jitMicros(g1.pid());
            fanOut("warm-" + r, companyAudience(BIG_COMPANY), companySockets, 20);
            long jit = jitMicros(g1.pid()) - jit0;
            if (r + 1 >= options.warmupReps() && jit < 10_000) {
                line(String.format(Locale.ROOT, "fan-out warm-up: %d reps (the last cost the JIT %.0f ms)", r + 1, jit / 1000.0));
                break;
            }
        }
        // idle right before the reps: right after the connect phase, the last preference loads and their retries
        // were still running
        settle("the idle measurement");
        double idleCpu = idleCpuPerSecond(g1, 10);
        line(String.format(Locale.ROOT, "gateway idle CPU with %d sockets (JIT compilers left out): %.0f us/s = %.2f us "
                + "per socket per second", opened, idleCpu, idleCpu / opened));
        row("gateway idle CPU (no deliveries)", String.format(Locale.ROOT, "%.0f ms/s", idleCpu / 1000), "", null);
        profile(g1, () -> sleep(5000));
        settle("the measured fan-out reps");
        Histogram allReceived = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        StringBuilder reps = new StringBuilder();
        Histogram perSocket = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        long cpu0 = cpuMicros(g1.pid());
        long sys0 = sysMicros(g1.pid());
        long jit0 = jitMicros(g1.pid());
        long gc0 = gcMark(g1);
        long[] machine0 = BenchStack.machineTicks();
        long fanStart = System.nanoTime();
        long delivered = 0;
        int incomplete = 0;
        for (int r = 0; r < options.reps(); r++) {
            GroupStats s = fanOut("fan-" + r, companyAudience(BIG_COMPANY), companySockets, 20);
            delivered += s.count();
            if (s.count() < companySockets) {
                incomplete++;
            }
            allReceived.recordValue(reachTime(s));
            reps.append(reachTime(s) / 1000).append(' ');
            perSocket.add(s.latency());
            Thread.sleep(200);
        }
        double fanRaw = cpuMicros(g1.pid()) - cpu0;
        double fanSys = sysMicros(g1.pid()) - sys0;
        double fanJit = jitMicros(g1.pid()) - jit0;
        // per delivery: neither the JIT compilers (a warm-up cost) nor the idle work (pings, sweep, Kafka polls)
        double fanCpu = fanRaw - fanJit - idleCpu * BenchStack.seconds(fanStart);
        line("during the fan-out reps: " + gcSince(g1, gc0) + "; machine: " + BenchStack.machineSince(machine0));
        line(String.format(Locale.ROOT, "fan-out all-received per rep (ms, in order): %s", reps));
        line(String.format(Locale.ROOT, "fan-out: %d reps to %d sockets of %s, %d deliveries, %d incomplete; "
                + "gateway CPU %.0f ms beyond idle (%.0f ms in all: %.0f%% in the kernel, %.0f ms in JIT compilers)",
                options.reps(), companySockets, BIG_COMPANY, delivered, incomplete, fanCpu / 1000, fanRaw / 1000,
                100 * fanSys / fanRaw, fanJit / 1000));
        row("fan-out 10k: all received p50", ms(allReceived.getValueAtPercentile(50)), "", null);
        row("fan-out 10k: all received p99", ms(allReceived.getValueAtPercentile(99)), "<= 200 ms",
                allReceived.getValueAtPercentile(99) <= 200_000);
        row("fan-out 10k: per-socket p50", ms(perSocket.getValueAtPercentile(50)), "", null);
        row("fan-out 10k: per-socket p99", ms(perSocket.getValueAtPercentile(99)), "", null);
        row("server CPU per delivery (fan-out)", us(fanCpu / delivered), "<= 10 us", fanCpu / delivered <= 10);
        row("  same, idle and JIT CPU included", us(fanRaw / delivered), "", null);

        // ---- 4. sustained deliveries per second (everyone events to every socket of the gateway)
        settle("the sustained run");
        sustained(g1, opened, idleCpu, options.sustainSeconds(), true);
        profile(g1, () -> {
            try {
                sustained(g1, sockets, idleCpu, 6, false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // ---- 5. single-user end to end: REST send -> frame, fixed rate
        settle("the e2e runs");
        endToEnd();
        gensStatus("after the single-gateway phases");

        // ---- 6. scale-out
        if (options.scaleGateways() > 1) {
            settle("the scale-out");
            scaleOut(g1, opened);
        }
        line(String.format(Locale.ROOT, "total run time %.1f s; load average at the end: %s", BenchStack.seconds(started),
                BenchStack.loadAverage()));
        for (Gateway g : gateways) {
            logProblems(g.process());
        }
        logProblems(stack.service());
        printTable();
        stack.writeReport(reportName());
    }

    /** WARN and ERROR lines of a service log, counted by logger and message start. */
    private void logProblems(ManagedProcess p) throws IOException {
        Map<String, Integer> problems = new java.util.TreeMap<>();
        Matcher m = LOG_PROBLEM.matcher(Files.readString(p.logFile()));
        while (m.find()) {
            String message = m.group(3).replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}|\\d+", "#");
            problems.merge(m.group(1) + " " + m.group(2) + " " + message.substring(0, Math.min(110, message.length())), 1,
                    Integer::sum);
        }
        line(p.name() + " log: " + (problems.isEmpty() ? "no WARN/ERROR lines" : problems.size() + " kinds of WARN/ERROR lines:"));
        problems.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(6)
                .forEach(e -> line(String.format(Locale.ROOT, "  %6d x %s", e.getValue(), e.getKey())));
    }

    private long fanStartUs;

    /** Publishes one tagged event and waits until {@code expected} frames of it arrived (or the timeout). */
    private GroupStats fanOut(String group, String audience, long expected, int timeoutSeconds) throws Exception {
        fanStartUs = LoadGen.nowMicros();
        publish(group, audience, fanStartUs).get(10, TimeUnit.SECONDS);
        return await(group, expected, Duration.ofSeconds(timeoutSeconds));
    }

    /** From the publish to the last frame of the group (the maximum if none arrived). */
    private long reachTime(GroupStats s) {
        return s.count() == 0 ? LoadGen.MAX_LATENCY_US : Math.max(0, Math.min(LoadGen.MAX_LATENCY_US, s.lastUs() - fanStartUs));
    }

    private void sustained(Gateway g1, int sockets, double idleCpu, int seconds, boolean measured) throws Exception {
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
            for (int i = 0; i < options.burst(); i++) {
                publish(group, "{\"type\":\"everyone\"}", LoadGen.nowMicros());
                events++;
            }
            producer.flush();
            expected += (long) options.burst() * sockets;
            s = await(group, expected, Duration.ofSeconds(60));
            if (s.count() < expected) {
                line("sustained: a burst did not fully arrive within 60 s; stopping");
                break;
            }
        }
        double cpu = cpuMicros(g1.pid()) - cpu0 - (jitMicros(g1.pid()) - jit0) - idleCpu * BenchStack.seconds(startNanos);
        double elapsedS = (s.lastUs() - firstUs) / 1e6;
        double rate = s.count() / elapsedS;
        if (!measured) {
            return;
        }
        line(String.format(Locale.ROOT, "sustained: %d everyone events in bursts of %d to %d sockets, %d/%d frames in "
                + "%.1f s; per-frame latency p50 %s p99 %s; gateway CPU %.0f ms beyond idle", events, options.burst(),
                sockets, s.count(), expected, elapsedS, ms(s.latency().getValueAtPercentile(50)),
                ms(s.latency().getValueAtPercentile(99)), cpu / 1000));
        row("sustained deliveries per second", String.format(Locale.ROOT, "%,.0f /s", rate), "", null);
        row("server CPU per delivery (sustained)", us(cpu / s.count()), "<= 10 us", cpu / s.count() <= 10);
    }

    /** REST POST /api/notifications for one user at a fixed rate; latency from the scheduled send to the frame. */
    private void endToEnd() throws Exception {
        String admin = TestTokens.sign(TestTokens.claims(userId(9_999_999), "bench-admin", "company_e2e",
                Set.of("admin", "user"), Instant.now().plusSeconds(4 * 3600)));
        // warm-up: notification-service's send path is first exercised here, and its JIT needs about a minute of
        // compiler CPU for it (REST, validation, Jackson, JDBC, Kafka): a run measured 12 s of compiler CPU in 20 s at
        // 1,000/s, and that competes with the send path for the 2 cores. Warm up at half the rate, 15 s at a time,
        // until a round's compiler CPU is under 3% of a core (at most 3 minutes), then 15 s at the full rate.
        for (int round = 1; round <= 12; round++) {
            long jit0 = jitMicros(stack.service().pid());
            runRate("e2e-warm", admin, Math.max(1, options.e2eRate() / 2), 15);
            long serviceJit = jitMicros(stack.service().pid()) - jit0;
            line(String.format(Locale.ROOT, "e2e warm-up round %d at %d/s: notification-service JIT compilers %.0f ms in 15 s",
                    round, Math.max(1, options.e2eRate() / 2), serviceJit / 1000.0));
            if (serviceJit < 450_000) {
                break;
            }
        }
        runRate("e2e-warm", admin, options.e2eRate(), 15);
        settle("the e2e warm-up");
        settle("the e2e measurement at " + options.e2eLowRate() + "/s");
        e2eAt("e2e-low", admin, options.e2eLowRate(), options.e2eLowSeconds());
        settle("the e2e measurement at " + options.e2eRate() + "/s");
        e2eAt("e2e", admin, options.e2eRate(), options.e2eSeconds());
    }

    private void e2eAt(String group, String admin, int rate, int seconds) throws Exception {
        Histogram rest = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        long serviceCpu = cpuMicros(stack.service().pid());
        long serviceJit = jitMicros(stack.service().pid());
        long gatewayCpu = cpuMicros(gateways.get(0).pid());
        long gc0 = gcMark(gateways.get(0));
        long serviceGc0 = gcMark("notification-service");
        long[] machine0 = BenchStack.machineTicks();
        ProcessCpu processes0 = ProcessCpu.snapshot();
        long[] result = runRate(group, admin, rate, seconds, rest);
        String machine = BenchStack.machineSince(machine0);
        String processes = ProcessCpu.snapshot().since(processes0);
        GroupStats s = await(group, result[0], Duration.ofSeconds(60));
        serviceCpu = cpuMicros(stack.service().pid()) - serviceCpu;
        serviceJit = jitMicros(stack.service().pid()) - serviceJit;
        gatewayCpu = cpuMicros(gateways.get(0).pid()) - gatewayCpu;
        line("during the e2e run at " + rate + "/s: " + gcSince(gateways.get(0), gc0) + "; "
                + gcSince("notification-service", serviceGc0) + "; machine: " + machine);
        line("during the e2e run at " + rate + "/s, by process: " + processes);
        line(String.format(Locale.ROOT, "e2e: CPU per send: notification-service %.0f us (of which its JIT compilers "
                + "%.0f us), gateway %.0f us (the gateway also pings its idle sockets meanwhile)",
                serviceCpu / (double) result[2], serviceJit / (double) result[2], gatewayCpu / (double) result[2]));
        Histogram h = s.latency();
        line(String.format(Locale.ROOT, "e2e: %d sends scheduled at %d/s for %d s, %d answered 201, %d failed "
                + "(statuses %s), %d frames received; REST answer p50 %s p99 %s; frame p50 %s p99 %s p99.9 %s max %s",
                result[2], rate, seconds, result[0], result[1], lastStatuses, s.count(),
                ms(rest.getValueAtPercentile(50)), ms(rest.getValueAtPercentile(99)), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue())));
        line("e2e: the seconds of sending with the slowest frames: " + slowestSeconds(group) + "; from stored: "
                + slowestSeconds(group + LoadGen.STORED));
        Histogram stored = await(group + LoadGen.STORED, s.count(), Duration.ofSeconds(5)).latency();
        line(String.format(Locale.ROOT, "e2e: of which stored (the notification's created_at, drawn by the send "
                + "writer) -> frame p50 %s p99 %s p99.9 %s",
                ms(stored.getValueAtPercentile(50)), ms(stored.getValueAtPercentile(99)),
                ms(stored.getValueAtPercentile(99.9))));
        boolean target = rate >= 1000;
        row("e2e REST -> frame p50 @" + rate + "/s", ms(h.getValueAtPercentile(50)), "", null);
        row("e2e REST -> frame p99 @" + rate + "/s", ms(h.getValueAtPercentile(99)), target ? "<= 25 ms" : "",
                target ? h.getValueAtPercentile(99) <= 25_000 && s.count() == result[2] : null);
        row("e2e REST -> frame p99.9 @" + rate + "/s", ms(h.getValueAtPercentile(99.9)), "", null);
        row("e2e @" + rate + "/s frames received / sends", s.count() + " / " + result[2], "", null);
    }

    private volatile String lastStatuses = "";

    private long[] runRate(String group, String admin, int rate, int seconds) throws Exception {
        return runRate(group, admin, rate, seconds, new Histogram(LoadGen.MAX_LATENCY_US, 3));
    }

    /** {@link #runRate(String, String, int, int, Histogram, java.util.function.IntFunction)} to the e2e user. */
    private long[] runRate(String group, String admin, int rate, int seconds, Histogram rest) throws Exception {
        String e2eUser = userId(users);
        return runRate(group, admin, rate, seconds, rest, i -> e2eUser);
    }

    /**
     * Open loop: send i (to user {@code target.apply(i)}) is due at start + i/rate whatever the answers;
     * returns {201s, failures, scheduled}.
     */
    private long[] runRate(String group, String admin, int rate, int seconds, Histogram rest,
            java.util.function.IntFunction<String> target) throws Exception {
        int total = rate * seconds;
        long startNanos = System.nanoTime();
        long startUs = LoadGen.nowMicros();
        RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(serviceBase.getPort()).setURI("/api/notifications").setTimeout(30_000)
                .putHeader("Authorization", "Bearer " + admin).putHeader("Content-Type", "application/json");
        Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            pending.add(new CompletableFuture<>());
        }
        // Issued on the client's own event loop, each when it is due: a Netty task scheduled to the nanosecond
        // issues every send due by then and schedules itself for the next. From the orchestrator's thread (parked
        // until each send was due, then handing it to the event loop), every send cost two thread wake-ups, and
        // the client used 0.15 of the two cores at 1,000/s; also, the client's connection pool now and then
        // never answered a request issued from another thread (one in ~100,000).
        io.vertx.core.Context context = restContext();
        io.netty.channel.EventLoop loop = ((io.vertx.core.impl.ContextInternal) context).nettyEventLoop();
        Runnable issue = new Runnable() {
            private int next;

            @Override
            public void run() {
                long now = System.nanoTime();
                while (next < total && startNanos + (long) (next * 1e9 / rate) <= now) {
                    int i = next++;
                    long sentUs = startUs + (long) (i * 1e9 / rate) / 1000;
                    String body = "{\"audience\":{\"type\":\"user\",\"user_ids\":[\"" + target.apply(i)
                            + "\"]},\"title\":\"e2e " + i + "\",\"message\":\"bench\",\"type\":\"info\","
                            + "\"priority\":\"normal\",\"data\":{\"bench\":\"" + group + "\",\"sent_us\":" + sentUs + "}}";
                    CompletableFuture<Void> done = pending.get(i);
                    restClient().request(post)
                            .compose(request -> request.send(body))
                            .compose(response -> response.body().map(b -> response.statusCode()))
                            .onComplete(result -> {
                                int status = result.succeeded() ? result.result() : -1;
                                statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                                synchronized (rest) {
                                    rest.recordValue(Math.max(0, Math.min(LoadGen.MAX_LATENCY_US, LoadGen.nowMicros() - sentUs)));
                                }
                                done.complete(null);
                            });
                }
                if (next < total) {
                    loop.schedule(() -> context.runOnContext(v -> run()),
                            startNanos + (long) (next * 1e9 / rate) - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
            }
        };
        context.runOnContext(v -> issue.run());
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // counted, not thrown: a soak minute with unanswered sends is a finding, and the run goes on
            long unanswered = pending.stream().filter(f -> !f.isDone()).count();
            statuses.computeIfAbsent(0, k -> new AtomicLong()).addAndGet(unanswered);
            line(String.format(Locale.ROOT, "%s: %d sends unanswered 120 s after the last was due (status 0 below)",
                    group, unanswered));
            stack.threadDump(stack.service(), group + "-unanswered");
        }
        long created = statuses.getOrDefault(201, new AtomicLong()).get();
        lastStatuses = statuses.toString();
        return new long[] { created, total - created, total };
    }

    private Vertx restVertx;
    private io.vertx.core.http.HttpClient restClient;
    private io.vertx.core.Context restContext;

    /** The REST client's event loop, where every send is issued. */
    private synchronized io.vertx.core.Context restContext() {
        restClient();
        if (restContext == null) {
            restContext = restVertx.getOrCreateContext();
        }
        return restContext;
    }

    /**
     * The producer side of the REST sends: Vert.x with a pool of kept-alive connections, as a service
     * calling notification-service would use (the JDK client opened new connections under load and
     * cost more CPU than the service it measured, on the same two cores).
     */
    private synchronized io.vertx.core.http.HttpClient restClient() {
        if (restClient == null) {
            // epoll, as the load generators: NIO costs more CPU per request, on the cores the measured services use
            restVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setPreferNativeTransport(true));
            restClient = restVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(REST_CONNECTIONS));
        }
        return restClient;
    }

    /** One sample per soak minute. */
    record SoakSample(int minute, long sends, long created, long frames, double p99Ms, long gatewayHeapKb,
            long serviceHeapKb, long gatewayFds, long serviceFds, long gatewayRssKb) {
    }

    /** Soak mode: a fixed REST rate to random connected users, sampled every minute; true when something leaks. */
    private boolean soak(Gateway g1) throws Exception {
        String admin = TestTokens.sign(TestTokens.claims(userId(9_999_998), "bench-admin", "company_e2e",
                Set.of("admin", "user"), Instant.now().plusSeconds(4 * 3600)));
        long service = stack.service().pid();
        line(String.format(Locale.ROOT, "soak: %d minutes at %d sends/s (REST, each to one of %d connected users)",
                options.soakMinutes(), options.soakRate(), users));
        line(String.format(Locale.ROOT, "%6s %8s %8s %8s %9s %12s %12s %8s %8s %10s", "minute", "sends", "201", "frames",
                "p99 ms", "gw heap KB", "ns heap KB", "gw fds", "ns fds", "gw RSS KB"));
        List<SoakSample> samples = new ArrayList<>();
        for (int m = 1; m <= options.soakMinutes(); m++) {
            String group = "soak-" + m;
            long[] result = runRate(group, admin, options.soakRate(), 60, new Histogram(LoadGen.MAX_LATENCY_US, 3),
                    i -> userId(java.util.concurrent.ThreadLocalRandom.current().nextInt(users)));
            GroupStats s = await(group, result[0], Duration.ofSeconds(30));
            SoakSample sample = new SoakSample(m, result[2], result[0], s.count(),
                    s.latency().getValueAtPercentile(99) / 1000.0, heapAfterGcKb(g1.pid()), heapAfterGcKb(service),
                    fdCount(g1.pid()), fdCount(service), BenchStack.rssKb(g1.pid()));
            samples.add(sample);
            line(String.format(Locale.ROOT, "%6d %8d %8d %8d %9.1f %12d %12d %8d %8d %10d", m, sample.sends(),
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
        line(String.format(Locale.ROOT, "soak slopes from minute %d on, per minute: gateway heap %+.0f KB, "
                + "notification-service heap %+.0f KB, gateway fds %+.2f, notification-service fds %+.2f, p99 %+.2f ms",
                steady.get(0).minute(), gwHeap, nsHeap, gwFds, nsFds, p99));
        // a leak grows without bound; noise around a flat line does not: over the steady minutes, growth both
        // by the slope and by more than 10% of the starting value (heap) or by more than 20 descriptors
        boolean heapLeak = leaks(steady, SoakSample::gatewayHeapKb, gwHeap, 256)
                || leaks(steady, SoakSample::serviceHeapKb, nsHeap, 512);
        boolean fdLeak = gwFds * steady.size() > 20 || nsFds * steady.size() > 20;
        row("soak: sends / 201 / frames", sends + " / " + created + " / " + frames, "frames = 201s", frames == created);
        row("soak: gateway heap slope", String.format(Locale.ROOT, "%+.0f KB/min", gwHeap), "flat", !heapLeak);
        row("soak: notification-service heap slope", String.format(Locale.ROOT, "%+.0f KB/min", nsHeap), "flat", !heapLeak);
        row("soak: fd slopes (gateway, service)", String.format(Locale.ROOT, "%+.2f, %+.2f /min", gwFds, nsFds), "flat",
                !fdLeak);
        row("soak: p99 delivery, last minute", String.format(Locale.ROOT, "%.1f ms", samples.get(samples.size() - 1).p99Ms()),
                "", null);
        row("soak: p99 delivery slope", String.format(Locale.ROOT, "%+.2f ms/min", p99), "", null);
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

    /** Heap in use right after a full GC, for Serial (sum of generations) and G1. */
    private static long heapAfterGcKb(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher g1 = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        if (g1.find()) {
            return Long.parseLong(g1.group(1));
        }
        long used = 0;
        Matcher m = USED.matcher(info);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        return used;
    }

    private void scaleOut(Gateway g1, int g1Sockets) throws Exception {
        long started = System.nanoTime();
        List<Gateway> more = startGateways(options.scaleGateways() - 1);
        line(String.format(Locale.ROOT, "scale-out: %d more gateways up in %.1f s", more.size(), BenchStack.seconds(started)));
        long connectStart = System.nanoTime();
        List<CompletableFuture<Integer>> connecting = new ArrayList<>();
        for (Gateway g : more) {
            connecting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return connect(g, 0, users);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        int total = g1Sockets;
        for (CompletableFuture<Integer> c : connecting) {
            total += c.get();
        }
        line(String.format(Locale.ROOT, "scale-out: %d sockets over %d gateways, %d new ones connected in %.1f s",
                total, gateways.size(), total - g1Sockets, BenchStack.seconds(connectStart)));
        StringBuilder perGateway = new StringBuilder();
        for (Gateway g : gateways) {
            perGateway.append(String.format(Locale.ROOT, "%s: %d fds, RSS %d MB; ", g.name(), fdCount(g.pid()),
                    BenchStack.rssKb(g.pid()) / 1024));
        }
        line("scale-out: " + perGateway);
        gensStatus("after the scale-out connect");
        // as gateway-1 had before its fan-out (the heap measurement): a full GC after the connect storm, so that
        // the broadcasts do not pay for copying the freshly connected sockets' objects out of the young generation
        for (Gateway g : more) {
            jcmd(g.pid(), "GC.run");
        }
        settle("the broadcasts");
        Map<Gateway, Long> gcMarks = new HashMap<>();
        gateways.forEach(g -> gcMarks.put(g, gcMark(g)));
        Histogram reach = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        Histogram perSocket = new Histogram(LoadGen.MAX_LATENCY_US, 3);
        long minReached = Long.MAX_VALUE;
        for (int r = 0; r < options.broadcastReps(); r++) {
            GroupStats s = fanOut("bc-" + r, "{\"type\":\"everyone\"}", total, 60);
            minReached = Math.min(minReached, s.count());
            reach.recordValue(reachTime(s));
            perSocket.add(s.latency());
            line(String.format(Locale.ROOT, "  everyone-broadcast %d: %d/%d sockets reached, all received after %s",
                    r, s.count(), total, ms(s.lastUs() - fanStartUs)));
            Thread.sleep(1000);
        }
        for (Gateway g : gateways) {
            line("during the broadcasts: " + gcSince(g, gcMarks.get(g)));
        }
        row(options.scaleGateways() + " gateways: sockets held", String.valueOf(total), ">= 100000", total >= 100_000);
        row("everyone-broadcast reached (min of reps)", minReached + " / " + total, "all", minReached >= total);
        row("everyone-broadcast all received p50", ms(reach.getValueAtPercentile(50)), "", null);
        row("everyone-broadcast all received max", ms(reach.getMaxValue()), "", null);
        row("everyone-broadcast per-socket p99", ms(perSocket.getValueAtPercentile(99)), "", null);
    }

    // ------------------------------------------------------------------ processes

    private List<Gateway> startGateways(int count) throws Exception {
        List<CompletableFuture<Gateway>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "gateway-" + (gateways.size() + i + 1);
            starting.add(CompletableFuture.supplyAsync(() -> {
                int port = Ports.freePort();
                Map<String, String> env = stack.serviceEnv(port);
                env.put("NOTIFY_NOTIFICATION_SERVICE_URL", serviceBase.toString());
                List<String> command = new ArrayList<>();
                if (options.isNative()) {
                    command.add(options.gatewayNative());
                    command.addAll(List.of(gatewayJvm.split(" ")));
                } else {
                    command.addAll(ManagedProcess.javaJarCommand(gatewayOptions(name), gatewayApp.resolve("quarkus-run.jar"),
                            List.of()));
                }
                ManagedProcess p = ManagedProcess.start(name, command, env, work, work.resolve("logs/" + name + ".log"),
                        l -> l.contains("Listening on:"), START_TIMEOUT);
                stack.awaitReady(URI.create("http://127.0.0.1:" + port), p);
                return new Gateway(name, port, p);
            }));
        }
        List<Gateway> started = new ArrayList<>();
        for (CompletableFuture<Gateway> f : starting) {
            started.add(f.get());
        }
        gateways.addAll(started);
        return started;
    }

    private List<String> gatewayOptions(String name) {
        List<String> jvm = new ArrayList<>(List.of(gatewayJvm.split(" ")));
        jvm.add("-Xlog:gc:file=" + gcLog(name));
        return jvm;
    }

    private Path gcLog(String name) {
        return work.resolve("logs/" + name + "-gc.log");
    }

    private long gcMark(Gateway g) {
        return gcMark(g.name());
    }

    private long gcMark(String process) {
        try {
            return Files.size(gcLog(process));
        } catch (IOException e) {
            return 0;
        }
    }

    /** "N pauses, total ms, longest ms" from the gateway's -Xlog:gc lines written since {@code mark}. */
    private String gcSince(Gateway g, long mark) throws IOException {
        return gcSince(g.name(), mark);
    }

    private String gcSince(String process, long mark) throws IOException {
        byte[] all = Files.readAllBytes(gcLog(process));
        Matcher pause = GC_PAUSE.matcher(new String(all, (int) Math.min(mark, all.length),
                (int) Math.max(0, all.length - mark), StandardCharsets.UTF_8));
        int n = 0;
        double total = 0;
        double longest = 0;
        int full = 0;
        while (pause.find()) {
            double ms = Double.parseDouble(pause.group(2));
            n++;
            full += pause.group(1).contains("Full") ? 1 : 0;
            total += ms;
            longest = Math.max(longest, ms);
        }
        return String.format(Locale.ROOT, "%s GC: %d pauses (%d full), %.0f ms in total, longest %.1f ms", process, n,
                full, total, longest);
    }

    /**
     * Waits until the gateway knows every connected user's preferences (its {@code notify.gateway.preferences.pending}
     * gauge at 0; at most 5 minutes) and says how long that took and how many loads failed on the way (each failed
     * load is tried again later: meanwhile that user is pushed every type).
     */
    private void awaitPreferences(Gateway g, long since) throws Exception {
        long start = System.nanoTime();
        double pending = -1;
        while (BenchStack.seconds(start) < 300) {
            pending = gatewayMetric(g, "notify_gateway_preferences_pending");
            if (pending == 0) {
                break;
            }
            sleep(1000);
        }
        line(String.format(Locale.ROOT, "preferences: every connected user's loaded %.0f s after the first socket opened "
                + "(%.0f still pending); %.0f loads failed on the way and were tried again later", BenchStack.seconds(since),
                Math.max(0, pending), gatewayMetric(g, "notify_gateway_errors_total{kind=\"preferences_unavailable\"}")));
    }

    /** One sample of the gateway's /q/metrics (0 when absent). */
    private double gatewayMetric(Gateway g, String series) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String l : body.split("\n")) {
            if (l.startsWith(series + " ")) {
                return Double.parseDouble(l.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /**
     * Waits (at most 120 s) until the services are near idle and their JIT compilers are quiet (under 2%
     * of a core): a measurement must not include the compilation of the phase before it.
     */
    private void settle(String before) throws IOException {
        long start = System.nanoTime();
        List<Long> pids = new ArrayList<>(gateways.stream().map(Gateway::pid).toList());
        pids.add(stack.service().pid());
        double busy = 0;
        double jit = 0;
        while (BenchStack.seconds(start) < 120) {
            long c0 = 0;
            long j0 = 0;
            for (long pid : pids) {
                c0 += cpuMicros(pid);
                j0 += jitMicros(pid);
            }
            sleep(2000);
            long c1 = 0;
            long j1 = 0;
            for (long pid : pids) {
                c1 += cpuMicros(pid);
                j1 += jitMicros(pid);
            }
            busy = (c1 - c0) / 2e6;
            jit = (j1 - j0) / 2e6;
            if (busy < 0.5 && jit < 0.02) {
                break;
            }
        }
        line(String.format(Locale.ROOT, "settled before %s after %.0f s (services at %.2f cores, their JIT at %.2f); "
                + "load average %s", before, BenchStack.seconds(start), busy, jit, BenchStack.loadAverage()));
    }

    /**
     * {@code count} load generators for the sockets, plus a small one that holds only the end-to-end
     * user's socket (the last of {@link #gens}): a user's browser holds one socket, and a receiver that
     * also held ~10,000 others timed its frames after its own GC pauses and their pings' work.
     */
    private void startGens(Path tokens, int count) {
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
                                List.of(tokens.toString(), first, e2e ? "1" : String.valueOf(addresses))),
                        Map.of(), work.resolve("logs/" + name + ".log"), l -> l.startsWith(LoadGen.READY),
                        START_TIMEOUT);
                return new Gen(p, Integer.parseInt(p.readyLine().substring(LoadGen.READY.length()).trim()));
            }));
        }
        starting.forEach(f -> gens.add(f.join()));
        line(String.format(Locale.ROOT, "%d load generators, %d loopback source addresses each (from 127.0.0.2), and "
                + "an end-to-end client holding only the end-to-end user's socket", count, addresses));
    }

    /** The load generators that hold the bulk of the sockets: all but the end-to-end client. */
    private List<Gen> bulkGens() {
        return gens.subList(0, gens.size() - 1);
    }

    private Path signTokens(int count) throws IOException {
        long start = System.nanoTime();
        Instant expires = Instant.now().plusSeconds(4 * 3600); // outlives the run: no 1008 expiry closes
        List<String> lines = IntStream.range(0, count).parallel()
                .mapToObj(i -> TestTokens.sign(TestTokens.claims(userId(i), "bench" + i, company(i), Set.of("user"),
                        expires)))
                .toList();
        Path file = work.resolve("tokens.txt");
        Files.write(file, lines);
        line(String.format(Locale.ROOT, "signed %d user tokens in %.1f s", count, BenchStack.seconds(start)));
        return file;
    }

    private String company(int user) {
        return user == users ? "company_e2e" : user < options.fanout() ? BIG_COMPANY : "company_" + (user % 10);
    }

    private static String userId(int i) {
        return new UUID(0x0b3e_0000_0000_4000L, 0x8000_0000_0000_0000L | i).toString();
    }

    // ------------------------------------------------------------------ load generator control

    /** Opens the sockets of users [from, to) on {@code g}, spread evenly over the load generators; returns how many opened. */
    private int connect(Gateway g, int from, int to) throws Exception {
        int before = openOn(g);
        int n = to - from;
        List<Gen> bulk = bulkGens();
        for (int k = 0; k < bulk.size(); k++) {
            int a = from + (int) ((long) n * k / bulk.size());
            int b = from + (int) ((long) n * (k + 1) / bulk.size());
            if (b > a) {
                control(bulk.get(k), "/connect?port=" + g.port() + "&from=" + a + "&to=" + b + "&concurrency=64");
            }
        }
        return awaitConnected(g, before, n);
    }

    private int connectOne(Gateway g, int line) throws Exception {
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

    private void closeAll(Gateway g) throws Exception {
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

    private void gensStatus(String when) throws Exception {
        for (Gen gen : gens) {
            line("  " + gen.process().name() + " " + when + ": " + control(gen, "/status"));
        }
    }

    /** Polls until {@code expected} frames of {@code group} arrived (or the timeout), then sums the histograms. */
    private GroupStats await(String group, long expected, Duration timeout) throws Exception {
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
    private String slowestSeconds(String group) throws Exception {
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

    private HttpResponse<Void> get(URI uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ events

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static String companyAudience(String company) {
        return "{\"type\":\"company\",\"company\":\"" + company + "\"}";
    }

    /** A {@code created} event shaped like contracts/samples/notification-event-created.json. */
    private java.util.concurrent.Future<?> publish(String group, String audience, long sentUs) {
        long s = seq.incrementAndGet();
        String now = Instant.now().toString();
        String id = UUID.randomUUID().toString();
        String event = "{\"event_id\":\"" + UUID.randomUUID() + "\",\"schema_version\":1,\"kind\":\"created\",\"seq\":" + s
                + ",\"audience\":" + audience + ",\"occurred_at\":\"" + now + "\",\"notification\":{\"id\":\"" + id
                + "\",\"seq\":" + s + ",\"audience\":" + audience + ",\"title\":\"Standup moved\","
                + "\"message\":\"Daily standup is at 10:30 today\",\"type\":\"meeting\",\"priority\":\"high\","
                + "\"data\":{\"bench\":\"" + group + "\",\"sent_us\":" + sentUs + "},\"link\":\"/meetings/42\","
                + "\"sender\":\"bench\",\"created_at\":\"" + now + "\",\"expires_at\":null}}";
        return producer.send(new ProducerRecord<>(TOPIC, id, event));
    }

    // ------------------------------------------------------------------ /proc and jcmd

    /**
     * {RSS KB after a full GC, heap used KB after it, RSS KB before it}; the class histogram (taken with that full GC)
     * into {@code classes}. The RSS before the collection is what the gateway held at rest, garbage not yet collected
     * included; after it, what it needs (the serial collector gives back what MaxHeapFreeRatio says is too much).
     */
    private long[] memory(Gateway g, Map<String, Long> classes) throws Exception {
        long rssBefore = BenchStack.rssKb(g.pid());
        if (options.isNative()) { // no jcmd in the native image: RSS at rest, heap unknown
            return new long[] { rssBefore, 0, rssBefore };
        }
        Matcher row = CLASS_ROW.matcher(jcmd(g.pid(), "GC.class_histogram"));
        while (row.find()) {
            classes.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
        }
        String info = jcmd(g.pid(), "GC.heap_info");
        long used = 0;
        Matcher m = USED.matcher(info);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        return new long[] { BenchStack.rssKb(g.pid()), used, rssBefore };
    }

    /** The classes whose instances grew most with the sockets: where the heap per socket goes. */
    private void heapByClass(Map<String, Long> before, Map<String, Long> after, int sockets) {
        line("heap growth by class, bytes per socket (jcmd GC.class_histogram after a full GC, before vs after):");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(15)
                .forEach(e -> line(String.format(Locale.ROOT, "  %8.0f  %s", e.getValue() / (double) sockets, e.getKey())));
    }

    /**
     * Samples the gateway's running threads with jcmd Thread.print while {@code load} runs: the most frequent
     * top frames of RUNNABLE threads that are not waiting for I/O, i.e. where its CPU goes.
     */
    private void profile(Gateway g, Runnable load) throws Exception {
        Map<String, Integer> stacks = new HashMap<>();
        int[] samples = { 0 };
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                try {
                    String dump = jcmd(g.pid(), "Thread.print");
                    samples[0]++;
                    for (String block : dump.split("\n\\s*\n")) {
                        String[] lines = block.trim().split("\n");
                        if (lines.length < 3 || !lines[0].startsWith("\"") || !lines[1].contains("RUNNABLE")
                                || lines[2].contains("epoll") || lines[2].contains("EPoll") || lines[2].contains("accept")
                                || lines[2].contains("socketRead") || lines[2].contains("Thread.print")
                                || lines[2].contains("No compile task") || lines[2].contains("waitForReferencePendingList")
                                || lines[0].contains("Attach Listener")) {
                            continue;
                        }
                        String thread = lines[0].substring(1, lines[0].indexOf('"', 1)).replaceAll("\\d+", "N");
                        // the top frame, then the first callers outside the JDK and Netty's channel plumbing
                        StringBuilder key = new StringBuilder(thread).append("\n      ").append(lines[2].trim());
                        int shown = 0;
                        for (int i = 3; i < Math.min(lines.length, 60) && shown < 5; i++) {
                            String frame = lines[i].trim();
                            if (frame.startsWith("at ") && !frame.matches("at (java|javax|sun|jdk|io\\.netty\\.(channel|util))\\..*")) {
                                key.append("\n      ").append(frame);
                                shown++;
                            }
                        }
                        stacks.merge(key.toString(), 1, Integer::sum);
                    }
                } catch (Exception e) {
                    return;
                }
            }
        }, "sampler");
        sampler.start();
        try {
            load.run();
        } finally {
            running.set(false);
            sampler.join();
        }
        line("where the gateway's busy threads were, " + samples[0] + " thread dumps (top frame, then the first 5 callers outside the JDK and Netty channel code; count of dumps):");
        stacks.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(8)
                .forEach(e -> line(String.format(Locale.ROOT, "  %4d x %s", e.getValue(), e.getKey())));
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** utime + stime of the process in microseconds (clock ticks of 10 ms). */
    private static long cpuMicros(long pid) throws IOException {
        long[] times = ProcessCpu.times(Path.of("/proc/" + pid + "/stat"));
        return times[0] + times[1];
    }

    /** CPU of the process's JIT compiler threads in microseconds. */
    private static long jitMicros(long pid) throws IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        long[] times = ProcessCpu.times(task.resolve("stat"));
                        sum += times[0] + times[1];
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }

    /** stime alone: the kernel's share (system calls, and on loopback the receiving side's TCP too). */
    private static long sysMicros(long pid) throws IOException {
        return ProcessCpu.times(Path.of("/proc/" + pid + "/stat"))[1];
    }

    /** The gateway's CPU per second without deliveries, its JIT compiler threads left out (as from CPU per delivery). */
    private static double idleCpuPerSecond(Gateway g, int seconds) throws IOException {
        long c0 = cpuMicros(g.pid()) - jitMicros(g.pid());
        long t0 = System.nanoTime();
        sleep(seconds * 1000L);
        return (cpuMicros(g.pid()) - jitMicros(g.pid()) - c0) / BenchStack.seconds(t0);
    }

    private static long fdCount(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    // ------------------------------------------------------------------ output

    private void row(String what, String value, String target, Boolean met) {
        table.add(new String[] { what, value, target, met == null ? "" : met ? "yes" : "NO" });
    }

    private void printTable() {
        line("");
        line(String.format(Locale.ROOT, "%-42s %16s  %-22s %s", "figure", "measured", "target", "met"));
        for (String[] r : table) {
            line(String.format(Locale.ROOT, "%-42s %16s  %-22s %s", r[0], r[1], r[2], r[3]));
        }
    }

    private static String ms(double micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000);
    }

    private static String us(double micros) {
        return String.format(Locale.ROOT, "%.1f us", micros);
    }

    private static String kb(double kb) {
        return String.format(Locale.ROOT, "%.2f KB", kb);
    }

    private void line(String text) {
        stack.line(text);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the load generators and gateways (the stack stops the rest). Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        gens.forEach(g -> g.process().kill());
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (restVertx != null) {
            restVertx.close();
        }
        List<Thread> stopping = new ArrayList<>();
        for (Gateway g : gateways) {
            Thread t = new Thread(() -> g.process().stop(Duration.ofSeconds(15)));
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
