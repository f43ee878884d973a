package io.notify.infra.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;


import io.notify.infra.Ports;
import io.notify.infra.kafka.Topics;
import io.notify.infra.postgres.PostgresServer;
import io.notify.infra.process.ManagedProcess;

/**
 * The whole suite on one machine: real Kafka (KRaft, child JVM) and real PostgreSQL, the three
 * PACKAGED services as separate processes, and the one-origin proxy. The local launch and the
 * system tests both start it through this class, so the tests prove what users run.
 */
public final class Suite implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    /**
     * Where and on which ports to run; a port of 0 means any free port. {@code staticRoot}, when set,
     * is the built frontend the one origin serves on {@code /} (null: an API-only origin).
     * {@code nativeExecutables}: run each service's native executable ({@code target/*-runner}, built
     * with {@code -Pnative}) instead of its packaged jar; {@code jvmOptions} then do not apply. {@code serviceEnv}:
     * more environment for every service (e.g. the OpenTelemetry exporter's), over the suite's own.
     */
    public record Config(Path repoRoot, Path dataDir, int proxyPort, int authPort, int notificationPort,
            List<Integer> gatewayPorts, int kafkaPort, int postgresPort, String profile, List<String> jvmOptions,
            Path staticRoot, boolean nativeExecutables, Map<String, String> serviceEnv) {

        public Config(Path repoRoot, Path dataDir, int proxyPort, int authPort, int notificationPort,
                List<Integer> gatewayPorts, int kafkaPort, int postgresPort, String profile, List<String> jvmOptions) {
            this(repoRoot, dataDir, proxyPort, authPort, notificationPort, gatewayPorts, kafkaPort, postgresPort,
                    profile, jvmOptions, null, false, Map.of());
        }

        /** Free ports everywhere, one gateway: what tests want. */
        public static Config forTests(Path repoRoot, Path dataDir) {
            return new Config(repoRoot, dataDir, 0, 0, 0, List.of(0), 0, 0, "local", List.of("-Xmx512m"));
        }

        public Config withGateways(int count) {
            return new Config(repoRoot, dataDir, proxyPort, authPort, notificationPort,
                    java.util.Collections.nCopies(count, 0), kafkaPort, postgresPort, profile, jvmOptions, staticRoot,
                    nativeExecutables, serviceEnv);
        }

        public Config withStaticRoot(Path root) {
            return new Config(repoRoot, dataDir, proxyPort, authPort, notificationPort, gatewayPorts, kafkaPort,
                    postgresPort, profile, jvmOptions, root, nativeExecutables, serviceEnv);
        }

        public Config withNativeExecutables(boolean nativeExecutables) {
            return new Config(repoRoot, dataDir, proxyPort, authPort, notificationPort, gatewayPorts, kafkaPort,
                    postgresPort, profile, jvmOptions, staticRoot, nativeExecutables, serviceEnv);
        }

        public Config withServiceEnv(Map<String, String> env) {
            return new Config(repoRoot, dataDir, proxyPort, authPort, notificationPort, gatewayPorts, kafkaPort,
                    postgresPort, profile, jvmOptions, staticRoot, nativeExecutables, Map.copyOf(env));
        }
    }

    private final Config config;
    private final RunFile runFile;
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, ManagedProcess> services = new HashMap<>();
    private final List<String> gatewayNames = new ArrayList<>();
    private ManagedProcess kafka;
    private PostgresServer postgres;
    private OneOriginProxy proxy;

    /** The gateways' client secret (auth-service's client notify-gateway): generated once per data dir, never in git. */
    private final String gatewayClientSecret;

    private Suite(Config config) {
        this.config = config;
        this.runFile = new RunFile(config.dataDir().resolve("run/pids"));
        this.gatewayClientSecret = gatewayClientSecret(config.dataDir().resolve("secrets/gateway-client-secret"));
    }

    /** The secret kept in {@code file}, created (readable by its owner only) when there is none. */
    static String gatewayClientSecret(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).trim();
            }
            byte[] bytes = new byte[32];
            new java.security.SecureRandom().nextBytes(bytes);
            String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(file.getParent());
            Files.writeString(file, secret);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("The gateways' client secret could not be kept in " + file, e);
        }
    }

    public static Suite start(Config config) {
        Suite suite = new Suite(config);
        try {
            suite.startAll();
            return suite;
        } catch (RuntimeException | Error e) {
            suite.close();
            throw e;
        }
    }

    private void startAll() {
        runFile.killLeftovers();
        startPostgres();
        startKafka();
        Topics.create(kafkaBootstrap());

        ports.put("auth-service", Ports.orFree(config.authPort()));
        ports.put("notification-service", Ports.orFree(config.notificationPort()));
        for (int i = 0; i < config.gatewayPorts().size(); i++) {
            String name = config.gatewayPorts().size() == 1 ? "gateway-service" : "gateway-service-" + (char) ('a' + i);
            gatewayNames.add(name);
            ports.put(name, Ports.orFree(config.gatewayPorts().get(i)));
        }
        // services start concurrently: none needs another to be up (the JWKS is fetched lazily)
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        starting.add(CompletableFuture.runAsync(() -> startService("auth-service")));
        starting.add(CompletableFuture.runAsync(() -> startService("notification-service")));
        for (String gateway : gatewayNames) {
            starting.add(CompletableFuture.runAsync(() -> startService(gateway)));
        }
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        proxy = OneOriginProxy.start(config.proxyPort(), port("auth-service"), port("notification-service"),
                gatewayNames.stream().map(this::port).toList(), config.staticRoot());
    }

    private void startPostgres() {
        postgres = PostgresServer.start(config.dataDir().resolve("postgres"), config.postgresPort());
        runFile.record("postgres", postgres.process().pid());
        postgres.createDatabase("auth");
        postgres.createDatabase("notification");
    }

    /**
     * Restarts PostgreSQL on the same data dir and port after {@link #postgres()}{@code .kill()}: crash
     * recovery replays the WAL, and the services reconnect to the address they already know.
     */
    public void restartPostgres() {
        postgres = PostgresServer.start(config.dataDir().resolve("postgres"), postgres.port());
        runFile.record("postgres", postgres.process().pid());
    }

    /** Starts (or, after {@link #kafka()}{@code .kill()}, restarts) the broker on its data dir and port. */
    public void startKafka() {
        int port = kafka == null ? Ports.orFree(config.kafkaPort()) : ports.get("kafka");
        ports.put("kafka", port);
        kafka = ManagedProcess.start("kafka",
                ManagedProcess.javaCommand(List.of("-Xmx512m"), ManagedProcess.currentClasspath(),
                        "io.notify.infra.kafka.KafkaBrokerMain",
                        List.of("--data-dir", config.dataDir().resolve("kafka").toString(), "--port", String.valueOf(port))),
                Map.of(), config.dataDir().resolve("logs/kafka.log"), line -> line.startsWith("KAFKA READY"),
                READY_TIMEOUT);
        runFile.record("kafka", kafka.pid());
    }

    /**
     * Starts (or restarts, after a kill) one service from its packaged jar, or its native executable, and
     * waits until it is ready.
     */
    /**
     * Starts one more notification-service instance (on a free port, same database, Kafka and settings), named
     * {@code notification-service-b}, {@code -c}, …: what a second replica does. The one origin keeps routing to the
     * first; reach this one at {@link #uri(String)}. Stop it with {@link #service(String)}.
     */
    public String startNotificationServiceInstance() {
        String name;
        synchronized (ports) {
            char next = 'b';
            while (ports.containsKey("notification-service-" + next)) {
                next++;
            }
            name = "notification-service-" + next;
            ports.put(name, Ports.orFree(0));
        }
        startService(name);
        return name;
    }

    public void startService(String name) {
        String module = name.startsWith("gateway-service") ? "gateway-service"
                : name.startsWith("notification-service") ? "notification-service" : name;
        List<String> command = config.nativeExecutables()
                ? List.of(nativeExecutable(config.repoRoot().resolve(module)).toString())
                : ManagedProcess.javaJarCommand(config.jvmOptions(), packagedJar(config.repoRoot().resolve(module)),
                        List.of());
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", config.profile());
        env.put("PORT", String.valueOf(port(name)));
        env.put("NOTIFY_DATA_DIR", config.dataDir().toAbsolutePath().toString());
        env.put("NOTIFY_JWKS_URL", "http://127.0.0.1:" + port("auth-service") + "/api/auth/jwks");
        env.put("NOTIFY_AUTH_URL", "http://127.0.0.1:" + port("auth-service"));
        env.put("NOTIFY_NOTIFICATION_SERVICE_URL", "http://127.0.0.1:" + port("notification-service"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap());
        if (!module.equals("notification-service")) {
            env.put("NOTIFY_GATEWAY_CLIENT_SECRET", gatewayClientSecret); // auth-service checks it, gateways present it
        }
        if (!module.equals("gateway-service")) {
            String db = module.equals("auth-service") ? "auth" : "notification";
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(db));
            env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        }
        env.putAll(config.serviceEnv());
        ManagedProcess process = ManagedProcess.start(name, command, env, config.repoRoot(),
                config.dataDir().resolve("logs/" + name + ".log"), null, READY_TIMEOUT);
        synchronized (services) {
            services.put(name, process);
        }
        runFile.record(name, process.pid());
        awaitReady(name, process);
    }

    private static Path packagedJar(Path module) {
        Path jar = module.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -DskipTests install");
        }
        return jar;
    }

    /** The executable {@code ./mvnw package -Pnative} writes: {@code target/<artifact>-<version>-runner}. */
    static Path nativeExecutable(Path module) {
        try (var files = Files.list(module.resolve("target"))) {
            List<Path> runners = files.filter(f -> f.getFileName().toString().endsWith("-runner")
                    && Files.isRegularFile(f) && Files.isExecutable(f)).toList();
            if (runners.size() != 1) {
                throw new IllegalStateException("Expected one native executable target/*-runner in " + module
                        + ", found " + runners + ": build with ./mvnw -DskipTests install -Pnative");
            }
            return runners.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("No native executable in " + module.resolve("target")
                    + ": build with ./mvnw -DskipTests install -Pnative", e);
        }
    }

    private void awaitReady(String name, ManagedProcess process) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + port(name) + "/q/health/ready");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; last lines of "
                        + process.logFile() + ":\n" + String.join("\n", process.lastLines(40)));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException(name + " not ready within " + READY_TIMEOUT + "; see " + process.logFile());
    }

    public int port(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("No such part: " + name);
        }
        return port;
    }

    public URI origin() {
        return URI.create("http://127.0.0.1:" + proxy.port());
    }

    public URI uri(String service) {
        return URI.create("http://127.0.0.1:" + port(service));
    }

    public List<String> gateways() {
        return List.copyOf(gatewayNames);
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + ports.get("kafka");
    }

    public ManagedProcess kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public ManagedProcess service(String name) {
        synchronized (services) {
            return services.get(name);
        }
    }

    public Config config() {
        return config;
    }

    /** Stops everything, in reverse order of start. */
    @Override
    public void close() {
        List<Runnable> steps = new ArrayList<>();
        if (proxy != null) {
            steps.add(proxy::close);
        }
        synchronized (services) {
            services.values().forEach(p -> steps.add(() -> p.stop(Duration.ofSeconds(20))));
        }
        if (kafka != null) {
            steps.add(() -> kafka.stop(Duration.ofSeconds(30)));
        }
        if (postgres != null) {
            steps.add(postgres::close);
        }
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                System.err.println("While stopping: " + e);
            }
        }
        runFile.clear();
    }

    /**
     * PIDs of what this suite started, so that a launcher killed with -9 leaves nothing that blocks
     * the next start: leftovers are stopped first.
     */
    static final class RunFile {
        private final Path file;

        RunFile(Path file) {
            this.file = file;
        }

        synchronized void record(String name, long pid) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, name + " " + pid + "\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void killLeftovers() {
            if (!Files.exists(file)) {
                return;
            }
            try {
                List<String> lines = new ArrayList<>(Files.readAllLines(file));
                java.util.Collections.reverse(lines); // services before the infrastructure they hold connections to
                for (String line : lines) {
                    String[] parts = line.trim().split(" ");
                    if (parts.length != 2) {
                        continue;
                    }
                    ProcessHandle.of(Long.parseLong(parts[1]))
                            .filter(p -> p.info().commandLine().map(RunFile::isOurs).orElse(false))
                            .ifPresent(p -> {
                                System.err.println("Stopping leftover " + parts[0] + " (pid " + p.pid() + ")");
                                p.destroy();
                                try {
                                    p.onExit().get(30, TimeUnit.SECONDS);
                                } catch (Exception e) {
                                    p.destroyForcibly();
                                }
                            });
                }
                Files.delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static boolean isOurs(String commandLine) {
            return commandLine.contains("quarkus-run.jar") || commandLine.contains("-runner")
                    || commandLine.contains("KafkaBrokerMain")
                    || commandLine.contains("postgres");
        }

        void clear() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // nothing left to protect against
            }
        }
    }
}
