package io.notify.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Fills the notification-service's database directly with SQL ({@code INSERT ... SELECT} over
 * {@code generate_series}), respecting its schema (db/migration V1, V2): seqs drawn from
 * {@code event_seq} in increasing order with increasing {@code created_at}, recipient rows for
 * {@code user}/{@code users} notifications, and some per-user state (read and seen watermarks, read/deleted/archived/snoozed
 * marks, muted types, topic subscriptions).
 *
 * <p>Users are {@code user-<c>-<i>} in company {@code company_<c>}; everyone has role {@code user},
 * every 20th user ({@code i % 20 == 0}) also {@code admin} (see {@link #isAdmin}). Topics are {@code topic-<j>} of
 * company {@code j % companies}, {@value #TOPICS} of them, each with {@value #SUBSCRIBERS_PER_TOPIC} subscribers of its
 * company (fewer when the company has fewer users).
 */
final class Seeder {

    /** InboxService.KNOWN_TYPES. */
    static final List<String> TYPES = List.of("general", "meeting", "meeting_response", "meeting_invitation",
            "meeting_scheduled", "action_item", "approval", "mom_created", "info", "warning", "error", "success");

    static final int TOPICS = 1_000;
    static final int SUBSCRIBERS_PER_TOPIC = 50;

    private final Connection db;
    private final int notifications;
    private final int companies;
    private final int usersPerCompany;
    private final double randomSeed;

    Seeder(Connection db, int notifications, int companies, int usersPerCompany, long seed) {
        this.db = db;
        this.notifications = notifications;
        this.companies = companies;
        this.usersPerCompany = usersPerCompany;
        this.randomSeed = (seed % 1000) / 1000.0;
    }

    static String userId(int company, int index) {
        return "user-" + company + "-" + index;
    }

    static String company(int company) {
        return "company_" + company;
    }

    static boolean isAdmin(int index) {
        return index % 20 == 0;
    }

    void seed() throws SQLException {
        db.setAutoCommit(true);
        String types = TYPES.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ", "ARRAY[", "]"));
        long base = queryLong("SELECT nextval('event_seq')");
        // the whole set spans 60 days (retention is 90d) and ends now
        long microsApart = 60L * 24 * 3600 * 1_000_000 / notifications;

        step("generate", "SELECT setseed(" + randomSeed + ")",
                """
                CREATE TEMP TABLE bench_gen AS
                SELECT g, gen_random_uuid() AS id,
                       CASE WHEN a < 0.60 THEN 'user' WHEN a < 0.70 THEN 'users' WHEN a < 0.85 THEN 'company'
                            WHEN a < 0.90 THEN 'topic' WHEN a < 0.95 THEN 'role' ELSE 'everyone' END AS aud,
                       c, u, p, t, e, k, r, c + %d * floor(r * %d)::int AS tp
                FROM (SELECT g, random() AS a, floor(random() * %d)::int AS c, floor(random() * %d)::int AS u,
                             random() AS p, floor(random() * %d)::int AS t, random() AS e,
                             2 + floor(random() * 4)::int AS k, random() AS r
                      FROM generate_series(1, %d) g) x
                """.formatted(companies, Math.max(1, TOPICS / companies), companies, usersPerCompany, TYPES.size(),
                notifications));

        step("notifications", """
                INSERT INTO notifications (id, seq, audience_type, audience_company, audience_role, title, message,
                                           type, priority, data, link, sender, created_at, expires_at, audience_topic,
                                           delivery_checked_at)
                SELECT id, %d + g - 1, aud,
                       CASE WHEN aud IN ('company', 'role', 'topic') THEN 'company_' || c END,
                       CASE WHEN aud = 'role' THEN CASE WHEN r < 0.7 THEN 'admin' ELSE 'user' END END,
                       'Notification ' || g || ' for ' || aud,
                       'Body of benchmark notification ' || g || ': something happened that the ' || aud
                           || ' audience should know about, with enough text to look like a real message.',
                       (%s)[t + 1],
                       CASE WHEN p < 0.05 THEN 'urgent' WHEN p < 0.25 THEN 'high' WHEN p < 0.45 THEN 'low' ELSE 'normal' END,
                       jsonb_build_object('bench', true, 'n', g),
                       CASE WHEN g %% 4 = 0 THEN 'https://example.test/items/' || g END,
                       'bench-sender',
                       now() - (%d - g)::float8 * %d * interval '1 microsecond',
                       -- ~3%% expired within the last 20 hours: hidden, but not yet removed by retention (1d grace)
                       CASE WHEN e < 0.03 THEN now() - interval '1 minute' - (e / 0.03) * interval '20 hours' END,
                       CASE WHEN aud = 'topic' THEN 'topic-' || tp END,
                       -- history the undelivered check went through already, as a running system's check keeps up
                       -- with its sends (unchecked, the seeded 700k would have it publish undelivered events, and
                       -- relay them to Kafka, through the whole measurement)
                       CASE WHEN aud IN ('user', 'users') THEN now() END
                FROM bench_gen ORDER BY g
                """.formatted(base, types, notifications, microsApart),
                "SELECT setval('event_seq', " + (base + notifications - 1) + ")");

        // user: one recipient; users: 2-5 distinct recipients of the same company
        step("recipients", """
                INSERT INTO notification_recipients (user_id, notification_id, seq)
                SELECT 'user-' || c || '-' || ((u + j * 137) %% %d), id, %d + g - 1
                FROM bench_gen JOIN generate_series(0, 4) j
                  ON j < CASE aud WHEN 'user' THEN 1 WHEN 'users' THEN k ELSE 0 END
                ON CONFLICT DO NOTHING
                """.formatted(usersPerCompany, base));

        step("users", """
                CREATE TEMP TABLE bench_users AS
                SELECT 'user-' || c || '-' || i AS user_id, 'company_' || c AS company, i,
                       random() AS w, random() AS m, random() AS k, random() AS s
                FROM generate_series(0, %d) c, generate_series(0, %d) i
                """.formatted(companies - 1, usersPerCompany - 1));

        // ~30% read everything up to somewhere between 40% and 90% of the history
        step("inbox_state", """
                INSERT INTO inbox_state (user_id, read_up_to)
                SELECT user_id, %d + floor(%d * (0.4 + 0.5 * w / 0.3))::bigint FROM bench_users WHERE w < 0.3
                """.formatted(base, notifications));

        // ~20% read / deleted some of their newest company and direct notifications
        step("inbox_marks", """
                INSERT INTO inbox_marks (user_id, seq, notification_id, read, deleted)
                SELECT u.user_id, x.seq, x.id, x.rn % 2 = 1, x.rn % 2 = 0
                FROM bench_users u CROSS JOIN LATERAL (
                    SELECT n.seq, n.id, row_number() OVER (ORDER BY n.seq DESC) AS rn FROM notifications n
                    WHERE n.audience_type = 'company' AND n.audience_company = u.company
                    ORDER BY n.seq DESC OFFSET u.i % 40 LIMIT 4) x
                WHERE u.k < 0.2
                """,
                """
                INSERT INTO inbox_marks (user_id, seq, notification_id, read, deleted)
                SELECT u.user_id, x.seq, x.notification_id, x.rn % 2 = 1, x.rn % 2 = 0
                FROM bench_users u CROSS JOIN LATERAL (
                    SELECT r.seq, r.notification_id, row_number() OVER (ORDER BY r.seq DESC) AS rn
                    FROM notification_recipients r WHERE r.user_id = u.user_id ORDER BY r.seq DESC LIMIT 3) x
                WHERE u.k < 0.2
                ON CONFLICT DO NOTHING
                """);

        // ~60% opened their bell at some point: seen up to somewhere between 70% and 100% of the history (a row of
        // its own for those without a read watermark; the same row for those with one)
        step("seen", """
                INSERT INTO inbox_state (user_id, read_up_to, seen_up_to)
                SELECT user_id, 0, %d + floor(%d * (0.7 + 0.3 * s / 0.6))::bigint - 1 FROM bench_users WHERE s < 0.6
                ON CONFLICT (user_id) DO UPDATE SET seen_up_to = GREATEST(EXCLUDED.seen_up_to, inbox_state.read_up_to)
                """.formatted(base, notifications));

        // 10% archived: every user archived one in ten of the newest 100 company notifications they see (archiving
        // marks read; a mark already there for the same notification is archived as well)
        step("archived", """
                INSERT INTO inbox_marks (user_id, seq, notification_id, read, deleted, archived)
                SELECT u.user_id, x.seq, x.id, true, false, true
                FROM bench_users u CROSS JOIN LATERAL (
                    SELECT n.seq, n.id FROM notifications n
                    WHERE n.audience_type = 'company' AND n.audience_company = u.company
                    ORDER BY n.seq DESC LIMIT 100) x
                WHERE (x.seq + u.i) % 10 = 0
                ON CONFLICT (user_id, seq) DO UPDATE SET archived = NOT inbox_marks.deleted, read = true
                """);

        // 2% snoozed: every user snoozed one in fifty of the newest 100 company notifications they see, for 1-7 days
        // (none of them archived: a different remainder)
        step("snoozed", """
                INSERT INTO inbox_marks (user_id, seq, notification_id, read, deleted, snoozed_until)
                SELECT u.user_id, x.seq, x.id, false, false, now() + (1 + 6 * u.s) * interval '1 day'
                FROM bench_users u CROSS JOIN LATERAL (
                    SELECT n.seq, n.id FROM notifications n
                    WHERE n.audience_type = 'company' AND n.audience_company = u.company
                    ORDER BY n.seq DESC LIMIT 100) x
                WHERE (x.seq + u.i) % 50 = 7
                ON CONFLICT (user_id, seq) DO UPDATE SET snoozed_until = EXCLUDED.snoozed_until
                """);

        // topics: topic-<j> of company j % companies, 50 subscribers of that company each, subscribed somewhere in the
        // first 30% of the history (so they see most of its notifications, not those sent before they subscribed)
        step("topics", """
                INSERT INTO topic_subscriptions (company, topic, user_id, since_seq, subscribed_at)
                SELECT 'company_' || (j %% %d), 'topic-' || j, 'user-' || (j %% %d) || '-' || ((j * 37 + s * 19) %% %d),
                       %d + floor(random() * %d * 0.3)::bigint, now() - interval '60 days'
                FROM generate_series(0, %d) j, generate_series(0, %d) s
                ON CONFLICT DO NOTHING
                """.formatted(companies, companies, usersPerCompany, base, notifications, TOPICS - 1,
                SUBSCRIBERS_PER_TOPIC - 1));

        // ~10% switched one type off
        step("preferences", """
                INSERT INTO preferences (user_id, type, enabled)
                SELECT user_id, (%s)[1 + i %% %d], false FROM bench_users WHERE m < 0.1
                """.formatted(types, TYPES.size()));

        step("cleanup", "DROP TABLE bench_gen", "DROP TABLE bench_users");
        // VACUUM as well: autovacuum would otherwise start on the fresh million rows in the middle of the measurement
        step("vacuum analyze", "VACUUM (ANALYZE)", "CHECKPOINT");
    }

    /** Rows per table and the audience mix, for the report. */
    String summary() throws SQLException {
        StringBuilder out = new StringBuilder();
        for (String table : List.of("notifications", "notification_recipients", "inbox_state", "inbox_marks",
                "preferences", "topic_subscriptions")) {
            out.append(String.format("  %-24s %,10d rows%n", table, queryLong("SELECT count(*) FROM " + table)));
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT audience_type, count(*), count(*) FILTER (WHERE priority = 'urgent'),
                       count(*) FILTER (WHERE expires_at < now())
                FROM notifications GROUP BY 1 ORDER BY 2 DESC""")) {
            while (rs.next()) {
                out.append(String.format("    audience %-9s %,9d (urgent %,d, expired %,d)%n", rs.getString(1),
                        rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        out.append(String.format("    topics %,d, subscribers with a subscription %,d%n",
                queryLong("SELECT count(DISTINCT (company, topic)) FROM topic_subscriptions"),
                queryLong("SELECT count(DISTINCT user_id) FROM topic_subscriptions")));
        out.append(String.format("    seen watermarks %,d, archived marks %,d, snoozed marks %,d%n",
                queryLong("SELECT count(*) FROM inbox_state WHERE seen_up_to > 0"),
                queryLong("SELECT count(*) FROM inbox_marks WHERE archived"),
                queryLong("SELECT count(*) FROM inbox_marks WHERE snoozed_until IS NOT NULL")));
        out.append(String.format("  database size %s%n",
                queryString("SELECT pg_size_pretty(pg_database_size(current_database()))")));
        return out.toString();
    }

    private void step(String name, String... statements) throws SQLException {
        long start = System.nanoTime();
        try (Statement s = db.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        System.out.printf("  seeded %-16s in %,7d ms%n", name, (System.nanoTime() - start) / 1_000_000);
    }

    private long queryLong(String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String queryString(String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
