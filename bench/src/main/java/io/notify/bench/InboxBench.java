package io.notify.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.notify.infra.postgres.PostgresServer;
import io.notify.infra.test.TestTokens;

/**
 * Inbox latency benchmark: seeds 1,000,000 notifications for 10,000 users in 10 companies into a
 * fresh PostgreSQL, starts the PACKAGED notification-service against it (plus the Kafka broker it
 * needs to start), and measures over HTTP, sequentially on one keep-alive connection, the
 * client-side latency of an inbox page, the next page, an unread-only page and the unread count
 * for random users. Afterwards it logs the real plans of those requests (auto_explain with
 * ANALYZE and BUFFERS). Everything it started is stopped and its temp dir deleted at the end.
 *
 * <p>Options: {@code --notifications N --companies N --users-per-company N --warmup N --requests N
 * --phase-seconds N --seed N --service-jvm FLAG,FLAG... --no-explain --pg-stats}; without {@code --service-jvm} the service
 * runs with its image's JVM flags.
 */
public final class InboxBench implements BenchStack.Bench {

    private static final double TARGET_MS = 10.0;
    /**
     * The heap the service's image gets in Kubernetes: run-java.sh's {@code -XX:MaxRAMPercentage=80} of the 512Mi limit
     * in k8s/base/notification-service/deployment.yaml (here, without a container limit, the percentage would take
     * the host's RAM).
     */
    private static final String IMAGE_HEAP = "-Xmx410m";
    private static final int SLOW_MS = 20;
    private static final List<String> GROUPS = List.of("plain", "admin", "watermark", "muted type", "topics");
    private static final Pattern NEXT_CURSOR = Pattern.compile("\"next_cursor\":\"([^\"]+)\"");
    private static final Pattern ITEM = Pattern.compile("\"created_at\":");
    private static final Pattern CAPPED = Pattern.compile("\"capped\":true");
    private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");
    private static final Pattern GC_PAUSE = Pattern.compile("Pause.* (\\d+)M->(\\d+)M\\(\\d+M\\) (\\d+\\.\\d+)ms");

    enum Kind {
        PAGE("GET /api/notifications?limit=50", "/api/notifications?limit=50"),
        NEXT_PAGE("GET /api/notifications?limit=50&cursor=<next>", "/api/notifications?limit=50&cursor="),
        UNREAD_PAGE("GET /api/notifications?limit=50&unread=true", "/api/notifications?limit=50&unread=true"),
        UNREAD_COUNT("GET /api/notifications/unread-count", "/api/notifications/unread-count");

        final String label;
        final String path;

        Kind(String label, String path) {
            this.label = label;
            this.path = path;
        }
    }

