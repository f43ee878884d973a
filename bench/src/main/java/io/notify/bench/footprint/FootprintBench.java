package io.notify.bench.footprint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import io.notify.bench.BenchStack;
import io.notify.infra.Ports;
import io.notify.infra.process.ManagedProcess;

/**
 * Issue 21's "measured, not typical": per service, its JVM build (the packaged {@code quarkus-app}, run with its
 * image's JVM flags) beside its native executable: build time, size, time from the spawn to the first 200 from
 * {@code /q/health/ready} over several starts, RSS at ready and after the requests, and the request times of a
 * simple authenticated request on the cold process and after it, against the bench's own PostgreSQL and Kafka.
 * A floor in the same run (a bare Vert.x server in a process of its own, {@link FloorServer}) gets the same
 * starts and requests from the same client, so that the figures can be read on a noisy 2-core VM.
 *
 * <p>Options: {@code --starts 10 --requests 1000 --warm-requests <requests>
 * --services auth-service,notification-service,gateway-service --modes jvm,native --poll-ms 2 --max-ram 512m
 * --build --toolchain ~/.cache/notify/native-toolchain --native-java-home /usr/lib/jvm/temurin-25-jdk-amd64
 * --executables <another checkout> --keep-logs}.
 * See bench/README.md ("Footprint benchmark").
 */
public final class FootprintBench implements BenchStack.Bench {

    private static final List<String> FLOOR_JVM = List.of("-XX:+UseSerialGC", "-Xmx64m");
    private static final Pattern STARTED_IN = Pattern.compile("started in (\\d+\\.\\d+)s");
    /** A request slower than this is listed by its number in the start's line. */
    private static final long SLOW_NANOS = 1_000_000_000L;
    private static final Pattern ERROR_LINE = Pattern.compile("\\sERROR\\s");

