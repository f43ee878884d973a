package io.notify.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.notify.infra.Dirs;
import io.notify.infra.Ports;
import io.notify.infra.kafka.KafkaBrokerMain;
import io.notify.infra.kafka.Topics;
import io.notify.infra.postgres.PostgresServer;
import io.notify.infra.process.ManagedProcess;
import io.notify.infra.test.TestTokens;

/**
 * What every benchmark here needs: a work dir, a report, PostgreSQL + Kafka + the packaged
 * notification-service on 127.0.0.1 and free ports (tokens verified against {@link TestTokens}'
 * JWKS), the machine's facts, and a clean stop of everything it started.
 */
public final class BenchStack implements AutoCloseable {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final Path repoRoot;
    private final Path work;
    private final List<String> report = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private PostgresServer postgres;
    private ManagedProcess kafka;
    private ManagedProcess service;
    private String bootstrap;
    private URI serviceBase;
    private com.sun.net.httpserver.HttpServer tokenEndpoint;
    private boolean closed;
    /** The gateways' client secret for this run (never in git). */
    private final String gatewayClientSecret = java.util.UUID.randomUUID().toString();

    public BenchStack(Path repoRoot, String name) throws IOException {
        this.repoRoot = repoRoot;
        this.work = Files.createTempDirectory("notify-" + name + "-");
        Files.createDirectories(work.resolve("logs"));
    }

