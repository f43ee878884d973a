package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.ForbiddenException;
import io.notify.client.Notification;
import io.notify.client.NotifyClient;
import io.notify.client.NotifyKafkaProducer;
import io.notify.client.ValidationException;
import io.notify.infra.launch.Suite;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * Nothing is lost and nothing gets in while the parts of the suite are killed with -9, one at a time:
 * gateway A, notification-service, the Kafka broker and PostgreSQL (each restarted, Kafka and
 * PostgreSQL on the same data). Frontend-like clients on both gateways reconnect, resume and dedupe;
 * producers retry with the same idempotency key over REST and Kafka (the Java SDK's NotifyClient and
 * NotifyKafkaProducer, one attempt each, retried by the test's own paced workers). At the end every client holds
 * exactly what the audience rules address to it, and the store holds every accepted request once.
 *
 * <p>CI size by default (50 clients, 1,000 notifications); {@code -Dfaults.full=true} runs 200 clients
 * and 10,000 notifications. {@code -Dfaults.clients}, {@code -Dfaults.notifications} and
 * {@code -Dfaults.rate} (requests per second) override either.
 */
@ExtendWith(SuiteExtension.class)
class FaultsSystemTest {

    static final boolean FULL = Boolean.getBoolean("faults.full");
    static final int CLIENTS = Integer.getInteger("faults.clients", FULL ? 200 : 50);
    static final int NOTIFICATIONS = Integer.getInteger("faults.notifications", FULL ? 10_000 : 1_000);
    static final int RATE = Integer.getInteger("faults.rate", FULL ? 60 : 25);
    static final int COMPANIES = 3;
    static final String PASSWORD = "faults-password-1";
    static final Duration ACCESS_TOKEN_REFRESH_AFTER = Duration.ofMinutes(10);
    static final Duration CATCH_UP = Duration.ofMinutes(FULL ? 10 : 4);

    static Suite suite;
    static Api api;
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static Vertx vertx;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    static ScheduledExecutorService refresher;

    @BeforeAll
    static void start(Suite running) {
        suite = running;
        api = new Api(running);
        vertx = Vertx.vertx();
        refresher = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        refresher.shutdownNow();
        vertx.close();
    }

    /** A user's access token, logged in again before it expires (auth-issued: the services trust only auth's JWKS). */
    static final class Tokens {
        final String username;
        volatile String token;
        volatile long issuedNanos;

        Tokens(String username) {
            this.username = username;
            this.token = api.login(username, username.equals("admin") ? "wkwkwk" : PASSWORD);
            this.issuedNanos = System.nanoTime();
        }

        /** Logs in again when the token is old; keeps the old one while auth-service cannot answer. */
        boolean renewIfOld() {
            if (System.nanoTime() - issuedNanos < ACCESS_TOKEN_REFRESH_AFTER.toNanos()) {
                return false;
            }
            try {
                token = api.login(username, username.equals("admin") ? "wkwkwk" : PASSWORD);
                issuedNanos = System.nanoTime();
                return true;
            } catch (RuntimeException | AssertionError authDown) {
                return false;
            }
        }
    }

    @Test
    void killingEachPart_losesNothing_duplicatesNothing_andLeaksNothingAcrossTenants() throws Exception {
        Tokens admin = new Tokens("admin");
        List<String> companies = IntStream.range(0, COMPANIES).mapToObj(c -> "faults-" + RUN + "-c" + c).toList();
        for (String company : companies) {
            api.post(admin.token, "/api/auth/companies", Map.of("slug", company, "name", "Faults " + company))
                    .statusCode(201);
        }
        List<Traffic.Member> members = createUsers(admin, companies);
        Map<String, Tokens> tokens = loginAll(members);

        // everything before this seq was sent by other tests; the clients start after it
        long baseline = api.send(admin.token, Notification.to(Audience.user(api.userId(admin.token)))
                .title("faults baseline " + RUN).message("m").build()).seq();

        System.out.printf("FAULTS run %s: %d users in %d companies, clients start after seq %d%n", RUN, members.size(),
                COMPANIES, baseline);
        List<URI> gateways = suite.gateways().stream().map(suite::uri).toList();
        WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
        List<FrontendLikeClient> clients = new ArrayList<>();
        for (Traffic.Member m : members) {
            Tokens t = tokens.get(m.userId());
            clients.add(new FrontendLikeClient(m.userId(), m.company(), m.roles(), vertx, sockets, HTTP,
                    () -> gateways, suite.origin(), () -> t.token, baseline));
        }
        refresher.scheduleWithFixedDelay(() -> {
            admin.renewIfOld();
            for (FrontendLikeClient c : clients) {
                Tokens t = tokens.get(c.userId);
                if (t.renewIfOld()) {
                    c.refreshToken(t.token);
                }
            }
        }, 30, 30, TimeUnit.SECONDS);
        clients.forEach(FrontendLikeClient::start);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(FrontendLikeClient::connected));

        List<Traffic.Request> requests = Traffic.generate(RUN, NOTIFICATIONS, members, companies, RUN.hashCode());
        Map<Integer, List<FrontendLikeClient>> recipients = new HashMap<>();
        for (Traffic.Request r : requests) {
            recipients.put(r.index(), clients.stream()
                    .filter(c -> r.addresses(new Traffic.Member(c.userId, c.company, c.roles))).toList());
        }

        Producers producers = new Producers(requests, admin);
        List<FaultReport> reports = new ArrayList<>();
        int segment = NOTIFICATIONS / 5;
        String gatewayA = suite.gateways().get(0);
        List<Fault> faults = List.of(
                new Fault("gateway A (" + gatewayA + ")", () -> suite.service(gatewayA).kill(),
                        () -> suite.startService(gatewayA), gatewayA),
                new Fault("notification-service", () -> suite.service("notification-service").kill(),
                        () -> suite.startService("notification-service"), null),
                new Fault("Kafka broker", () -> suite.kafka().kill(), suite::startKafka, null),
                new Fault("PostgreSQL", () -> suite.postgres().kill(), suite::restartPostgres, null));
        try {
            producers.start();
            for (int k = 0; k < faults.size(); k++) {
                int at = (k + 1) * segment;
                producers.openUpTo(at + segment / 2);
                Awaitility.await().atMost(CATCH_UP).until(() -> producers.taken() >= at);
                reports.add(inject(faults.get(k), producers, requests, recipients, clients));
            }
            producers.openUpTo(NOTIFICATIONS);
            Awaitility.await().atMost(CATCH_UP).until(() -> producers.accepted() == NOTIFICATIONS);
            long end = System.nanoTime();
            awaitHeld("everything accepted, after the faults", requests, recipients, producers::isAccepted);
            System.out.printf("FAULTS all %d delivered %.1f s after the last was accepted%n", NOTIFICATIONS,
                    (System.nanoTime() - end) / 1e9);
        } finally {
            producers.close();
            clients.forEach(FrontendLikeClient::stop);
            printReport(reports, clients);
        }
        assertExactlyWhatIsAddressed(requests, recipients, clients);
        assertStoreHoldsEachAcceptedRequestOnce(requests);
        // the first request after the faults succeeds: no service kept a dead pooled connection from before
        // PostgreSQL's restart (auth-service answered logins with 500 until it was told to validate them)
        String user1 = api.login("user1", "wkwkwk");
        api.as(user1).get("/api/notifications/unread-count").then().statusCode(200);
    }

    // ---- faults ----

    record Fault(String name, Runnable kill, Runnable restart, String gateway) {
    }

    record FaultReport(String name, int inFlight, double caughtUpBeforeKillSeconds, double downSeconds,
            double caughtUpSeconds, int clientResyncs, double gatewayResyncs) {
    }

    FaultReport inject(Fault fault, Producers producers, List<Traffic.Request> requests,
            Map<Integer, List<FrontendLikeClient>> recipients, List<FrontendLikeClient> clients) {
        Map<String, Double> resyncsBefore = gatewayResyncs();
        int clientResyncsBefore = clients.stream().mapToInt(FrontendLikeClient::resyncs).sum();
        long killedAt = System.nanoTime();
        // in flight: accepted but not yet held by every recipient, or taken by a producer and not yet accepted
        int inFlight = undelivered(requests, recipients, producers::isAccepted) + producers.pending();
        Set<Integer> acceptedBeforeKill = producers.acceptedSnapshot();
        fault.kill().run();
        java.util.concurrent.CompletableFuture<Double> restarted = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            fault.restart().run();
            return (System.nanoTime() - killedAt) / 1e9;
        });
        // what was accepted before the kill reaches everyone, through the other gateway or once the part is back
        awaitHeld("accepted before the kill of " + fault.name(), requests, recipients, acceptedBeforeKill::contains);
        double caughtUpBeforeKill = (System.nanoTime() - killedAt) / 1e9;
        double down = restarted.join();
        Set<Integer> acceptedByNow = producers.acceptedSnapshot();
        awaitHeld("accepted until " + fault.name() + " was back", requests, recipients, acceptedByNow::contains);
        double caughtUp = (System.nanoTime() - killedAt) / 1e9;
        Map<String, Double> resyncsAfter = gatewayResyncs();
        double gatewayResyncs = 0;
        for (String g : resyncsAfter.keySet()) {
            // a restarted gateway counts from zero again
            gatewayResyncs += resyncsAfter.get(g) - (g.equals(fault.gateway()) ? 0 : resyncsBefore.getOrDefault(g, 0.0));
        }
        FaultReport report = new FaultReport(fault.name(), inFlight, caughtUpBeforeKill, down, caughtUp,
                clients.stream().mapToInt(FrontendLikeClient::resyncs).sum() - clientResyncsBefore, gatewayResyncs);
        System.out.printf("FAULTS kill -9 %s: %d in flight; everything accepted before the kill held by all clients "
                + "%.1f s after it; restarted and ready after %.1f s; everything accepted until then held after %.1f s; "
                + "resyncs %d (gateways' counter %.0f)%n", report.name(), report.inFlight(), report.caughtUpBeforeKillSeconds(),
                report.downSeconds(), report.caughtUpSeconds(), report.clientResyncs(), report.gatewayResyncs());
        return report;
    }

    /**
     * Waits until every recipient holds each request {@code counted} accepts; when they do not within {@link #CATCH_UP},
     * prints what is missing where (the store's row and outbox, each client that lacks it) before failing: the suite's
     * logs are kept in {@code target/suite-logs/jvm} (or {@code native}) for the rest.
     */
    static void awaitHeld(String what, List<Traffic.Request> requests, Map<Integer, List<FrontendLikeClient>> recipients,
            java.util.function.IntPredicate counted) {
        try {
            Awaitility.await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(200))
                    .until(() -> undelivered(requests, recipients, counted) == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("FAULTS not held within " + CATCH_UP.toSeconds() + " s: " + what);
            printMissing(requests, recipients, counted);
            throw e;
        }
    }

    static void printMissing(List<Traffic.Request> requests, Map<Integer, List<FrontendLikeClient>> recipients,
            java.util.function.IntPredicate counted) {
        // each request's lacking clients read once: they may catch up while this prints
        requests.stream().filter(r -> counted.test(r.index())).map(r -> Map.entry(r, lacking(r, recipients)))
                .filter(missing -> !missing.getValue().isEmpty()).limit(10).forEach(missing -> {
            Traffic.Request r = missing.getKey();
            List<FrontendLikeClient> lacking = missing.getValue();
            System.out.printf("FAULTS missing #%d %s over %s to %s: %s; %d of %d recipients lack it%n", r.index(), r.key(),
                    r.rest() ? "REST" : "Kafka", r.audience(), stored(r.key()), lacking.size(), recipients.get(r.index()).size());
            lacking.stream().limit(3).forEach(c -> System.out.println("FAULTS   " + c.describe()));
        });
        for (String g : suite.gateways()) {
            try {
                String metrics = HTTP.send(HttpRequest.newBuilder(suite.uri(g).resolve("/q/metrics"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                System.out.printf("FAULTS %s: %.0f sockets, %.0f deliveries%n", g,
                        io.notify.infra.test.PrometheusText.value(metrics, "notify_gateway_sockets"),
                        io.notify.infra.test.PrometheusText.value(metrics, "notify_gateway_deliveries_total"));
            } catch (Exception e) {
                System.out.println("FAULTS " + g + ": metrics not read: " + e);
            }
        }
        try (Connection db = suite.postgres().connect("notification");
                PreparedStatement query = db.prepareStatement("SELECT count(*), min(id), min(created_at) FROM outbox");
                ResultSet row = query.executeQuery()) {
            row.next();
            System.out.printf("FAULTS outbox: %d rows waiting, the oldest id %s of %s%n", row.getLong(1), row.getObject(2),
                    row.getObject(3));
        } catch (Exception e) {
            System.out.println("FAULTS outbox: not read: " + e);
        }
    }

    /** The store's row for an idempotency key, as a diagnosis reads it. */
    static String stored(String key) {
        try (Connection db = suite.postgres().connect("notification");
                PreparedStatement query = db.prepareStatement(
                        "SELECT id, seq, created_at FROM notifications WHERE idempotency_key = ?")) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? "stored as " + rows.getString(1) + " seq " + rows.getLong(2) + " at "
                        + rows.getObject(3) : "not in the store";
            }
        } catch (Exception e) {
            return "store not read: " + e;
        }
    }

    /** Requests {@code counted} accepts that some recipient does not hold yet. */
    static int undelivered(List<Traffic.Request> requests, Map<Integer, List<FrontendLikeClient>> recipients,
            java.util.function.IntPredicate counted) {
        return (int) requests.stream().filter(r -> counted.test(r.index()) && !lacking(r, recipients).isEmpty()).count();
    }

    /** The recipients of {@code r} that do not hold it. */
    static List<FrontendLikeClient> lacking(Traffic.Request r, Map<Integer, List<FrontendLikeClient>> recipients) {
        return recipients.get(r.index()).stream().filter(c -> !c.holdsKey(r.key())).toList();
    }

    Map<String, Double> gatewayResyncs() {
        Map<String, Double> counts = new HashMap<>();
        for (String g : suite.gateways()) {
            try {
                HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(suite.uri(g).resolve("/q/metrics"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                counts.put(g, io.notify.infra.test.PrometheusText.value(metrics.body(), "notify_gateway_resyncs_total"));
            } catch (Exception e) {
                counts.put(g, 0.0);
            }
        }
        return counts;
    }

    // ---- assertions ----

    static void assertExactlyWhatIsAddressed(List<Traffic.Request> requests,
            Map<Integer, List<FrontendLikeClient>> recipients, List<FrontendLikeClient> clients) {
        Map<FrontendLikeClient, Set<String>> expected = new HashMap<>();
        clients.forEach(c -> expected.put(c, new java.util.HashSet<>()));
        for (Traffic.Request r : requests) {
            recipients.get(r.index()).forEach(c -> expected.get(c).add(r.key()));
        }
        Map<String, Long> seqOfKey = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (FrontendLikeClient c : clients) {
            Map<String, FrontendLikeClient.Held> held = c.held();
            List<String> keys = c.heldKeys();
            Set<String> distinct = new java.util.HashSet<>(keys);
            if (distinct.size() != keys.size()) {
                problems.add(c.userId + " holds " + (keys.size() - distinct.size()) + " notifications twice (distinct ids)");
            }
            Set<String> missing = new java.util.TreeSet<>(expected.get(c));
            missing.removeAll(distinct);
            Set<String> extra = new java.util.TreeSet<>(distinct.stream().map(String::valueOf).toList());
            extra.removeAll(expected.get(c));
            if (!missing.isEmpty()) {
                problems.add(c.userId + " misses " + missing.size() + ", e.g. " + missing.stream().limit(5).toList());
            }
            if (!extra.isEmpty()) {
                problems.add(c.userId + " holds " + extra.size() + " not addressed to it, e.g. " + extra.stream().limit(5).toList());
            }
            for (FrontendLikeClient.Held h : held.values()) {
                if (h.audienceCompany() != null && !h.audienceCompany().equals(c.company)) {
                    problems.add(c.userId + " of " + c.company + " received " + h.key() + " addressed to tenant "
                            + h.audienceCompany());
                }
                Long other = seqOfKey.putIfAbsent(String.valueOf(h.key()), h.seq());
                if (other != null && other != h.seq()) {
                    problems.add(h.key() + " has seq " + other + " for one client and " + h.seq() + " for " + c.userId);
                }
            }
            // in seq order: one notification per seq, so the held inbox has one order every client agrees on
            TreeMap<Long, String> bySeq = new TreeMap<>();
            held.values().forEach(h -> bySeq.put(h.seq(), h.id()));
            if (bySeq.size() != held.size()) {
                problems.add(c.userId + " holds two notifications with the same seq");
            }
        }
        assertThat(problems).as("what the clients hold").isEmpty();
    }

    static void assertStoreHoldsEachAcceptedRequestOnce(List<Traffic.Request> requests) throws Exception {
        Map<String, Integer> stored = new HashMap<>();
        try (Connection db = suite.postgres().connect("notification");
                PreparedStatement query = db.prepareStatement(
                        "SELECT idempotency_key, count(*) FROM notifications WHERE idempotency_key LIKE ? GROUP BY 1")) {
            query.setString(1, "faults-" + RUN + "-%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        for (Traffic.Request r : requests) {
            int n = stored.getOrDefault(r.key(), 0);
            if (n != 1) {
                wrong.add(r.key() + " stored " + n + " times");
            }
        }
        assertThat(wrong).as("accepted requests in the store").isEmpty();
        assertThat(stored).hasSize(requests.size());
    }

    static void printReport(List<FaultReport> reports, List<FrontendLikeClient> clients) {
        System.out.printf("FAULTS %d clients, %d notifications (%d/s offered), 2 gateways%n", CLIENTS, NOTIFICATIONS, RATE);
        System.out.println("FAULTS | fault (kill -9) | in flight at the kill | all clients hold what was accepted before "
                + "the kill | restarted, ready | all clients hold what was accepted until ready | resyncs |");
        for (FaultReport r : reports) {
            System.out.printf("FAULTS | %s | %d | %.1f s | %.1f s | %.1f s | %d |%n", r.name(), r.inFlight(),
                    r.caughtUpBeforeKillSeconds(), r.downSeconds(), r.caughtUpSeconds(), r.clientResyncs());
        }
        System.out.printf("FAULTS totals: notifications held %d, duplicate frames deduped %d, reconnects %d, resyncs %d, "
                + "inbox reloads %d, frames overtaken by a later seq %d%n",
                clients.stream().mapToInt(c -> c.held().size()).sum(),
                clients.stream().mapToInt(FrontendLikeClient::duplicateFrames).sum(),
                clients.stream().mapToInt(c -> c.connects() - 1).sum(),
                clients.stream().mapToInt(FrontendLikeClient::resyncs).sum(),
                clients.stream().mapToInt(FrontendLikeClient::refetches).sum(),
                clients.stream().mapToInt(FrontendLikeClient::outOfOrder).sum());
    }

    // ---- set-up ----

    static List<Traffic.Member> createUsers(Tokens admin, List<String> companies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Traffic.Member>> created = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int n = i;
                created.add(pool.submit(() -> {
                    String company = companies.get(n % companies.size());
                    List<String> roles = n % 10 < 2 ? List.of("admin", "user") : List.of("user");
                    String id = api.post(admin.token, "/api/auth/users", Map.of("username", "faults-" + RUN + "-u" + n,
                            "password", PASSWORD, "display_name", "Faults user " + n, "company", company, "roles", roles))
                            .statusCode(201).extract().path("id");
                    return new Traffic.Member(id, company, Set.copyOf(roles));
                }));
            }
            List<Traffic.Member> members = new ArrayList<>();
            for (Future<Traffic.Member> f : created) {
                members.add(f.get());
            }
            return members;
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<String, Tokens> loginAll(List<Traffic.Member> members) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<Tokens>> logins = new LinkedHashMap<>();
            for (int i = 0; i < members.size(); i++) {
                int n = i;
                logins.put(members.get(i).userId(), pool.submit(() -> new Tokens("faults-" + RUN + "-u" + n)));
            }
            Map<String, Tokens> tokens = new ConcurrentHashMap<>();
            for (Map.Entry<String, Future<Tokens>> e : logins.entrySet()) {
                tokens.put(e.getKey(), e.getValue().get());
            }
            return tokens;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Sends every request once accepted: REST (2xx) or Kafka (acknowledged by the broker), retrying an
     * error or a timeout with the same idempotency key, as the docs tell producers to. Paced to
     * {@link #RATE} attempts per second, and held at a gate so each fault hits the middle of a segment.
     */
    static final class Producers implements AutoCloseable {
        private final List<Traffic.Request> requests;
        private final Tokens admin;
        private final ExecutorService workers = Executors.newFixedThreadPool(8);
        private final KafkaProducer<String, byte[]> kafka;
        private final NotifyKafkaProducer overKafka;
        private final NotifyClient overRest;
        private final AtomicInteger next = new AtomicInteger();
        private final Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        private final Object gateLock = new Object();
        private int gate;
        private long nextSlotNanos = System.nanoTime();
        private volatile boolean closed;
        volatile AssertionError failure;

        Producers(List<Traffic.Request> requests, Tokens admin) {
            this.requests = requests;
            this.admin = admin;
            this.kafka = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafkaBootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                    ProducerConfig.LINGER_MS_CONFIG, 0),
                    new StringSerializer(), new ByteArraySerializer());
            this.overKafka = new NotifyKafkaProducer(kafka);
            // one attempt per send: the workers retry themselves, paced, with the same idempotency key
            this.overRest = Api.sdk(suite.origin(), () -> admin.token).requestTimeout(Duration.ofSeconds(10)).build();
        }

        void start() {
            for (int w = 0; w < 8; w++) {
                workers.submit(this::work);
            }
        }

        void openUpTo(int index) {
            synchronized (gateLock) {
                gate = Math.max(gate, Math.min(index, requests.size()));
                gateLock.notifyAll();
            }
        }

        int taken() {
            return Math.min(next.get(), requests.size());
        }

        int accepted() {
            if (failure != null) {
                throw failure;
            }
            return accepted.size();
        }

        boolean isAccepted(int index) {
            return accepted.contains(index);
        }

        Set<Integer> acceptedSnapshot() {
            return Set.copyOf(accepted);
        }

        int pending() {
            return taken() - accepted();
        }

        private void work() {
            while (!closed) {
                int index;
                synchronized (gateLock) {
                    while (!closed && next.get() >= gate) {
                        if (next.get() >= requests.size()) {
                            return;
                        }
                        try {
                            gateLock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    index = next.getAndIncrement();
                }
                Traffic.Request request = requests.get(index);
                try {
                    while (!closed) {
                        if (send(request)) { // else: again, with the same idempotency key
                            accepted.add(index);
                            break;
                        }
                    }
                } catch (AssertionError e) {
                    failure = e;
                    return;
                }
            }
        }

        private boolean send(Traffic.Request request) {
            pace();
            Notification notification = request.notification(RUN);
            try {
                if (!request.rest()) {
                    overKafka.send(notification).get(15, TimeUnit.SECONDS);
                    return true;
                }
                overRest.send(notification); // 201, or 200 when a retry finds it stored already
                return true;
            } catch (ValidationException | ForbiddenException refused) {
                throw new AssertionError("request " + request.key() + " refused: " + refused.getMessage(), refused);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception errorOrTimeout) {
                return false;
            }
        }

        /** The rate limiter: one attempt per slot, across all workers. */
        private void pace() {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                nextSlotNanos = Math.max(nextSlotNanos + TimeUnit.SECONDS.toNanos(1) / RATE, now);
                wait = nextSlotNanos - now;
            }
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }

        @Override
        public void close() {
            closed = true;
            synchronized (gateLock) {
                gateLock.notifyAll();
            }
            workers.shutdownNow();
            kafka.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Directory changes survive auth-service's crash: made while Kafka is away, they wait in auth-service's outbox
     * (the admin API answers as usual); auth-service is killed with -9 before it could relay them; once Kafka and
     * auth-service are back, every change reaches both gateways (the disabled users' sockets close) and the store (their
     * still-valid tokens answer 401).
     */
    @Test
    void authServiceKilledWhileUsersChange_everyChangeStillReachesTheGatewaysAndTheStore() throws Exception {
        String admin = api.login("admin", "wkwkwk");
        List<String> tokens = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<io.notify.infra.test.TestSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                String username = "dirfault-" + RUN + "-" + i;
                api.post(admin, "/api/auth/users", Map.of("username", username, "password", PASSWORD,
                        "display_name", username, "company", "company_a", "roles", List.of("user"))).statusCode(201);
                String token = api.login(username, PASSWORD);
                tokens.add(token);
                ids.add(api.userId(token));
                sockets.add(api.onGateway(i % suite.gateways().size(), token));
            }

            suite.kafka().kill();
            for (String id : ids) {
                api.as(admin).contentType(ContentType.JSON).body(Map.of("enabled", false))
                        .patch("/api/auth/users/" + id).then().statusCode(200);
            }
            suite.service("auth-service").kill();
            suite.startKafka();
            suite.startService("auth-service");

            for (io.notify.infra.test.TestSocket socket : sockets) {
                assertThat(socket.closed().get(CATCH_UP.toSeconds(), TimeUnit.SECONDS)).isEqualTo((short) 1008);
            }
            for (String token : tokens) {
                Awaitility.await().atMost(CATCH_UP).untilAsserted(() ->
                        api.as(token).get("/api/notifications").then().statusCode(401));
            }
        } finally {
            sockets.forEach(io.notify.infra.test.TestSocket::close);
        }
    }

    /**
     * Scheduled sends due while notification-service is down (killed with -9 before they were due) are each delivered
     * once after it restarts: none is lost with the process, none is stored twice (the poller's claim and the send's
     * idempotency key), and the recipient's socket, held by a gateway throughout, gets each one frame.
     */
    @Test
    void scheduledSendsDueWhileNotificationServiceIsKilled_areEachDeliveredOnceAfterRestart() {
        String sender = api.login("admin", "wkwkwk");
        String recipient = api.newUser(sender, "company_a", "user");
        String recipientToken = api.login(recipient, Api.NEW_USER_PASSWORD);
        String recipientId = api.userId(recipientToken);
        int sends = 10;
        Instant sendAt = Instant.now().plusSeconds(10); // room for the sends on a busy box
        List<String> titles = IntStream.range(0, sends).mapToObj(i -> "due while down " + RUN + " " + i).toList();
        try (io.notify.infra.test.TestSocket socket = api.onGateway(suite.gateways().size() - 1, recipientToken)) {
            for (String title : titles) {
                assertThat(api.send(sender, Notification.to(Audience.user(recipientId)).title(title).message("m")
                        .sendAt(sendAt).build()).scheduled()).isTrue();
            }
            suite.service("notification-service").kill();
            assertThat(Instant.now()).as("killed before they were due").isBefore(sendAt);
            // the process is gone before anything was due; wait until all are overdue, then bring it back
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(sendAt.plusSeconds(1)));
            suite.startService("notification-service");

            for (String title : titles) {
                socket.await(f -> Api.notificationTitled(f, title), CATCH_UP);
            }
            // a marker sent after them comes after them on the ordered event stream: a duplicate would be in by then
            String marker = "after the restart " + RUN;
            api.send(sender, Notification.to(Audience.user(recipientId)).title(marker).message("m").build());
            socket.await(f -> Api.notificationTitled(f, marker), CATCH_UP);
            for (String title : titles) {
                assertThat(socket.received()).filteredOn(f -> Api.notificationTitled(f, title)).as(title).hasSize(1);
            }
            List<String> inbox = api.as(recipientToken).queryParam("limit", 100).get("/api/notifications").then()
                    .statusCode(200).extract().jsonPath().getList("items.title");
            assertThat(inbox).filteredOn(titles::contains).hasSize(sends).doesNotHaveDuplicates();
            assertThat(api.as(sender).get("/api/notifications/scheduled").then().statusCode(200).extract().jsonPath()
                    .getList("title")).as("none pending").noneMatch(titles::contains);
        }
    }
}
