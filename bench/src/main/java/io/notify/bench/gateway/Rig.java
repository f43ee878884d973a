package io.notify.bench.gateway;

import static io.notify.bench.gateway.Procs.cpuMicros;
import static io.notify.bench.gateway.Procs.fdCount;
import static io.notify.bench.gateway.Procs.jitMicros;
import static io.notify.bench.gateway.Procs.sleep;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.notify.bench.BenchStack;
import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.NotifyClient;
import io.notify.client.SentNotification;
import io.notify.client.TokenSource;
import io.notify.infra.Ports;
import io.notify.infra.process.ManagedProcess;
import io.notify.infra.test.TestTokens;

/**
 * What every scenario runs on, started once: PostgreSQL, Kafka, the packaged notification-service and gateways
 * (with their GC logs), the signed user tokens, the load generators ({@link LoadGens}), the Kafka producer of
 * tagged events and the REST sender ({@link RestSends}); and the waits between phases.
 */
final class Rig {

    private static final String TOPIC = "notification-events";
    static final String BIG_COMPANY = "company_big";
    private static final int FD_LIMIT_MARGIN = 300;
    private static final Pattern LOG_PROBLEM = Pattern.compile("(?m)\\s(WARN|ERROR)\\s+\\[([^\\]]+)\\][^)]*\\)\\s*(.*)$");
    private static final Pattern GC_PAUSE = Pattern.compile("Pause (Young|Full)\\S*.* (\\d+\\.\\d+)ms");