    /**
     * The skeleton of a benchmark's main: checks the packaged modules exist, runs {@code bench},
     * always stops what was started, exits 0 or 1 (2 when a module is not packaged).
     */
    public static void main(String runScript, List<String> modules, Callable<BenchStack> create, Bench bench) {
        Path repo = repoRoot();
        for (String module : modules) {
            if (!Files.isRegularFile(repo.resolve(module + "/target/quarkus-app/quarkus-run.jar"))) {
                System.err.println(module + "/target/quarkus-app/quarkus-run.jar is missing. Package it first with\n"
                        + "  ./mvnw -q -B -DskipTests install -pl local-infra," + String.join(",", modules) + " -am\n"
                        + "(" + runScript + " does that). If another engineer is rebuilding it right now, retry later.");
                System.exit(2);
            }
        }
        int status = 0;
        BenchStack stack = null;
        try {
            stack = create.call();
            BenchStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                bench.close();
                started.close();
            }, "bench-cleanup"));
            bench.run(stack);
        } catch (Exception | Error e) {
            System.err.println("Benchmark failed: " + e);
            e.printStackTrace();
            if (stack != null) {
                stack.line("FAILED: " + e);
                stack.writeReport(bench.reportName());
                stack.keepLogs(bench.reportName());
            }
            status = 1;
        } finally {
            bench.close();
            if (stack != null) {
                stack.close();
            }
        }
        System.exit(status);
    }

    /** A benchmark run on a {@link BenchStack}; {@link #close()} stops what the benchmark itself started. */
    public interface Bench {
        void run(BenchStack stack) throws Exception;

        /** The report file's name prefix, e.g. {@code inbox-bench}. */
        String reportName();

        default void close() {
        }
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("notify.repo.root", ".")).toAbsolutePath().normalize();
    }

    public Path repo() {
        return repoRoot;
    }

    public Path work() {
        return work;
    }

    /**
     * A private copy of a module's quarkus-app, so that a rebuild of the module during the run does
     * not pull the jar from under the running service.
     */
    public Path copyApp(String module) throws IOException, InterruptedException {
        Path target = work.resolve(module);
        Process cp = new ProcessBuilder("cp", "-a", repoRoot.resolve(module + "/target/quarkus-app").toString(),
                target.toString()).inheritIO().start();
        if (cp.waitFor() != 0 || !Files.isRegularFile(target.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(module + "/target/quarkus-app changed while being copied: someone is "
                    + "probably rebuilding it; retry later");
        }
        return target;
    }

    /** PostgreSQL with database {@code notification}, and Kafka with the suite's topics. */
    public PostgresServer startInfrastructure() {
        postgres = PostgresServer.start(work.resolve("postgres"), 0);
        postgres.createDatabase("notification");
        kafka = ManagedProcess.start("kafka",
                KafkaBrokerMain.command(ManagedProcess.currentClasspath(), work.resolve("kafka"), 0,
                        KafkaBrokerMain.STEADY_STATE_JVM), Map.of(),
                work.resolve("logs/kafka.log"), l -> l.startsWith(KafkaBrokerMain.READY_PREFIX), START_TIMEOUT);
        bootstrap = kafka.readyLine().substring(KafkaBrokerMain.READY_PREFIX.length()).trim();
        Topics.create(bootstrap);
        return postgres;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public String kafkaBootstrap() {
        return bootstrap;
    }

    /** The environment every packaged service of a benchmark runs with. */
    public Map<String, String> serviceEnv(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "local");
        env.put("PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("NOTIFY_DATA_DIR", work.toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestTokens.jwksUri());
        env.put("NOTIFY_JWKS_URL", TestTokens.jwksUri());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        env.put("MP_JWT_VERIFY_AUDIENCES", TestTokens.AUDIENCE);
        return env;
    }

    /**
     * The environment of a gateway: {@link #serviceEnv} plus auth-service's address and the gateways' client secret.
     * The benches run no auth-service (their users' tokens are signed with TestTokens' key): a stand-in token endpoint
     * gives the gateways' client a token signed with the same key, as auth-service's client credentials grant would.
     */
    public synchronized Map<String, String> gatewayEnv(int port) {
        if (tokenEndpoint == null) {
            try {
                tokenEndpoint = com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("notify-gateway:" + gatewayClientSecret)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            tokenEndpoint.createContext("/api/auth/token", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    boolean granted = basic.equals(exchange.getRequestHeaders().getFirst("Authorization"));
                    byte[] body = (granted ? "{\"access_token\":\"" + TestTokens.gatewayToken()
                            + "\",\"token_type\":\"bearer\",\"expires_in\":900}" : "{\"error\":\"invalid_client\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(granted ? 200 : 401, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            tokenEndpoint.start();
        }
        Map<String, String> env = serviceEnv(port);
        env.put("NOTIFY_AUTH_URL", "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort());
        env.put("NOTIFY_GATEWAY_CLIENT_SECRET", gatewayClientSecret);
        return env;
    }

    /** Starts notification-service from {@code app} and waits until it is ready; returns its base URI. */
    public URI startNotificationService(Path app, List<String> jvmOptions) {
        return startNotificationService(ManagedProcess.javaJarCommand(jvmOptions, app.resolve("quarkus-run.jar"), List.of()));
    }

    /** Starts notification-service with {@code command} (its jar or its native executable); returns its base URI. */
    public URI startNotificationService(List<String> command) {
        int port = Ports.freePort();
        Map<String, String> env = serviceEnv(port);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("notification"));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        // nothing listens there: admin sends and the reads measured never call auth-service
        env.put("NOTIFY_AUTH_URL", "http://127.0.0.1:" + Ports.freePort());
        service = ManagedProcess.start("notification-service", command, env, work,
                work.resolve("logs/notification-service.log"), l -> l.contains("Listening on:"), START_TIMEOUT);
        serviceBase = URI.create("http://127.0.0.1:" + port);
        awaitReady(serviceBase, service);
        return serviceBase;
    }

    public ManagedProcess service() {
        return service;
    }

    /** Readiness includes the database and Kafka checks (and a gateway's position on the event stream). */
    public void awaitReady(URI base, ManagedProcess process) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5))
                .build();
        int status = 0;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                status = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        throw new IllegalStateException(process.name() + " not ready (last status " + status + "); last lines of "
                + process.logFile() + ":\n" + String.join("\n", process.lastLines(40)));
    }

    // ------------------------------------------------------------------ report and machine

    /** Prints a line and keeps it for the report file. */
    public synchronized void line(String text) {
        System.out.println(text);
        report.add(text);
    }

    /** Keeps a text for the report file only (e.g. a full query plan). */
    public synchronized void note(String text) {
        report.add(text);
    }

    /** Writes the report to {@code bench/target/<name>-<time>.txt}. */
    public synchronized void writeReport(String name) {
        Path file = repoRoot.resolve("bench/target/" + name + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, report);
            System.out.println("Report written to " + file);
        } catch (IOException e) {
            System.err.println("Could not write " + file + ": " + e);
        }
    }

    /** Cores, CPU model, memory, OS, Java and the open-files limit, on one line. */
    public static String machine() {
        return String.format(Locale.ROOT, "machine: %d cores (%s), %.1f GiB RAM, %s %s, Java %s (%s); open files limit %s",
                Runtime.getRuntime().availableProcessors(), firstLine("/proc/cpuinfo", "model name"), totalMemoryGib(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), firstLine("/proc/self/limits", "Max open files"));
    }

    /** A process's resident set ({@code VmRSS} of {@code /proc/<pid>/status}), KB. */
    public static long rssKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + "/" + parts[1] + "/" + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The machine's CPU time so far, from the first line of /proc/stat: {all, idle, steal} in clock ticks.
     * Steal is time the hypervisor gave this VM's cores to another guest: a phase measured while it was
     * high ran on a slower machine.
     */
    public static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                all += Long.parseLong(f[i]);
            }
            return new long[] { all, Long.parseLong(f[4]), f.length > 8 ? Long.parseLong(f[8]) : 0 };
        } catch (IOException | RuntimeException e) {
            return new long[] { 0, 0, 0 };
        }
    }

    /** "steal x%, idle y%" of the machine's cores since {@code before} ({@link #machineTicks()}). */
    public static String machineSince(long[] before) {
        long[] now = machineTicks();
        long all = now[0] - before[0];
        if (all <= 0) {
            return "steal and idle unknown";
        }
        return String.format(Locale.ROOT, "steal %.1f%%, idle %.1f%%", 100.0 * (now[2] - before[2]) / all,
                100.0 * (now[1] - before[1]) / all);
    }

    public static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static double totalMemoryGib() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / (double) (1L << 30);
        }
        return Double.NaN;
    }

    /** The value of the first line of a /proc file that starts with {@code key}. */
    private static String firstLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(key.length()).replaceFirst("^\\s*:?\\s*", "").replaceAll("\\s+", " ").trim())
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** Writes a thread dump of {@code process} into the work dir's logs (kept by {@link #keepLogs}). */
    public void threadDump(ManagedProcess process, String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process jcmd = new ProcessBuilder("jcmd", String.valueOf(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(work.resolve("logs/" + name + "-threads.txt").toFile())
                    .start();
            jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            line("thread dump of " + name + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies the work dir's logs next to the report (bench/target/&lt;name&gt;-logs) before they are deleted. */
    public void keepLogs(String reportName) {
        threadDump(service, "notification-service-at-failure");
        Path target = repoRoot().resolve("bench/target/" + reportName + "-logs");
        try (var files = Files.walk(work.resolve("logs"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path copy = target.resolve(work.resolve("logs").relativize(f));
                Files.createDirectories(copy.getParent());
                Files.copy(f, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            System.err.println("Logs kept in " + target);
        } catch (IOException e) {
            System.err.println("Could not keep the logs: " + e);
        }
    }

    /** Stops the service, Kafka and PostgreSQL and deletes the work dir; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (tokenEndpoint != null) {
            tokenEndpoint.stop(0);
        }
        if (service != null) {
            service.stop(Duration.ofSeconds(20));
        }
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
        }
        if (postgres != null) {
            postgres.close();
        }
        Dirs.deleteQuietly(work);
    }
}