    record Options(int starts, int requests, int warmRequests, List<Service> services, List<Mode> modes,
            boolean build, double pollMillis, long maxRamBytes, Path toolchain, Path nativeJavaHome, Path executables,
            boolean keepLogs) {

        static Options parse(String[] args) {
            Map<String, String> v = new HashMap<>();
            boolean build = false;
            boolean keepLogs = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--build")) {
                    build = true;
                } else if (args[i].equals("--keep-logs")) {
                    keepLogs = true;
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    v.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("Unknown argument " + args[i] + "; see bench/README.md");
                }
            }
            int requests = Integer.parseInt(v.getOrDefault("requests", "1000"));
            List<Service> services = Stream.of(v.getOrDefault("services",
                    "auth-service,notification-service,gateway-service").split(",")).map(Service::of).toList();
            List<Mode> modes = Stream.of(v.getOrDefault("modes", "jvm,native").split(","))
                    .map(m -> Mode.valueOf(m.trim().toUpperCase(Locale.ROOT))).sorted().distinct().toList();
            Options o = new Options(Integer.parseInt(v.getOrDefault("starts", "10")), requests,
                    Integer.parseInt(v.getOrDefault("warm-requests", String.valueOf(requests))), services, modes, build,
                    Double.parseDouble(v.getOrDefault("poll-ms", "2")), bytes(v.getOrDefault("max-ram", "512m")),
                    Path.of(v.getOrDefault("toolchain", System.getProperty("user.home") + "/.cache/notify/native-toolchain")),
                    Path.of(v.getOrDefault("native-java-home", "/usr/lib/jvm/temurin-25-jdk-amd64")),
                    v.containsKey("executables") ? Path.of(v.get("executables")).toAbsolutePath().normalize() : null,
                    keepLogs);
            v.keySet().removeAll(Set.of("starts", "requests", "warm-requests", "services", "modes", "poll-ms",
                    "max-ram", "toolchain", "native-java-home", "executables"));
            if (!v.isEmpty() || o.starts() < 1 || o.requests() < 1) {
                throw new IllegalArgumentException("Unknown options " + v.keySet() + " (or --starts / --requests < 1); see bench/README.md");
            }
            return o;
        }

        private static long bytes(String size) {
            String s = size.trim().toLowerCase(Locale.ROOT);
            long unit = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : s.endsWith("k") ? 1L << 10 : 1;
            return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
        }
    }

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<Service, Map<Mode, Figures>> measured = new EnumMap<>(Service.class);
    private final Map<Service, Figures> floor = new EnumMap<>(Service.class);
    private final Map<Service, Path> apps = new EnumMap<>(Service.class);
    private final Map<Service, Path> executables = new EnumMap<>(Service.class);
    private final Map<Service, Set<Mode>> available = new EnumMap<>(Service.class);
    private final List<String> phases = new ArrayList<>();
    private BenchStack stack;
    private Builds builds;
    private Launcher launcher;
    private URI store;
    private ManagedProcess current;
    private boolean closed;

    private FootprintBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        // with --build the jars are made by the run; the gateway needs notification-service's for its store calls
        Set<String> jars = new LinkedHashSet<>();
        if (!options.build()) {
            options.services().stream().filter(s -> options.modes().contains(Mode.JVM)).forEach(s -> jars.add(s.module));
            if (options.services().contains(Service.GATEWAY)) {
                jars.add(Service.NOTIFICATION.module);
            }
        }
        BenchStack.main("bench/native/run.sh", List.copyOf(jars),
                () -> new BenchStack(BenchStack.repoRoot(), "footprint-bench"), new FootprintBench(options));
    }

    @Override
    public String reportName() {
        return "footprint-bench";
    }

    // ------------------------------------------------------------------ run

    @Override
    public void run(BenchStack stack) throws Exception {
        this.stack = stack;
        Path repo = stack.repo();
        builds = new Builds(repo, options.toolchain(), options.nativeJavaHome());
        launcher = new Launcher(http, options.pollMillis(), BenchStack.START_TIMEOUT);
        line("Footprint benchmark (JVM beside native), " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        line(BenchStack.machine());
        line("load average at start (1/5/15 min): " + BenchStack.loadAverage());
        line(String.format(Locale.ROOT, "%d starts per service and mode, %d cold + %d warm requests per start, "
                + "readiness polled every %s ms; memory as under a %s limit (-XX:MaxRAM); work dir %s", options.starts(),
                options.requests(), options.warmRequests(), options.pollMillis(),
                options.maxRamBytes() > 0 ? options.maxRamBytes() / (1 << 20) + " MiB" : "no", stack.work()));
        warnIfNativeBuildRuns();

        if (options.build()) {
            for (Mode mode : options.modes()) {
                for (Service service : options.services()) {
                    if (!builds.build(service, mode, this::line)) {
                        throw new IllegalStateException("the build of " + service.module + " " + mode.label
                                + " failed: its target/ may hold an older build, which is not measured");
                    }
                }
            }
        }
        findBuilds(repo);
        stack.startInfrastructure();
        stack.postgres().createDatabase("auth");
        for (Service service : options.services()) {
            if (!available.get(service).isEmpty()) {
                phase(service);
            }
        }
        printTables();
        stack.writeReport(reportName());
        if (options.keepLogs()) {
            stack.keepLogs(reportName());
        }
    }

    /** Which builds exist; private copies of them (a rebuild during the run must not change what is measured). */
    private void findBuilds(Path repo) throws IOException, InterruptedException {
        boolean nativeWanted = options.modes().contains(Mode.NATIVE);
        List<String> missing = new ArrayList<>();
        for (Service service : options.services()) {
            Set<Mode> modes = EnumSet.noneOf(Mode.class);
            if (options.modes().contains(Mode.JVM) && Files.isRegularFile(service.quarkusApp(repo).resolve("quarkus-run.jar"))) {
                modes.add(Mode.JVM);
                apps.put(service, stack.copyApp(service.module));
            }
            Path executable = service.nativeExecutable(options.executables() != null ? options.executables() : repo);
            if (nativeWanted && Files.isExecutable(executable)) {
                modes.add(Mode.NATIVE);
                Path copy = stack.work().resolve("native").resolve(executable.getFileName());
                Files.createDirectories(copy.getParent());
                executables.put(service, Files.copy(executable, copy, StandardCopyOption.COPY_ATTRIBUTES));
                line(service.module + " native: " + executable + " (" + Files.getLastModifiedTime(executable) + ")");
            } else if (nativeWanted) {
                missing.add(executable.toString());
            }
            available.put(service, modes);
            measured.put(service, new EnumMap<>(Mode.class));
            modes.forEach(m -> measured.get(service).put(m, new Figures()));
        }
        if (options.services().contains(Service.GATEWAY) && !apps.containsKey(Service.NOTIFICATION)) {
            apps.put(Service.NOTIFICATION, stack.copyApp(Service.NOTIFICATION.module));
        }
        if (!missing.isEmpty()) {
            line("");
            line("NATIVE EXECUTABLES MISSING: " + String.join(", ", missing) + ". Those services are measured on the JVM only;");
            line("build them with JAVA_HOME=" + options.nativeJavaHome() + " ./mvnw -B -DskipTests package -Pnative -pl <service> "
                    + "-Dquarkus.native.graalvm-home=" + options.toolchain() + " (one at a time), or run this with --build.");
        }
    }

    /** All starts of one service: a first start (not counted), then rounds of floor, JVM, native. */
    private void phase(Service service) throws Exception {
        long[] ticks = BenchStack.machineTicks();
        long begin = System.nanoTime();
        line("");
        line("== " + service.module + ": one request = " + Probe.of(service, http, false).describe());
        warnIfNativeBuildRuns();
        ManagedProcess storeProcess = null;
        if (service == Service.GATEWAY) {
            // the gateway loads each socket user's preferences from notification-service: a warmed JVM one, the same for both modes
            List<String> flags = jvmFlags(Service.NOTIFICATION);
            store = stack.startNotificationService(apps.get(Service.NOTIFICATION), flags);
            storeProcess = stack.service();
            Probe preferences = Probe.get(http, "/api/notifications/preferences");
            preferences.prepare(store);
            for (int i = 0; i < options.requests() + options.warmRequests(); i++) {
                preferences.once(store);
            }
            line("notification-service for the gateway's preference loads: JVM, image flags, warmed with "
                    + (options.requests() + options.warmRequests()) + " GET /api/notifications/preferences");
        }
        Mode firstMode = available.get(service).iterator().next();
        Launcher.Started first = measure(service, firstMode, null, "first");
        line(String.format(Locale.ROOT, "%s %s first start%s: ready after %s ms (not counted; its requests warmed the bench's client)",
                service.module, firstMode.label, service.database == null ? ""
                        : " on an empty database (Flyway migrations" + (service == Service.AUTH
                                ? ", test users seeded, signing key generated)" : ")"),
                Table.ms(first.readyNanos() / 1000.0)));
        measure(service, null, null, "first");
        Figures floorFigures = new Figures();
        floor.put(service, floorFigures);
        for (int round = 1; round <= options.starts(); round++) {
            measure(service, null, floorFigures, String.valueOf(round));
            for (Mode mode : available.get(service)) {
                measure(service, mode, measured.get(service).get(mode), String.valueOf(round));
            }
        }
        if (storeProcess != null) {
            storeProcess.stop(Duration.ofSeconds(20));
        }
        String phase = String.format(Locale.ROOT, "%s: %.0f s, %s; load average %s", service.module,
                BenchStack.seconds(begin), BenchStack.machineSince(ticks), BenchStack.loadAverage());
        phases.add(phase);
        line(phase);
    }

    /**
     * One start of {@code service} in {@code mode} (null: its floor): time to ready, then the cold and the warm
     * requests, RSS after each; recorded into {@code into} (null: not counted). Returns the start.
     */
    private Launcher.Started measure(Service service, Mode mode, Figures into, String tag) throws Exception {
        int port = Ports.freePort();
        String name = mode == null ? "floor-for-" + service.module : service.module + "-" + mode.label;
        List<String> command;
        Map<String, String> env;
        if (mode == null) {
            command = ManagedProcess.javaCommand(FLOOR_JVM, ManagedProcess.currentClasspath(),
                    FloorServer.class.getName(), List.of(String.valueOf(port)));
            env = Map.of();
        } else {
            env = serviceEnv(service, port);
            command = mode == Mode.JVM
                    ? ManagedProcess.javaJarCommand(jvmFlags(service), apps.get(service).resolve("quarkus-run.jar"), List.of())
                    : Stream.concat(Stream.of(executables.get(service).toString()), maxRam().stream()).toList();
        }
        Launcher.Started started = launcher.start(name, command, env, stack.work(),
                stack.work().resolve("logs/" + name + "-" + tag + ".log"), port, this::track);
        long pid = started.process().pid();
        Probe probe = Probe.of(service, http, mode == null);
        Histogram cold = new Histogram(3);
        Histogram warm = new Histogram(3);
        long login;
        long firstNanos = 0;
        long rssCold = -1;
        long rssWarm;
        List<String> slow = new ArrayList<>();
        Map<Path, Long> libraries = Map.of();
        try {
            login = probe.prepare(started.base());
            for (int i = 0; i < options.requests() + options.warmRequests(); i++) {
                if (i == options.requests()) {
                    rssCold = BenchStack.rssKb(pid);
                }
                long nanos = probe.once(started.base());
                firstNanos = i == 0 ? nanos : firstNanos;
                (i < options.requests() ? cold : warm).recordValue(nanos / 1000);
                if (nanos > SLOW_NANOS) {
                    slow.add("#" + (i + 1) + " " + Table.ms(nanos / 1000.0) + " ms");
                }
            }
            rssWarm = BenchStack.rssKb(pid);
            if (mode == Mode.NATIVE) {
                libraries = Launcher.foreignLibraries(pid);
            }
        } finally {
            started.process().stop(Duration.ofSeconds(20));
            track(null);
        }
        List<String> log = Files.readAllLines(started.process().logFile(), StandardCharsets.ISO_8859_1);
        long errors = log.stream().filter(l -> ERROR_LINE.matcher(l).find()).count();
        long startedIn = log.stream().map(STARTED_IN::matcher).filter(Matcher::find)
                .mapToLong(m -> Math.round(Double.parseDouble(m.group(1)) * 1e6)).findFirst().orElse(-1);
        if (into != null) {
            into.ready.recordValue(started.readyNanos() / 1000);
            into.cpuAtReady.recordValue(started.cpuMicros());
            if (startedIn >= 0) {
                into.startedIn.recordValue(startedIn);
            }
            into.rssReady.recordValue(started.rssKb());
            into.rssCold.recordValue(rssCold);
            into.rssWarm.recordValue(rssWarm);
            into.first.recordValue(firstNanos / 1000);
            into.cold.add(cold);
            into.warm.add(warm);
            if (login >= 0) {
                into.login.recordValue(login / 1000);
            }
            into.errorLines += errors;
            if (into.sizeBytes < 0) {
                into.sizeBytes = mode == null ? 0 : mode == Mode.JVM ? treeSize(apps.get(service)) : Files.size(executables.get(service));
                into.libraries = libraries;
            }
            line(String.format(Locale.ROOT, "  %-7s #%-2s ready %7s ms (CPU %6s ms%s; the bench's %s ms), RSS %6s / %6s / %6s MB, "
                    + "cold p50/p99 %s ms, warm %s ms, first %s ms%s%s%s",
                    mode == null ? "floor" : mode.label, tag, Table.ms(started.readyNanos() / 1000.0),
                    Table.ms(started.cpuMicros()), startedIn < 0 ? "" : ", started in " + Table.ms(startedIn) + " ms",
                    Table.ms(started.benchCpuMicros()),
                    Table.mb(started.rssKb()), Table.mb(rssCold), Table.mb(rssWarm), Figures.p50p99(cold),
                    Figures.p50p99(warm), Table.ms(firstNanos / 1000.0),
                    login < 0 ? "" : ", login " + Table.ms(login / 1000.0) + " ms",
                    errors == 0 ? "" : ", " + errors + " ERROR lines in " + started.process().logFile(),
                    slow.isEmpty() ? "" : "; over 1 s: " + String.join(", ", slow.subList(0, Math.min(8, slow.size())))
                            + (slow.size() > 8 ? " and " + (slow.size() - 8) + " more" : "")));
        }
        return started;
    }

    /** The environment of every start: the benches' (BenchStack.serviceEnv) plus the service's database and peers. */
    private Map<String, String> serviceEnv(Service service, int port) {
        Map<String, String> env = service == Service.GATEWAY ? stack.gatewayEnv(port) : stack.serviceEnv(port);
        if (service.database != null) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", stack.postgres().jdbcUrl(service.database));
            env.put("QUARKUS_DATASOURCE_USERNAME", stack.postgres().username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", stack.postgres().password());
        }
        if (service == Service.AUTH) {
            // as k8s/base sets it (a CIDR): the default list's "0:0:0:0:0:0:0:1" is read as host "0:0:0:0:0:0:0",
            // port 1, which costs a DNS query per request (5 s whenever its UDP answer is lost)
            env.put("NOTIFY_TRUSTED_PROXIES", "127.0.0.0/8");
        }
        if (service == Service.NOTIFICATION) {
            // nothing listens there: the unread count never asks auth-service
            env.put("NOTIFY_AUTH_URL", "http://127.0.0.1:" + Ports.freePort());
        }
        if (service == Service.GATEWAY) {
            env.put("NOTIFY_NOTIFICATION_SERVICE_URL", store.toString());
        }
        return env;
    }

    private List<String> jvmFlags(Service service) throws IOException {
        List<String> flags = new ArrayList<>(service.imageJvmFlags(stack.repo()));
        flags.addAll(maxRam());
        return flags;
    }

    /** A container memory limit as the JVM and a native executable size their heaps from it. */
    private List<String> maxRam() {
        return options.maxRamBytes() > 0 ? List.of("-XX:MaxRAM=" + options.maxRamBytes()) : List.of();
    }

    private void warnIfNativeBuildRuns() {
        Builds.nativeBuildRunning().ifPresent(pid -> line("WARNING: a native-image build (pid " + pid
                + ") is running on this machine: it takes both cores, so every figure of this run is disturbed"));
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    // ------------------------------------------------------------------ output

    private void printTables() throws IOException {
        List<Table> tables = new ArrayList<>();
        Table build = new Table("build time (--build: `" + String.join(" ", builds.command(Service.AUTH, Mode.JVM))
                .replace(Service.AUTH.module, "<service>") + "`; native: with -Pnative and the toolchain, one at a time), "
                + "with the builder's peak RSS and the date of the build", "service", "JVM", "native", "native/JVM");
        for (Service s : options.services()) {
            build.row(s.module, builds.describe(s, Mode.JVM), builds.describe(s, Mode.NATIVE),
                    Table.ratio(builds.seconds(s, Mode.NATIVE), builds.seconds(s, Mode.JVM)));
        }
        tables.add(build);

        Table size = new Table("size, MB (JVM: all of target/quarkus-app, without the Java runtime it needs; native: the "
                + "executable alone, and beside it the JDK libraries it maps at run time from outside the system's folders)",
                "service", "JVM", "native", "native/JVM", "native also maps");
        for (Service s : options.services()) {
            Figures j = figures(s, Mode.JVM);
            Figures n = figures(s, Mode.NATIVE);
            size.row(s.module, j == null ? Table.NONE : Table.mb(j.sizeBytes / 1024.0),
                    n == null ? Table.NONE : Table.mb(n.sizeBytes / 1024.0),
                    j == null || n == null ? Table.NONE : Table.ratio(n.sizeBytes, j.sizeBytes),
                    n == null ? Table.NONE : libraries(n.libraries));
        }
        tables.add(size);

        tables.add(spread("time from spawn to the first 200 from /q/health/ready, ms: median (min-max) of the starts",
                f -> f.ready, Table::ms, true));
        tables.add(spread("CPU time (utime+stime) the process had used by then, ms", f -> f.cpuAtReady, Table::ms, true));
        tables.add(spread("Quarkus' own \"started in\" (its log), ms", f -> f.startedIn, Table::ms, false));
        tables.add(spread("RSS at ready, MB", f -> f.rssReady, Table::mb, true));
        tables.add(spread("RSS after " + options.requests() + " requests (cold process), MB", f -> f.rssCold, Table::mb, true));
        tables.add(spread("RSS after " + options.warmRequests() + " more (warm), MB", f -> f.rssWarm, Table::mb, true));
        tables.add(latency("request p50 / p99, ms, over the first " + options.requests() + " requests of every start "
                + "(the cold process: what a fresh pod serves), pooled", f -> f.cold));
        tables.add(latency("request p50 / p99, ms, over the " + options.warmRequests() + " requests after those (warm), pooled",
                f -> f.warm));
        tables.add(spread("the first request after ready, ms", f -> f.first, Table::ms, true));
        if (options.services().contains(Service.AUTH)) {
            tables.add(new Table("auth-service's login (POST /api/auth/login, before its first request), ms", "mode",
                    "median (min-max)")
                    .row("JVM", figures(Service.AUTH, Mode.JVM) == null ? Table.NONE
                            : Figures.spread(figures(Service.AUTH, Mode.JVM).login, Table::ms))
                    .row("native", figures(Service.AUTH, Mode.NATIVE) == null ? Table.NONE
                            : Figures.spread(figures(Service.AUTH, Mode.NATIVE).login, Table::ms)));
        }
        line("");
        line("======== results");
        line(BenchStack.machine());
        phases.forEach(p -> line("phase " + p));
        for (Service s : options.services()) {
            line("one " + s.module + " request: " + Probe.of(s, http, false).describe());
        }
        line("floor: " + String.join(" ", FLOOR_JVM) + " FloorServer (bare Vert.x on 127.0.0.1): the same starts and "
                + "requests (for the gateway the same WebSocket session), from the same client, in the same rounds");
        for (Service s : options.services()) {
            available.getOrDefault(s, Set.of()).forEach(m -> {
                long errors = figures(s, m).errorLines;
                if (errors > 0) {
                    line("NOTE: " + s.module + " " + m.label + " logged " + errors + " ERROR lines (with --keep-logs the "
                            + "logs of every start are kept in bench/target/footprint-bench-logs)");
                }
            });
        }
        tables.forEach(t -> t.lines().forEach(this::line));
    }

    /** A per-start figure: median (min-max), JVM beside native, and the floor. */
    private Table spread(String title, Function<Figures, Histogram> figure, Function<Double, String> format,
            boolean withFloor) {
        Table t = withFloor
                ? new Table(title, "service", "JVM", "native", "native/JVM", "floor", "JVM/floor", "native/floor")
                : new Table(title, "service", "JVM", "native", "native/JVM");
        for (Service s : options.services()) {
            Histogram j = histogram(figures(s, Mode.JVM), figure);
            Histogram n = histogram(figures(s, Mode.NATIVE), figure);
            Histogram f = histogram(floor.get(s), figure);
            List<String> row = new ArrayList<>(List.of(s.module, Figures.spread(j, format), Figures.spread(n, format),
                    Table.ratio(Figures.median(n), Figures.median(j))));
            if (withFloor) {
                row.addAll(List.of(Figures.spread(f, format), Table.ratio(Figures.median(j), Figures.median(f)),
                        Table.ratio(Figures.median(n), Figures.median(f))));
            }
            t.row(row.toArray(String[]::new));
        }
        return t;
    }

    /** Pooled request times: p50 / p99, JVM beside native, and the floor. */
    private Table latency(String title, Function<Figures, Histogram> figure) {
        Table t = new Table(title, "service", "JVM", "native", "native/JVM", "floor", "JVM/floor", "native/floor");
        for (Service s : options.services()) {
            Histogram j = histogram(figures(s, Mode.JVM), figure);
            Histogram n = histogram(figures(s, Mode.NATIVE), figure);
            Histogram f = histogram(floor.get(s), figure);
            t.row(s.module, Figures.p50p99(j), Figures.p50p99(n), Figures.p50p99Ratio(n, j), Figures.p50p99(f),
                    Figures.p50p99Ratio(j, f), Figures.p50p99Ratio(n, f));
        }
        return t;
    }

    private Figures figures(Service service, Mode mode) {
        return measured.getOrDefault(service, Map.of()).get(mode);
    }

    private static Histogram histogram(Figures figures, Function<Figures, Histogram> figure) {
        return figures == null ? new Histogram(3) : figure.apply(figures);
    }

    /** "11.9 MB: libjava.so 1.2, ... (in /dir)". */
    private static String libraries(Map<Path, Long> libraries) {
        if (libraries.isEmpty()) {
            return Table.NONE;
        }
        long total = libraries.values().stream().mapToLong(Long::longValue).sum();
        return Table.mb(total / 1024.0) + " MB in " + libraries.keySet().stream().map(p -> p.getParent().toString())
                .distinct().collect(Collectors.joining(", ")) + ": " + libraries.entrySet().stream()
                .map(e -> e.getKey().getFileName() + " " + Table.mb(e.getValue() / 1024.0)).collect(Collectors.joining(", "));
    }

    private void line(String text) {
        stack.line(text);
    }

    /** The measured process now running (null: none), or an exception once the bench is being stopped. */
    private synchronized void track(ManagedProcess process) {
        if (closed && process != null) {
            throw new IllegalStateException("the benchmark is being stopped");
        }
        current = process;
    }

    /** Stops a build or a measured process still running (the stack stops the rest). Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (builds != null) {
            builds.close();
        }
        if (current != null) {
            current.stop(Duration.ofSeconds(20));
        }
    }
}
