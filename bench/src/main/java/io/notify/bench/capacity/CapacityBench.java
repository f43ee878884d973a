package io.notify.bench.capacity;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.notify.bench.BenchStack;
import io.notify.infra.postgres.PostgresServer;

/**
 * The two shared resources every send passes through, each measured alone on this machine (issue 27, "Scale past this
 * box"); bench/README.md extrapolates from these figures.
 *
 * <ol>
 * <li><b>The sequence lock.</b> Every send batch holds one advisory lock from its seq draw to its commit (the send
 * writer's statement: lock, draw, insert the notifications and their outbox entries, then {@code COMMIT}, in one round
 * trip). Here the same critical section on tables of the same width: N writers, each sending such a batch of B rows in
 * one round trip and committing with a WAL flush, as the writer does. Printed: batches and rows per second, the lock's
 * ceiling, beside the same writers with no lock (what sharding the sequence would give back) and with 4 lock keys (a
 * shard per tenant group).</li>
 * <li><b>One partition of {@code notification-events}.</b> A producer writes 600-byte events (a created event's size)
 * as fast as the broker takes them (acks=all, idempotent, as the relay) to a one-partition topic while G consumers,
 * each in its own group as every gateway is, read all of it. Printed: events per second into the partition and per
 * consumer, for G = 1, 2 and 4.</li>
 * <li><b>Audience counts.</b> A send to a topic reads the topic's subscriber count from the store on every send
 * ({@code AudienceSizes}; a row kept by a trigger since session 30, counted from the subscriptions before); a send
 * to a company or a role asks auth-service's directory, which counts the company's enabled users (with the role),
 * cached 30 s per audience. Both counts here on tables of the real schemas (copied from the migrations) holding
 * audiences of 1,000 to 1,000,000, vacuumed as autovacuum leaves them, one connection, parallel query off (so a count's
 * time is its CPU on one core), the statement prepared once and run again and again as a pooled connection runs it.
 * Printed: milliseconds per count; the topic count before session 30 (the subscriptions counted) and now (one row),
 * the role count of session 29 (users joined to their role rows) and now (the role rows alone, which carry their users'
 * company and state since session 30). Also what the subscriber-count trigger adds to a subscribe and an
 * unsubscribe.</li>
 * <li><b>The Kafka intake.</b> notification-service as its image runs it: requests produced to
 * {@code notification-requests} until all are stored, beside REST sends to the same store with many in flight.</li>
 * </ol>
 *
 * <p>Everything shares this machine's two cores with the broker and PostgreSQL: the figures are floors for a
 * dedicated database or broker, which bench/README.md says where it uses them. Usage: {@code bench/capacity/run.sh
 * [--seconds 5] [--only sequence-lock,audience-counts,partition,intake]}.
 */
public final class CapacityBench implements BenchStack.Bench {

    /** The parts, by the name {@code --only} takes. */
    private static final List<String> PARTS = List.of("sequence-lock", "audience-counts", "partition", "intake");

    private final int seconds;
    private final List<String> parts;

    private CapacityBench(int seconds, List<String> parts) {
        this.seconds = seconds;
        this.parts = parts;
    }

