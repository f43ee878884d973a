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
 * --phase-seconds N --seed N --no-explain}.
 */
public final class InboxBench implements BenchStack.Bench {

    private static final double TARGET_MS = 10.0;
    private static final int SLOW_MS = 20;
    private static final List<String> GROUPS = List.of("plain", "admin", "watermark", "muted type", "topics");
    private static final Pattern NEXT_CURSOR = Pattern.compile("\"next_cursor\":\"([^\"]+)\"");
    private static final Pattern ITEM = Pattern.compile("\"created_at\":");
    private static final Pattern CAPPED = Pattern.compile("\"capped\":true");
    private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");
    private static final Pattern GC_PAUSE = Pattern.compile("Pause.* (\\d+\\.\\d+)ms");

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
            Duration phaseBudget, long seed, boolean explain) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            boolean explain = true;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--no-explain")) {
                    explain = false;
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    values.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("Unknown argument " + args[i] + "; see InboxBench's javadoc");
                }
            }
            Options o = new Options(get(values, "notifications", 1_000_000), get(values, "companies", 10),
                    get(values, "users-per-company", 1_000), get(values, "warmup", 2_000),
                    get(values, "requests", 5_000), Duration.ofSeconds(get(values, "phase-seconds", 120)),
                    get(values, "seed", 42), explain);
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
        postgres = stack.startInfrastructure();
        PlanCapture plans = new PlanCapture(postgres);
        plans.install(); // before the service opens its connections
        base = stack.startNotificationService(app, List.of("-Xmx512m", "-Xlog:gc:file=" + gcLog()));
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
    private Map<Kind, Latencies> measure() {
        Random random = new Random(options.seed());
        int users = options.companies() * options.usersPerCompany();
        Map<Kind, Latencies> results = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            results.put(kind, new Latencies());
        }
        long warming = System.nanoTime();
        int warmed = rounds(options.warmup() / Kind.values().length, random, users, null, options.phaseBudget());
        line(String.format(Locale.ROOT, "warm-up: %d rounds of 4 requests in %.1f s", warmed, BenchStack.seconds(warming)));

        String loadBefore = BenchStack.loadAverage();
        long gcMark = gcLogSize();
        long measuring = System.nanoTime();
        int rounds = rounds(options.requests(), random, users, results, options.phaseBudget().multipliedBy(4));
        line(String.format(Locale.ROOT, "measured: %d rounds of 4 requests in %.1f s%s", rounds, BenchStack.seconds(measuring),
                rounds < options.requests() ? " (stopped by the time budget, --phase-seconds x 4)" : ""));
        line("load average (1/5/15 min) before: " + loadBefore + ", after: " + BenchStack.loadAverage() + " on "
                + Runtime.getRuntime().availableProcessors() + " cores (anything else running skews the tail)");
        line("service GC during the measurement: " + gcPauses(gcMark));
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

    /** One request; only the HTTP exchange is timed. Anything but 200 fails the run. */
    private String call(Kind kind, User user, String cursor, Map<Kind, Latencies> results) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(kind.path + cursor))
                .header("Authorization", "Bearer " + token(user)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long elapsed = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(kind.label + " for " + user.id() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            if (results != null) {
                results.get(kind).add(elapsed);
                for (String group : groups(user)) {
                    byGroup.computeIfAbsent(kind + "|" + group, k -> new Latencies()).add(elapsed);
                }
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(kind.label + " for " + user.id() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    /** "12 pauses, 85.3 ms in total, longest 11.2 ms" from the service's -Xlog:gc lines written since {@code mark}. */
    private String gcPauses(long mark) {
        try {
            byte[] all = Files.readAllBytes(gcLog());
            String since = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                    java.nio.charset.StandardCharsets.UTF_8);
            Matcher pause = GC_PAUSE.matcher(since);
            int n = 0;
            double total = 0;
            double longest = 0;
            String last = "";
            while (pause.find()) {
                last = pause.group();
                double ms = Double.parseDouble(pause.group(1));
                n++;
                total += ms;
                longest = Math.max(longest, ms);
            }
            return String.format(Locale.ROOT, "%d pauses, %.1f ms in total, longest %.1f ms; last: %s", n, total,
                    longest, last);
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