    final Options options;
    final BenchStack stack;
    final Report report;
    final LoadGens gens;
    final RestSends rest;
    private final Path work;
    private final List<Gateway> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** The rig's own events' seqs start here, far above any the store draws in a run (LoadGen checks each kind's order). */
    static final long FIRST_BENCH_SEQ = 1_000_000_000L;
    private final AtomicLong seq = new AtomicLong(FIRST_BENCH_SEQ);
    private KafkaProducer<String, String> producer;
    private String bootstrap;
    private URI serviceBase;
    private Path gatewayApp;
    private String gatewayJvm;
    private int users;
    private long fanStartUs;
    private NotifyClient bigCompanySender;

    Rig(BenchStack stack, Options options) {
        this.stack = stack;
        this.options = options;
        this.work = stack.work();
        this.report = new Report(stack);
        this.gens = new LoadGens(report, work, http, options.acks() == Options.Acks.ON, options.ackDelayMs());
        this.rest = new RestSends(stack, report);
    }

    /**
     * Starts everything and opens no socket yet: prints the run's header, starts the infrastructure,
     * notification-service and the first gateway, caps the sockets per gateway by its file-descriptor limit,
     * signs the tokens and starts the load generators. Returns the first gateway.
     */
    Gateway start(long started) throws Exception {
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
        if (options.serviceNative().isEmpty()) {
            serviceJvm.add("-Xlog:gc:file=" + gcLog("notification-service"));
            serviceBase = stack.startNotificationService(serviceApp, serviceJvm);
        } else { // its image's way: the executable with the heap flag only
            line("notification-service NATIVE " + options.serviceNative() + ": " + String.join(" ", serviceJvm));
            List<String> command = new ArrayList<>(List.of(options.serviceNative()));
            command.addAll(serviceJvm);
            serviceBase = stack.startNotificationService(command);
        }
        rest.target(serviceBase);
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
        gens.start(tokens, (int) Math.ceil(totalSockets / (double) options.perLoadGen()));
        return g1;
    }

    /** Users 0 .. users-1 hold the bulk sockets on every gateway; user {@code users} is the end-to-end user. */
    int users() {
        return users;
    }

    List<Gateway> gateways() {
        return gateways;
    }

    void line(String text) {
        report.line(text);
    }

    // ------------------------------------------------------------------ processes

    List<Gateway> startGateways(int count) throws Exception {
        List<CompletableFuture<Gateway>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "gateway-" + (gateways.size() + i + 1);
            starting.add(CompletableFuture.supplyAsync(() -> {
                int port = Ports.freePort();
                Map<String, String> env = stack.gatewayEnv(port);
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
                        l -> l.contains("Listening on:"), BenchStack.START_TIMEOUT);
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

    /**
     * Starts {@link RoutingFloor} with the gateway's JVM flags (a JVM always: the floor of the JVM gateway's figures),
     * as a {@link Gateway} the load generators can connect to; stop it with {@code process().stop}.
     */
    Gateway startRoutingFloor() {
        int port = Ports.freePort();
        String name = "routing-floor";
        ManagedProcess p = ManagedProcess.start(name, ManagedProcess.javaCommand(gatewayOptions(name),
                ManagedProcess.currentClasspath(), RoutingFloor.class.getName(), List.of(String.valueOf(port))), Map.of(),
                work, work.resolve("logs/" + name + ".log"), null, BenchStack.START_TIMEOUT);
        stack.awaitReady(URI.create("http://127.0.0.1:" + port), p);
        return new Gateway(name, port, p);
    }

    private List<String> gatewayOptions(String name) {
        List<String> jvm = new ArrayList<>(List.of(gatewayJvm.split(" ")));
        jvm.add("-Xlog:gc:file=" + gcLog(name));
        return jvm;
    }

    private Path gcLog(String name) {
        return work.resolve("logs/" + name + "-gc.log");
    }

    long gcMark(Gateway g) {
        return gcMark(g.name());
    }

    long gcMark(String process) {
        try {
            return Files.size(gcLog(process));
        } catch (IOException e) {
            return 0;
        }
    }

    /** "N pauses, total ms, longest ms" from the gateway's -Xlog:gc lines written since {@code mark}. */
    String gcSince(Gateway g, long mark) throws IOException {
        return gcSince(g.name(), mark);
    }

    String gcSince(String process, long mark) throws IOException {
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

    /** WARN and ERROR lines of a service log, counted by logger and message start. */
    void logProblems(ManagedProcess p) throws IOException {
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

    /**
     * Waits until the gateway knows every connected user's preferences (its {@code notify.gateway.preferences.pending}
     * gauge at 0, read every 100 ms; at most 5 minutes) and says how long that took and how many loads failed on the way
     * (each failed load is tried again later: meanwhile that user is pushed every type). Returns when the gauge read 0
     * ({@link System#nanoTime()}), or -1 when it did not within the 5 minutes.
     */
    long awaitPreferences(Gateway g, long since) throws Exception {
        long start = System.nanoTime();
        double pending = -1;
        long known = -1;
        while (BenchStack.seconds(start) < 300) {
            pending = gatewayMetric(g, "notify_gateway_preferences_pending");
            if (pending == 0) {
                known = System.nanoTime();
                break;
            }
            sleep(100);
        }
        line(String.format(Locale.ROOT, "preferences: every connected user's loaded %.1f s after the first socket opened "
                + "(%.0f still pending); %.0f loads failed on the way and were tried again later", BenchStack.seconds(since),
                Math.max(0, pending), gatewayMetric(g, "notify_gateway_errors_total{kind=\"preferences_unavailable\"}")));
        return known;
    }

    /** One sample of the gateway's /q/metrics (0 when absent). */
    private double gatewayMetric(Gateway g, String series) throws Exception {
        for (String l : gatewayMetrics(g)) {
            if (l.startsWith(series + " ")) {
                String value = l.substring(series.length() + 1);
                int exemplar = value.indexOf(" # "); // an exemplar (trace and span ids) may follow the value
                return Double.parseDouble((exemplar < 0 ? value : value.substring(0, exemplar)).trim());
            }
        }
        return 0;
    }

    /** The lines of the gateway's /q/metrics now. */
    List<String> gatewayMetrics(Gateway g) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body().lines().toList();
    }

    /**
     * Waits (at most 120 s) until the services are near idle and their JIT compilers are quiet (under 2%
     * of a core): a measurement must not include the compilation of the phase before it.
     */
    void settle(String before) throws IOException {
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

    // ------------------------------------------------------------------ users and tokens

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

    static String userId(int i) {
        return new UUID(0x0b3e_0000_0000_4000L, 0x8000_0000_0000_0000L | i).toString();
    }

    /** A 4-hour admin token of company_e2e for the REST sends, as user {@code i}. */
    static String adminToken(int i) {
        return TestTokens.sign(TestTokens.claims(userId(i), "bench-admin", "company_e2e",
                Set.of("admin", "user"), Instant.now().plusSeconds(4 * 3600)));
    }

    // ------------------------------------------------------------------ stored notifications and their delivery

    /** A 4-hour admin token of {@link #BIG_COMPANY} (a user who holds no socket): the sender of stored fan-outs. */
    private static final int BIG_ADMIN_USER = 9_999_998;
    private static final String BIG_ADMIN = TestTokens.sign(TestTokens.claims(userId(BIG_ADMIN_USER), "bench-big-admin",
            BIG_COMPANY, Set.of("admin", "user"), Instant.now().plusSeconds(4 * 3600)));

    /**
     * {@code POST /api/notifications} to every user of {@link #BIG_COMPANY}, as its admin, with the Java SDK (one
     * attempt: a refusal is a finding of the run, thrown as the SDK's typed exception); answers the stored id.
     */
    String sendToBigCompany(String title) {
        SentNotification sent = bigCompanySender().send(Notification.to(Audience.company(BIG_COMPANY)).title(title)
                .message("delivery receipts").type("meeting").build());
        if (!sent.created()) {
            throw new IllegalStateException("send to " + BIG_COMPANY + " was not created: " + sent);
        }
        return sent.id().toString();
    }

    /**
     * One send through the SDK to its sender alone (an admin who holds no socket), before anything is timed: the SDK's
     * first send loads Jackson's data binding, about 1 s on the 2 busy cores here, a start-up cost of the client that
     * {@link #sendToBigCompany}'s figures must not count as the service's.
     */
    void warmUpBigCompanySender() {
        bigCompanySender().send(Notification.to(Audience.user(userId(BIG_ADMIN_USER))).title("SDK warm-up")
                .message("off the clock").build());
    }

    private synchronized NotifyClient bigCompanySender() {
        if (bigCompanySender == null) {
            bigCompanySender = NotifyClient.builder(serviceBase).httpClient(http)
                    .tokenSource(TokenSource.fixed(BIG_ADMIN)).maxAttempts(1).build();
        }
        return bigCompanySender;
    }

    /** {@code GET /api/notifications/{id}/delivery} as the sender of {@link #sendToBigCompany}. */
    io.vertx.core.json.JsonObject delivery(String id) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(serviceBase.resolve("/api/notifications/" + id + "/delivery"))
                .header("Authorization", "Bearer " + BIG_ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("delivery of " + id + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return new io.vertx.core.json.JsonObject(answer.body());
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

    static String companyAudience(String company) {
        return "{\"type\":\"company\",\"company\":\"" + company + "\"}";
    }

    /** A {@code created} event shaped like contracts/samples/notification-event-created.json. */
    java.util.concurrent.Future<?> publish(String group, String audience, long sentUs) {
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

    void flush() {
        producer.flush();
    }

    /** Publishes one tagged event and waits until {@code expected} frames of it arrived (or the timeout). */
    GroupStats fanOut(String group, String audience, long expected, int timeoutSeconds) throws Exception {
        fanStartUs = LoadGen.nowMicros();
        publish(group, audience, fanStartUs).get(10, TimeUnit.SECONDS);
        return gens.await(group, expected, Duration.ofSeconds(timeoutSeconds));
    }

    /** When the last {@link #fanOut} published its event (wall clock, µs). */
    long fanStartUs() {
        return fanStartUs;
    }

    /** From the publish to the last frame of the group (the maximum if none arrived). */
    long reachTime(GroupStats s) {
        return s.count() == 0 ? LoadGen.MAX_LATENCY_US : Math.max(0, Math.min(LoadGen.MAX_LATENCY_US, s.lastUs() - fanStartUs));
    }

    /** Stops the load generators and gateways (the stack stops the rest). */
    void close() {
        gens.kill();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        rest.close();
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