    public static void main(String[] args) {
        int seconds = 5;
        List<String> parts = PARTS;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--seconds")) {
                seconds = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--only") && PARTS.containsAll(List.of(args[i + 1].split(",")))) {
                parts = List.of(args[i + 1].split(","));
            } else {
                throw new IllegalArgumentException("Unknown option " + args[i] + " " + args[i + 1] + " (--seconds N, --only "
                        + String.join("|", PARTS) + ", comma-separated)");
            }
        }
        BenchStack.main("bench/capacity/run.sh", List.of("notification-service"),
                () -> new BenchStack(BenchStack.repoRoot(), "capacity-bench"), new CapacityBench(seconds, parts));
    }

    @Override
    public String reportName() {
        return "capacity-bench";
    }

    @Override
    public void run(BenchStack stack) throws Exception {
        stack.line("Capacity bench, " + java.time.LocalDateTime.now());
        stack.line(BenchStack.machine() + "; load average at start " + BenchStack.loadAverage());
        PostgresServer postgres = stack.startInfrastructure();
        if (parts.contains("sequence-lock")) {
            sequenceLock(stack, postgres);
        }
        if (parts.contains("audience-counts")) {
            audienceCounts(stack, postgres);
        }
        if (parts.contains("partition")) {
            partition(stack, stack.kafkaBootstrap());
        }
        if (parts.contains("intake")) {
            intake(stack, postgres);
        }
        stack.writeReport(reportName());
    }

    // ---------------------------------------------------------------- the sequence lock

    private void sequenceLock(BenchStack stack, PostgresServer postgres) throws Exception {
        try (Connection c = postgres.connect("notification"); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE SEQUENCE IF NOT EXISTS cap_seq;
                    CREATE TABLE IF NOT EXISTS cap_notifications (id uuid PRIMARY KEY, seq bigint NOT NULL,
                        company text, title text, message text, data jsonb, created_at timestamptz NOT NULL DEFAULT now());
                    CREATE INDEX IF NOT EXISTS cap_notifications_company ON cap_notifications (company, seq);
                    CREATE TABLE IF NOT EXISTS cap_outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        record_key text, payload text)""");
        }
        stack.line("");
        stack.line("sequence lock: N writers, each a batch of B rows (a notification and its outbox entry each) in one "
                + "round trip with its commit (WAL flushed), " + seconds + " s per cell; batches/s and rows/s");
        stack.line(String.format(Locale.ROOT, "%-10s %-4s %16s %16s %16s", "writers", "B", "one lock", "4 lock keys",
                "no lock"));
        for (int batch : new int[] { 1, 10, 100 }) {
            for (int writers : new int[] { 1, 4, 16 }) {
                String[] cells = new String[3];
                int[] keys = { 1, 4, 0 };
                for (int k = 0; k < 3; k++) {
                    double[] r = writers(postgres, writers, batch, keys[k]);
                    cells[k] = String.format(Locale.ROOT, "%,.0f / %,.0f", r[0], r[1]);
                }
                stack.line(String.format(Locale.ROOT, "%-10d %-4d %16s %16s %16s", writers, batch, cells[0], cells[1],
                        cells[2]));
            }
        }
    }

    /** {@code keys}: lock keys the writers spread over (0: no lock). Returns {batches/s, rows/s}. */
    private double[] writers(PostgresServer postgres, int writers, int batch, int keys) throws Exception {
        AtomicBoolean run = new AtomicBoolean(true);
        AtomicLong batches = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        String lock = keys == 0 ? "" : "SELECT pg_advisory_xact_lock(?);";
        String sql = lock + """
                WITH s AS (SELECT setval('cap_seq', nextval('cap_seq') + ? - 1) AS last),
                n AS (INSERT INTO cap_notifications (id, seq, company, title, message, data)
                      SELECT t.id, s.last - ? + t.i, 'company_' || (t.i % 10), 'Standup moved to 10:30',
                             'The daily standup moves to 10:30 from tomorrow on.', '{"room": "4.12"}'
                        FROM s, unnest(?::uuid[]) WITH ORDINALITY AS t(id, i) RETURNING id, seq)
                INSERT INTO cap_outbox (record_key, payload)
                SELECT 'company_1', '{"kind":"created","seq":' || n.seq || ',"notification":{"id":"' || n.id
                       || '","title":"Standup moved to 10:30","message":"The daily standup moves to 10:30 from tomorrow on."}}'
                  FROM n ORDER BY n.seq;
                COMMIT""";
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            int key = keys == 0 ? 0 : w % keys;
            Thread t = new Thread(() -> {
                try (Connection c = postgres.connect("notification")) {
                    c.setAutoCommit(false);
                    try (PreparedStatement s = c.prepareStatement(sql)) {
                        while (run.get()) {
                            int p = 1;
                            if (keys != 0) {
                                s.setLong(p++, 0x6361700000L + key);
                            }
                            s.setInt(p++, batch);
                            s.setInt(p++, batch);
                            UUID[] ids = new UUID[batch];
                            for (int i = 0; i < batch; i++) {
                                ids[i] = UUID.randomUUID();
                            }
                            Array array = c.createArrayOf("uuid", ids);
                            s.setArray(p, array);
                            s.execute();
                            batches.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        run.set(false);
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a writer failed", failures.get(0));
        }
        double elapsed = BenchStack.seconds(start);
        try (Connection c = postgres.connect("notification"); Statement s = c.createStatement()) {
            s.execute("TRUNCATE cap_notifications, cap_outbox"); // each cell starts from empty tables
        }
        return new double[] { batches.get() / elapsed, batches.get() * batch / elapsed };
    }

    // ---------------------------------------------------------------- audience counts

    /** Audience sizes measured; the largest is a company of 10M users' share of one topic or company. */
    private static final int[] AUDIENCES = { 1_000, 10_000, 100_000, 1_000_000 };

    private void audienceCounts(BenchStack stack, PostgresServer postgres) throws Exception {
        try (Connection c = postgres.connect("notification"); Statement s = c.createStatement()) {
            // notification-service's V31__topics.sql and auth-service's V1__identity.sql, the tables these counts read
            s.execute("""
                    CREATE TABLE cap_topic_subscriptions (company VARCHAR(64) NOT NULL, topic VARCHAR(128) NOT NULL,
                        user_id VARCHAR(64) NOT NULL, since_seq BIGINT NOT NULL,
                        subscribed_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (company, topic, user_id));
                    CREATE INDEX cap_topic_subscriptions_user_idx ON cap_topic_subscriptions (user_id, company, topic)
                        INCLUDE (since_seq);
                    CREATE TABLE cap_companies (id BIGSERIAL PRIMARY KEY, slug VARCHAR(64) NOT NULL UNIQUE,
                        name VARCHAR(200) NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
                    CREATE TABLE cap_users (id UUID PRIMARY KEY, username VARCHAR(64) NOT NULL,
                        display_name VARCHAR(200) NOT NULL, email VARCHAR(320), password_hash VARCHAR(100) NOT NULL,
                        company_id BIGINT NOT NULL REFERENCES cap_companies (id), enabled BOOLEAN NOT NULL DEFAULT TRUE,
                        created_at TIMESTAMPTZ NOT NULL DEFAULT now());
                    CREATE INDEX cap_users_company_idx ON cap_users (company_id);
                    CREATE TABLE cap_user_roles (user_id UUID NOT NULL REFERENCES cap_users (id) ON DELETE CASCADE,
                        role VARCHAR(32) NOT NULL, PRIMARY KEY (user_id, role))""");
            long start = System.nanoTime();
            for (int size : AUDIENCES) {
                s.execute("INSERT INTO cap_topic_subscriptions (company, topic, user_id, since_seq) SELECT 'company_"
                        + size + "', 'project-42', gen_random_uuid()::text, i FROM generate_series(1, " + size + ") i");
                s.execute("INSERT INTO cap_companies (slug, name) VALUES ('company_" + size + "', 'Company " + size + "')");
                // every user holds the role 'user', one in ten also 'admin' (the role audience counted below)
                s.execute("INSERT INTO cap_users (id, username, display_name, email, password_hash, company_id) SELECT "
                        + "gen_random_uuid(), 'u' || " + size + " || '_' || i, 'User ' || i, 'u' || i || '@example.com', "
                        + "repeat('x', 60), (SELECT id FROM cap_companies WHERE slug = 'company_" + size + "') "
                        + "FROM generate_series(1, " + size + ") i");
                s.execute("INSERT INTO cap_user_roles (user_id, role) SELECT u.id, 'user' FROM cap_users u JOIN cap_companies c "
                        + "ON c.id = u.company_id WHERE c.slug = 'company_" + size + "'");
                s.execute("INSERT INTO cap_user_roles (user_id, role) SELECT u.id, 'admin' FROM cap_users u JOIN cap_companies c "
                        + "ON c.id = u.company_id WHERE c.slug = 'company_" + size + "' AND u.username LIKE '%0'");
            }
            // the subscriber counts as notification-service's V33 migration makes them, and the role rows carrying their
            // users' company and state as auth-service's V5 makes them (their triggers, their backfills)
            s.execute(migration("notification-service", "V33__topic_subscriber_counts.sql")
                    .replace("topic_subscri", "cap_topic_subscri"));
            s.execute(migration("auth-service", "V5__role_holders_by_company.sql")
                    .replaceAll("\\b(users|user_roles)\\b", "cap_$1"));
            s.execute("VACUUM ANALYZE cap_topic_subscriptions, cap_topic_subscriber_counts, cap_companies, cap_users, "
                    + "cap_user_roles");
            stack.line("");
            stack.line(String.format(Locale.ROOT, "audience counts: the real tables' shapes holding audiences of %s "
                    + "(loaded and vacuumed in %.0f s); one connection, parallel query off; ms per count (counts in 2 s, "
                    + "at least 3)", java.util.Arrays.toString(AUDIENCES), BenchStack.seconds(start)));
        }
        stack.line(String.format(Locale.ROOT, "%-12s %20s %20s %20s %20s %20s", "audience", "topic, counted",
                "topic, now", "company", "role, joined", "role, now"));
        // as AudienceSizes asks the store, and the SQL Hibernate makes of UserDirectory.count's queries (logged from
        // UserCountTest with quarkus.hibernate-orm.log.sql), each count planned for that company as UserDirectory.count
        // plans it. "Topic, counted" is notification-service before session 30 (its subscriptions counted on every
        // send), "now" reads the topic's row of subscriber counts. "Role, joined" is auth-service in session 29 (users
        // joined to their role rows: `:role member of roles` becomes an exists), "now" counts the role rows alone (V5)
        String topic = "SELECT count(*) FROM cap_topic_subscriptions WHERE company = ? AND topic = 'project-42'";
        String topicNow = "SELECT subscribers FROM cap_topic_subscriber_counts WHERE company = ? AND topic = 'project-42'";
        String company = "SELECT count(*) FROM cap_users u WHERE u.company_id = ? AND u.enabled = true";
        String roleJoined = company + " AND EXISTS (SELECT 1 FROM cap_user_roles r WHERE u.id = r.user_id AND r.role = 'admin')";
        String roleNow = "SELECT count(*) FROM cap_user_roles WHERE company_id = ? AND role = 'admin' AND user_enabled";
        try (Connection c = postgres.connect("notification")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET max_parallel_workers_per_gather = 0");
            }
            for (int size : AUDIENCES) {
                String slug = "company_" + size;
                long id;
                try (Statement s = c.createStatement();
                        java.sql.ResultSet rs = s.executeQuery("SELECT id FROM cap_companies WHERE slug = '" + slug + "'")) {
                    rs.next();
                    id = rs.getLong(1);
                }
                stack.line(String.format(Locale.ROOT, "%-12s %20s %20s %20s %20s %20s", String.format(Locale.ROOT, "%,d", size),
                        countMillis(c, topic, slug, false), countMillis(c, topicNow, slug, false),
                        countMillis(c, company, id, true), countMillis(c, roleJoined, id, true), countMillis(c, roleNow, id, true)));
            }
            subscribeCost(stack, c);
        }
    }

    private static String migration(String module, String file) throws java.io.IOException {
        return java.nio.file.Files.readString(BenchStack.repoRoot().resolve(module + "/src/main/resources/db/migration/" + file));
    }

    /**
     * What keeping the counts costs a subscription change, which runs under the sequence lock: a subscribe and an
     * unsubscribe (a row inserted and deleted, as {@code TopicService} writes them) into the topic of 1,000,000
     * subscribers, 100 pairs per commit, with the counting trigger disabled and enabled in turn, twice.
     */
    private static void subscribeCost(BenchStack stack, Connection c) throws Exception {
        StringBuilder line = new StringBuilder("subscribe + unsubscribe, us per pair without / with the count trigger:");
        for (int round = 0; round < 2; round++) {
            double[] us = new double[2];
            for (int on = 0; on < 2; on++) {
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE cap_topic_subscriptions " + (on == 1 ? "ENABLE" : "DISABLE")
                            + " TRIGGER cap_topic_subscriber_count");
                }
                us[on] = pairMicros(c);
            }
            line.append(String.format(Locale.ROOT, "%s %.0f / %.0f (%.2fx)", round == 0 ? "" : ",", us[0], us[1], us[1] / us[0]));
        }
        stack.line(line.toString());
    }

    private static double pairMicros(Connection c) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO cap_topic_subscriptions (company, topic, user_id, "
                + "since_seq) VALUES ('company_1000000', 'project-42', ?, 1)");
                PreparedStatement delete = c.prepareStatement("DELETE FROM cap_topic_subscriptions "
                        + "WHERE company = 'company_1000000' AND topic = 'project-42' AND user_id = ?")) {
            int pairs = 0;
            long start = System.nanoTime();
            while (pairs < 300 || BenchStack.seconds(start) < 2) {
                String user = "subscriber-" + pairs;
                insert.setString(1, user);
                insert.executeUpdate();
                delete.setString(1, user);
                delete.executeUpdate();
                if (++pairs % 100 == 0) {
                    c.commit();
                }
            }
            c.commit();
            return BenchStack.seconds(start) * 1e6 / pairs;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Milliseconds per count of {@code sql} for this company (its slug or its id), and the count. The statement is
     * prepared once and run again and again, as a pooled connection runs it: pgjdbc prepares it on the server after its
     * fifth run, and PostgreSQL may then plan it once for any company. {@code customPlan}: each count in a transaction
     * that first sets {@code plan_cache_mode = force_custom_plan}, as auth-service's {@code UserDirectory.count} does.
     */
    private static String countMillis(Connection c, String sql, Object company, boolean customPlan) throws Exception {
        c.setAutoCommit(!customPlan);
        try (PreparedStatement count = c.prepareStatement(sql); Statement set = c.createStatement()) {
            count.setObject(1, company);
            long rows = 0;
            int n = 0;
            long start = System.nanoTime();
            while (n < 3 || BenchStack.seconds(start) < 2) {
                if (customPlan) {
                    set.execute("SET LOCAL plan_cache_mode = force_custom_plan");
                }
                try (java.sql.ResultSet rs = count.executeQuery()) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                if (customPlan) {
                    c.commit();
                }
                n++;
            }
            return String.format(Locale.ROOT, "%.2f ms (%,d)", BenchStack.seconds(start) * 1000 / n, rows);
        } finally {
            c.setAutoCommit(true);
        }
    }

    // ---------------------------------------------------------------- the Kafka intake

    /** Records per measured pass of the intake, and per warm-up pass. */
    private static final int INTAKE_RECORDS = 20_000;
    private static final int INTAKE_WARM_UP = 4_000;
    /** Concurrent REST sends beside it: as many requests in flight as a busy producer fleet keeps. */
    private static final int REST_IN_FLIGHT = 64;

    /**
     * The Kafka intake's throughput beside the same store's REST sends, in the same run: notification-service as its
     * image runs it, a producer writing {@value #INTAKE_RECORDS} single-user requests to {@code notification-requests}
     * (its 3 partitions, keyed by user) as fast as the broker takes them, timed from the first record produced until
     * the store holds every one; then as many REST sends with {@value #REST_IN_FLIGHT} in flight. Each after a
     * warm-up pass of {@value #INTAKE_WARM_UP}. The ratio says how much of what the store can take the intake takes.
     */
    private void intake(BenchStack stack, PostgresServer postgres) throws Exception {
        java.nio.file.Path app = stack.copyApp("notification-service");
        List<String> jvm = new ArrayList<>(io.notify.bench.footprint.Service.NOTIFICATION.imageJvmFlags(BenchStack.repoRoot()));
        jvm.replaceAll(flag -> flag.startsWith("-XX:MaxRAMPercentage=") ? "-Xmx410m" : flag);
        java.net.URI base = stack.startNotificationService(app, jvm);
        stack.line("");
        stack.line("Kafka intake: notification-service (" + String.join(" ", jvm) + "), " + INTAKE_RECORDS
                + " single-user requests produced to notification-requests (3 partitions, acks=all) as fast as the broker "
                + "takes them, until all are stored; beside as many REST sends with " + REST_IN_FLIGHT
                + " in flight; each after a warm-up pass of " + INTAKE_WARM_UP);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        String admin = io.notify.infra.test.TestTokens.token(UUID.randomUUID().toString(), "bench-admin", "company_a",
                java.util.Set.of("admin", "user"));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
                Connection db = postgres.connect("notification")) {
            for (int pass = 0; pass < 2; pass++) {
                int n = pass == 0 ? INTAKE_WARM_UP : INTAKE_RECORDS;
                String run = UUID.randomUUID().toString().substring(0, 8);
                long before = stored(db);
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    String user = "intake-user-" + (i % 200);
                    producer.send(new ProducerRecord<>("notification-requests", user, request(user, "kafka-" + run + "-" + i)));
                }
                producer.flush();
                double produced = BenchStack.seconds(start);
                awaitStored(db, before + n);
                double kafka = n / BenchStack.seconds(start);

                before = stored(db);
                start = System.nanoTime();
                java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(REST_IN_FLIGHT);
                AtomicLong failed = new AtomicLong();
                for (int i = 0; i < n; i++) {
                    String user = "rest-user-" + (i % 200);
                    inFlight.acquire();
                    http.sendAsync(java.net.http.HttpRequest.newBuilder(base.resolve("/api/notifications"))
                            .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request(user, "rest-" + run + "-" + i)))
                            .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                                if (e != null || r.statusCode() != 201) {
                                    failed.incrementAndGet();
                                }
                                inFlight.release();
                            });
                }
                inFlight.acquire(REST_IN_FLIGHT);
                double rest = n / BenchStack.seconds(start);
                if (failed.get() > 0 || stored(db) < before + n) {
                    throw new IllegalStateException(failed.get() + " REST sends failed");
                }
                stack.line(String.format(Locale.ROOT, "%s: intake %,.0f sends/s (produced in %.1f s), REST %,.0f sends/s; "
                        + "intake / REST %.2f", pass == 0 ? "warm-up" : "measured", kafka, produced, rest, kafka / rest));
            }
            // company broadcasts take their company's send quota first, one statement (and commit) per record on the
            // consumer's thread: 20 companies, each well under its default quota of 6,000 a minute
            String run = UUID.randomUUID().toString().substring(0, 8);
            long before = stored(db);
            long start = System.nanoTime();
            for (int i = 0; i < COMPANY_BROADCASTS; i++) {
                String company = "intake-co-" + (i % 20);
                producer.send(new ProducerRecord<>("notification-requests", company, ("{\"audience\":{\"type\":\"company\","
                        + "\"company\":\"" + company + "\"},\"title\":\"Maintenance tonight\",\"message\":\"From 22:00 UTC\","
                        + "\"idempotency_key\":\"company-" + run + "-" + i + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            producer.flush();
            awaitStored(db, before + COMPANY_BROADCASTS);
            stack.line(String.format(Locale.ROOT, "company broadcasts (%,d to 20 companies, each taking its company's quota): "
                    + "intake %,.0f sends/s", COMPANY_BROADCASTS, COMPANY_BROADCASTS / BenchStack.seconds(start)));
        }
    }

    /** Company-audience requests in the intake's last pass (20 companies, 200 each: under their quotas). */
    private static final int COMPANY_BROADCASTS = 4_000;

    private static byte[] request(String user, String key) {
        return ("{\"audience\":{\"type\":\"user\",\"user_ids\":[\"" + user + "\"]},\"title\":\"Invoice approved\","
                + "\"message\":\"INV-1001 was approved by the finance team\",\"type\":\"approval\",\"idempotency_key\":\""
                + key + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long stored(Connection db) throws java.sql.SQLException {
        try (Statement s = db.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM notifications")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitStored(Connection db, long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (stored(db) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the intake stored " + stored(db) + " of " + count + " in 5 minutes");
            }
            Thread.sleep(20); // polling the store for a count, not waiting out a guess: the figure is the time to the last row
        }
    }

    // ---------------------------------------------------------------- one partition

    private void partition(BenchStack stack, String bootstrap) throws Exception {
        stack.line("");
        stack.line("one partition: a producer (acks=all, idempotent) of 600-byte events as fast as the broker takes them, "
                + "G consumers reading all of it, each in its own group; " + seconds + " s per G");
        byte[] event = new byte[600];
        java.util.Arrays.fill(event, (byte) 'x');
        for (int consumers : new int[] { 1, 2, 4 }) {
            String topic = "capacity-" + UUID.randomUUID();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            AtomicBoolean run = new AtomicBoolean(true);
            AtomicLong produced = new AtomicLong();
            List<AtomicLong> consumed = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int g = 0; g < consumers; g++) {
                AtomicLong count = new AtomicLong();
                consumed.add(count);
                Thread t = new Thread(() -> {
                    Properties p = new Properties();
                    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                    p.put(ConsumerConfig.GROUP_ID_CONFIG, "capacity-" + UUID.randomUUID());
                    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                        consumer.subscribe(List.of(topic));
                        while (run.get()) {
                            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                            count.addAndGet(records.count());
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            long start;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, event)).get(); // metadata and the consumers' assignment
                start = System.nanoTime();
                long[] atStart = consumed.stream().mapToLong(AtomicLong::get).toArray();
                while (BenchStack.seconds(start) < seconds) {
                    producer.send(new ProducerRecord<>(topic, event), (m, e) -> {
                        if (e == null) {
                            produced.incrementAndGet();
                        }
                    });
                }
                producer.flush();
                double elapsed = BenchStack.seconds(start);
                run.set(false);
                for (Thread t : threads) {
                    t.join();
                }
                StringBuilder per = new StringBuilder();
                for (int g = 0; g < consumers; g++) {
                    per.append(g == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f",
                            (consumed.get(g).get() - atStart[g]) / elapsed));
                }
                stack.line(String.format(Locale.ROOT, "G=%d: %,.0f events/s into the partition (%.1f MB/s); read per "
                        + "consumer: %s events/s", consumers, produced.get() / elapsed, produced.get() * 600.0 / elapsed / 1e6, per));
            }
        }
    }
}