    record Options(int notifications, int companies, int usersPerCompany, int warmup, int requests,
            Duration phaseBudget, long seed, List<String> serviceJvm, boolean explain, boolean pgStats) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            boolean explain = true;
            boolean pgStats = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--no-explain")) {
                    explain = false;
                } else if (args[i].equals("--pg-stats")) {
                    pgStats = true;
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    values.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("Unknown argument " + args[i] + "; see InboxBench's javadoc");
                }
            }
            Options o = new Options(get(values, "notifications", 1_000_000), get(values, "companies", 10),
                    get(values, "users-per-company", 1_000), get(values, "warmup", 16_000),
                    get(values, "requests", 5_000), Duration.ofSeconds(get(values, "phase-seconds", 120)),
                    get(values, "seed", 42), values.containsKey("service-jvm") ? List.of(values.get("service-jvm").split(",")) : List.of(), explain,
                    pgStats);
            values.remove("service-jvm");
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("Unknown options " + values.keySet() + "; see InboxBench's javadoc");
            }
            if (o.usersPerCompany < 5) {
                throw new IllegalArgumentException("--users-per-company must be at least 5");
            }
            return o;
        }

        private static int get(Map<String, String> values, String key, int fallback) {
            String v = values.remove(key);
            return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
        }
    }

    /** A user as their token describes them. */
    record User(String id, String username, String company, Set<String> roles) {
        static User of(int company, int index) {
            return new User(Seeder.userId(company, index), "u" + company + "." + index, Seeder.company(company),
                    Seeder.isAdmin(index) ? Set.of("user", "admin") : Set.of("user"));
        }
    }

    private final Options options;
    private final Map<String, String[]> tokens = new HashMap<>();
    private final Set<String> watermarkUsers = new HashSet<>();
    private final Set<String> mutedUsers = new HashSet<>();
    private final Set<String> topicUsers = new HashSet<>();
    private final Map<String, Latencies> byGroup = new HashMap<>();
    /** Every measured request of the four kinds, in order: does the service still warm up during the measurement? */
    private final Latencies timeline = new Latencies();
    /** The floor: the same client fetching a real page's body from a bare JDK HTTP server, in the same rounds. */
    private final Latencies floor = new Latencies();
    private com.sun.net.httpserver.HttpServer bare;
    private URI bareBase;
    private volatile byte[] bareBody = new byte[0];
    private BenchStack stack;
    private Path work;
    private PostgresServer postgres;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private URI base;

    private InboxBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        BenchStack.main("bench/run.sh", List.of("notification-service"),
                () -> new BenchStack(BenchStack.repoRoot(), "bench"), new InboxBench(options));
    }

    @Override
    public String reportName() {
        return "inbox-bench";
    }

    @Override
    public void run(BenchStack stack) throws Exception {
        this.stack = stack;
        this.work = stack.work();
        long started = System.nanoTime();
        line("Inbox benchmark, " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        line(BenchStack.machine());
        line("data set: " + options.notifications() + " notifications, " + options.companies() + " companies x "
                + options.usersPerCompany() + " users; work dir " + work);

        Path app = stack.copyApp("notification-service");
        if (options.pgStats()) { // PostgreSQL's own account of planning and execution (a little instrumentation)
            System.setProperty("notify.postgres.settings",
                    "shared_preload_libraries=pg_stat_statements;pg_stat_statements.track_planning=on");
        }
        postgres = stack.startInfrastructure();
        PlanCapture plans = new PlanCapture(postgres);
        plans.install(); // before the service opens its connections
        List<String> jvm = new ArrayList<>(options.serviceJvm());
        if (jvm.isEmpty()) { // as its image runs it
            jvm.addAll(io.notify.bench.footprint.Service.NOTIFICATION.imageJvmFlags(BenchStack.repoRoot()));
            jvm.replaceAll(flag -> flag.startsWith("-XX:MaxRAMPercentage=") ? IMAGE_HEAP : flag);
        }
        line("service JVM: " + String.join(" ", jvm));
        jvm.add("-Xlog:gc:file=" + gcLog());
        base = stack.startNotificationService(app, jvm);
        line(String.format(Locale.ROOT, "infrastructure and service up in %.1f s", BenchStack.seconds(started)));

        try (Connection db = postgres.connect("notification")) {
            line("PostgreSQL: " + queryString(db, "SHOW server_version") + ", shared_buffers "
                    + queryString(db, "SHOW shared_buffers") + ", work_mem " + queryString(db, "SHOW work_mem"));
            long seeding = System.nanoTime();
            Seeder seeder = new Seeder(db, options.notifications(), options.companies(), options.usersPerCompany(),
                    options.seed());
            seeder.seed();
            line(String.format(Locale.ROOT, "seeding took %.1f s", BenchStack.seconds(seeding)));
            line(seeder.summary());
            watermarkUsers.addAll(queryStrings(db, "SELECT user_id FROM inbox_state WHERE read_up_to > 0"));
            mutedUsers.addAll(queryStrings(db, "SELECT user_id FROM preferences WHERE NOT enabled"));
            topicUsers.addAll(queryStrings(db, "SELECT DISTINCT user_id FROM topic_subscriptions"));
        }

        plans.slowerThan(SLOW_MS);
        long slowMark = plans.mark();
        Map<Kind, Latencies> results = measure();
        plans.off();
        List<String> slow = plans.plansSince(slowMark);
        line("");
        line(Latencies.header());
        for (Kind kind : Kind.values()) {
            line(results.get(kind).row(kind.label, TARGET_MS));
        }
        line(floor.row("floor: a bare server, same client, a page's body", TARGET_MS));
        line(String.format(Locale.ROOT, "p50 / p99 as multiples of the floor's (same client, %,d-byte body, same rounds): %s",
                bareBody.length, java.util.Arrays.stream(Kind.values()).map(k -> String.format(Locale.ROOT, "%s %.1f / %.1f",
                        k.name().toLowerCase(Locale.ROOT), results.get(k).percentileMs(50) / floor.percentileMs(50),
                        results.get(k).percentileMs(99) / floor.percentileMs(99))).collect(java.util.stream.Collectors.joining(", "))));
        line("All four kinds by fifth of the measurement, in order (a service still warming up is slower early):");
        for (int fifth = 0; fifth < 5; fifth++) {
            line(timeline.slice(fifth * timeline.count() / 5, (fifth + 1) * timeline.count() / 5)
                    .row("  fifth " + (fifth + 1), TARGET_MS));
        }
        line("");
        line("By user group (a user can be in several; plain = none of the others):");
        line(Latencies.header());
        for (Kind kind : Kind.values()) {
            for (String group : GROUPS) {
                Latencies latencies = byGroup.get(kind + "|" + group);
                if (latencies != null) {
                    line(latencies.row(String.format("%-13s %s", kind, group), TARGET_MS));
                }
            }
        }
        line("");
        reportSlow(slow);
        if (options.explain()) {
            explain(plans);
        }
        line(String.format(Locale.ROOT, "total run time %.1f s", BenchStack.seconds(started)));
        stack.writeReport(reportName());
    }

    /**
     * Warm-up, then rounds of: an inbox page and its next page for one random user, an unread-only
     * page for another, the unread count for a third. Interleaved, so that whatever else the machine
     * does at the time weighs on every kind alike.
     */
    private Map<Kind, Latencies> measure() throws IOException {
        Random random = new Random(options.seed());
        int users = options.companies() * options.usersPerCompany();
        Map<Kind, Latencies> results = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            results.put(kind, new Latencies());
        }
        startBareServer();
        long warming = System.nanoTime();
        int warmed = rounds(options.warmup() / Kind.values().length, random, users, null,
                options.phaseBudget().multipliedBy(2));
        line(String.format(Locale.ROOT, "warm-up: %d rounds of 4 requests in %.1f s", warmed, BenchStack.seconds(warming)));

        String loadBefore = BenchStack.loadAverage();
        long gcMark = gcLogSize();
        resetStatements();
        ProcessCpu cpu = ProcessCpu.snapshot();
        long[] machine = BenchStack.machineTicks();
        long measuring = System.nanoTime();
        int rounds = rounds(options.requests(), random, users, results, options.phaseBudget().multipliedBy(4));
        line(String.format(Locale.ROOT, "measured: %d rounds of 4 requests in %.1f s%s", rounds, BenchStack.seconds(measuring),
                rounds < options.requests() ? " (stopped by the time budget, --phase-seconds x 4)" : ""));
        line("load average (1/5/15 min) before: " + loadBefore + ", after: " + BenchStack.loadAverage() + " on "
                + Runtime.getRuntime().availableProcessors() + " cores (anything else running skews the tail); "
                + BenchStack.machineSince(machine));
        line("CPU during the measurement: " + ProcessCpu.snapshot().since(cpu, requests(results), "request"));
        line("service GC during the measurement: " + gcPauses(gcMark, requests(results)));
        bare.stop(0);
        planning().forEach(this::line);
        return results;
    }

    /** Runs up to {@code count} rounds within {@code budget}; records latencies unless {@code results} is null. */
    private int rounds(int count, Random random, int users, Map<Kind, Latencies> results, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        long[] items = new long[Kind.values().length];
        long unreadTotal = 0;
        int capped = 0;
        int done = 0;
        for (; done < count && System.nanoTime() < deadline; done++) {
            User reader = user(random.nextInt(users));
            String page = call(Kind.PAGE, reader, "", results);
            items[Kind.PAGE.ordinal()] += ITEM.matcher(page).results().count();
            if (results == null) {
                bareBody = page.getBytes(java.nio.charset.StandardCharsets.UTF_8); // the warm-up's last page
            } else {
                callFloor();
            }
            Matcher next = NEXT_CURSOR.matcher(page);
            if (next.find()) {
                String second = call(Kind.NEXT_PAGE, reader, next.group(1), results);
                items[Kind.NEXT_PAGE.ordinal()] += ITEM.matcher(second).results().count();
            }
            String unread = call(Kind.UNREAD_PAGE, user(random.nextInt(users)), "", results);
            items[Kind.UNREAD_PAGE.ordinal()] += ITEM.matcher(unread).results().count();
            String countBody = call(Kind.UNREAD_COUNT, user(random.nextInt(users)), "", results);
            Matcher total = TOTAL.matcher(countBody);
            unreadTotal += total.find() ? Long.parseLong(total.group(1)) : 0;
            capped += CAPPED.matcher(countBody).find() ? 1 : 0;
        }
        if (results != null && done > 0) {
            line(String.format(Locale.ROOT, "  mean items per page: first %.1f, next %.1f, unread %.1f; "
                    + "unread count: mean total %.0f, capped at the limit in %.0f%% of the calls",
                    (double) items[0] / done, (double) items[1] / Math.max(1, results.get(Kind.NEXT_PAGE).count()),
                    (double) items[2] / done, (double) unreadTotal / done, 100.0 * capped / done));
        }
        return done;
    }

    /**
     * The floor's server: JDK's HttpServer on one thread answering every request with {@link #bareBody}, as
     * notification-service answers a page (200, application/json, keep-alive); no token check, no database.
     */
    private void startBareServer() throws IOException {
        // without it the server writes headers and body apart and Nagle's algorithm waits on the delayed ACK: 40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
        bare = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        bare.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = bareBody;
                exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        bare.start();
        bareBase = URI.create("http://127.0.0.1:" + bare.getAddress().getPort());
    }

    /** The floor's request: timed as {@link #call} times the service's, with a bearer token of the same size. */
    private void callFloor() {
        floor.add(timedGet(bareBase.resolve(Kind.PAGE.path), user(0), "the floor's page").elapsed());
    }

    /** One request; only the HTTP exchange is timed. Anything but 200 fails the run. */
    private String call(Kind kind, User user, String cursor, Map<Kind, Latencies> results) {
        Timed timed = timedGet(base.resolve(kind.path + cursor), user, kind.label);
        if (results != null) {
            results.get(kind).add(timed.elapsed());
            timeline.add(timed.elapsed());
            for (String group : groups(user)) {
                byGroup.computeIfAbsent(kind + "|" + group, k -> new Latencies()).add(timed.elapsed());
            }
        }
        return timed.body();
    }

    private record Timed(long elapsed, String body) {
    }

    /** GET {@code uri} with {@code user}'s bearer token; the exchange alone is timed. Anything but 200 fails the run. */
    private Timed timedGet(URI uri, User user, String label) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token(user))
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long elapsed = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(label + " for " + user.id() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return new Timed(elapsed, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(label + " for " + user.id() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int requests(Map<Kind, Latencies> results) {
        return results.values().stream().mapToInt(Latencies::count).sum();
    }

    /** Starts pg_stat_statements' figures afresh, when PostgreSQL runs with it ({@code --pg-stats}). */
    private void resetStatements() {
        try (Connection db = postgres.connect("notification"); Statement s = db.createStatement()) {
            if (statementsLoaded(db)) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                s.execute("SELECT pg_stat_statements_reset()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * PostgreSQL's planning and execution of the service's statements since {@link #resetStatements}, from
     * pg_stat_statements (with {@code track_planning}); nothing when PostgreSQL runs without it.
     */
    private List<String> planning() {
        List<String> lines = new ArrayList<>();
        try (Connection db = postgres.connect("notification"); Statement s = db.createStatement()) {
            if (!statementsLoaded(db)) {
                return lines;
            }
            try (ResultSet r = s.executeQuery("""
                    SELECT count(*), sum(calls), sum(plans), sum(total_plan_time), max(max_plan_time), sum(total_exec_time)
                      FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%outbox%'""")) {
                r.next();
                lines.add(String.format(Locale.ROOT, "PostgreSQL during the measurement (pg_stat_statements): %d statement"
                        + " shapes, %d calls, %d plannings %.1f ms in total (longest %.2f ms), execution %.1f ms in total",
                        r.getLong(1), r.getLong(2), r.getLong(3), r.getDouble(4), r.getDouble(5), r.getDouble(6)));
            }
            try (ResultSet r = s.executeQuery("""
                    SELECT plans, calls, total_plan_time, max_plan_time, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
                      FROM pg_stat_statements WHERE plans > 0 AND query NOT LIKE '%pg_stat_statements%'
                     ORDER BY total_plan_time DESC LIMIT 12""")) {
                lines.add("  most planning: plans, calls, plan ms total / longest, exec ms total, statement");
                while (r.next()) {
                    lines.add(String.format(Locale.ROOT, "  %6d %7d %9.1f %7.2f %9.1f  %s", r.getLong(1), r.getLong(2),
                            r.getDouble(3), r.getDouble(4), r.getDouble(5), r.getString(6)));
                }
            }
        } catch (SQLException e) {
            lines.add("pg_stat_statements: " + e.getMessage());
        }
        return lines;
    }

    private static boolean statementsLoaded(Connection db) throws SQLException {
        return queryString(db, "SHOW shared_preload_libraries").contains("pg_stat_statements");
    }

    private Path gcLog() {
        return work.resolve("logs/notification-service-gc.log");
    }

    private long gcLogSize() {
        try {
            return Files.size(gcLog());
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * "12 pauses, 85.3 ms in total, longest 11.2 ms; 812 MB allocated between the first and the last (41 KB per
     * request)" from the service's -Xlog:gc
     * lines written since {@code mark}: what was allocated between two pauses is the heap before the second less the
     * heap after the first (in MB, as the log rounds).
     */
    private String gcPauses(long mark, int requests) {
        try {
            byte[] all = Files.readAllBytes(gcLog());
            String since = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                    java.nio.charset.StandardCharsets.UTF_8);
            Matcher pause = GC_PAUSE.matcher(since);
            int n = 0;
            double total = 0;
            double longest = 0;
            long allocatedMb = 0;
            long previousAfter = -1;
            String last = "";
            while (pause.find()) {
                last = pause.group();
                long before = Long.parseLong(pause.group(1));
                if (previousAfter >= 0) {
                    allocatedMb += Math.max(0, before - previousAfter);
                }
                previousAfter = Long.parseLong(pause.group(2));
                double ms = Double.parseDouble(pause.group(3));
                n++;
                total += ms;
                longest = Math.max(longest, ms);
            }
            return String.format(Locale.ROOT, "%d pauses, %.1f ms in total, longest %.1f ms; %d MB allocated between the"
                    + " first and the last (%.0f KB per request); last: %s", n, total, longest, allocatedMb,
                    requests == 0 ? 0.0 : allocatedMb * 1024.0 / requests, last);
        } catch (IOException e) {
            return "unknown (" + e + ")";
        }
    }

    /** The seeded state that changes a user's queries: admin role (2 roles), a read watermark, a muted type. */
    private List<String> groups(User user) {
        List<String> groups = new ArrayList<>();
        if (user.roles().contains("admin")) {
            groups.add("admin");
        }
        if (watermarkUsers.contains(user.id())) {
            groups.add("watermark");
        }
        if (mutedUsers.contains(user.id())) {
            groups.add("muted type");
        }
        if (topicUsers.contains(user.id())) {
            groups.add("topics");
        }
        if (groups.isEmpty()) {
            groups.add("plain");
        }
        return groups;
    }

    private User user(int n) {
        return User.of(n / options.usersPerCompany(), n % options.usersPerCompany());
    }

    /** Tokens live 15 minutes: each is signed (outside the timed part) on first use and again after 10. */
    private String token(User user) {
        String[] cached = tokens.get(user.id());
        long now = System.nanoTime();
        if (cached == null || now - Long.parseLong(cached[1]) > TimeUnit.MINUTES.toNanos(10)) {
            cached = new String[] { TestTokens.token(user.id(), user.username(), user.company(), user.roles()),
                    String.valueOf(now) };
            tokens.put(user.id(), cached);
        }
        return cached[0];
    }

    /** The plans of each measured request for two typical users, from auto_explain. */
    private void explain(PlanCapture plans) throws SQLException {
        List<User> users = new ArrayList<>();
        try (Connection db = postgres.connect("notification")) {
            // no read watermark, no muted type, no read or deleted marks (most users; archived ones, as every user
            // has); a read watermark and a muted type; only a muted type; an admin
            users.add(userById(queryString(db, """
                    SELECT u FROM (SELECT 'user-0-' || i AS u FROM generate_series(1, %d) i WHERE i %% 20 <> 0) x
                    WHERE NOT EXISTS (SELECT 1 FROM inbox_state s WHERE s.user_id = u AND s.read_up_to > 0)
                      AND NOT EXISTS (SELECT 1 FROM preferences p WHERE p.user_id = u)
                      AND NOT EXISTS (SELECT 1 FROM inbox_marks m WHERE m.user_id = u AND NOT m.archived) LIMIT 1"""
                    .formatted(options.usersPerCompany() - 1))));
            for (String sql : List.of(
                    "SELECT user_id FROM inbox_state s WHERE user_id LIKE 'user-0-%' AND read_up_to > 0 AND user_id IN "
                            + "(SELECT user_id FROM preferences) ORDER BY 1 LIMIT 1",
                    "SELECT user_id FROM preferences p WHERE user_id LIKE 'user-0-%' AND user_id NOT IN "
                            + "(SELECT user_id FROM inbox_state WHERE read_up_to > 0) ORDER BY 1 LIMIT 1")) {
                String id = queryString(db, sql);
                if (id != null) {
                    users.add(userById(id));
                }
            }
            users.add(User.of(0, 20)); // an admin, whatever their state
        }
        line("Plans (auto_explain: ANALYZE, BUFFERS) of each request's SQL statements, in full in the report file:");
        plans.on();
        try {
            for (User user : users) {
                for (Kind kind : Kind.values()) {
                    String cursor = "";
                    if (kind == Kind.NEXT_PAGE) {
                        Matcher next = NEXT_CURSOR.matcher(call(Kind.PAGE, user, "", null));
                        if (!next.find()) {
                            continue;
                        }
                        cursor = next.group(1);
                    }
                    call(kind, user, cursor, null); // the first after the reload may still run without it
                    long mark = plans.mark();
                    long start = System.nanoTime();
                    call(kind, user, cursor, null);
                    double ms = (System.nanoTime() - start) / 1e6;
                    line("");
                    line(String.format(Locale.ROOT, "==== %s for %s %s (%.1f ms over HTTP, with instrumentation)",
                            kind.label, user.id(), user.roles(), ms));
                    for (String plan : plans.plansSince(mark)) {
                        System.out.println("  " + summary(plan)); // the full plans go to the report file only
                        stack.note(plan);
                    }
                }
            }
        } finally {
            plans.off();
        }
    }

    /**
     * Statements slower than {@value #SLOW_MS} ms during the measurement (auto_explain, estimated plans):
     * how many per kind of statement, and the slowest of each in full in the report file.
     */
    private void reportSlow(List<String> slow) {
        line("SQL statements slower than " + SLOW_MS + " ms during the measurement: " + slow.size()
                + (slow.isEmpty() ? "" : " (their plans, as planned for that execution, are in the report file)"));
        Map<String, List<String>> byStatement = new java.util.TreeMap<>();
        for (String plan : slow) {
            String[] lines = plan.split("\n");
            String query = lines.length > 1 ? lines[1].replace("Query Text:", "").trim() : "";
            Matcher roles = Pattern.compile("audience_role IN \\(([^)]*)\\)").matcher(query);
            String key = (query.startsWith("SELECT priority") ? "unread count" : "inbox page")
                    + (query.contains("read_up_to") && query.startsWith("SELECT n.*") ? " (unread only)" : "")
                    + (roles.find() ? ", roles IN (" + roles.group(1) + ")" : "")
                    + (query.contains("NOT IN") ? ", muted type" : "");
            byStatement.computeIfAbsent(key, k -> new ArrayList<>()).add(plan);
        }
        byStatement.forEach((key, plans) -> {
            line(String.format(Locale.ROOT, "  %5d x %s", plans.size(), key));
            stack.note(plans.stream().max(java.util.Comparator.comparingDouble(InboxBench::durationMs)).orElseThrow());
        });
        line("");
    }

    private static double durationMs(String plan) {
        Matcher m = Pattern.compile("duration: (\\d+\\.\\d+) ms").matcher(plan);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** "duration: 1.2 ms  SELECT ...", shortened. */
    private static String summary(String plan) {
        String[] lines = plan.split("\n");
        String duration = lines[0].replace("plan:", "").trim();
        String query = lines.length > 1 ? lines[1].replace("Query Text:", "").trim() : "";
        return String.format(Locale.ROOT, "%-22s %s", duration, query.length() > 110 ? query.substring(0, 110) + "..." : query);
    }

    private static User userById(String id) {
        String[] parts = id.split("-");
        return User.of(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    private void line(String text) {
        stack.line(text);
    }

    private static String queryString(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<String> queryStrings(Connection db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

}
