package io.notify.notification.quota;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The send quotas every instance shares: one counter per scope, key and fixed window in PostgreSQL
 * ({@code send_quota_usage}, V23), taken with one statement that adds one to each counter only while it is below its
 * limit ({@code INSERT … ON CONFLICT … DO UPDATE … WHERE used < limit}: the row lock makes concurrent takes on any
 * instance queue up, so a limit of N admits exactly N per window). The limit is read in the same statement: a
 * {@code send_quotas} row (see {@link #setLimit}) or the configured default, so a change applies to the next send on
 * every instance. A send counting against several counters takes all or none (one transaction).
 *
 * <p>
 * The counters are an unlogged table: a take commits without waiting for a WAL flush (a send's own commit is what
 * must survive a crash, not its count), at the price that a database crash or a failover forgets the current
 * window's counts. Windows past are deleted every minute.
 */
@ApplicationScoped
public class SendQuotas {

    public static final String COMPANY = "company";
    public static final String SERVICE_ACCOUNT = "service_account";
    public static final String USER = "user";
    /** The scopes {@link #setLimit} overrides (a user's limit is the configured one for everybody). */
    static final Set<String> OVERRIDABLE = Set.of(COMPANY, SERVICE_ACCOUNT);

    private static final Logger LOG = Logger.getLogger(SendQuotas.class);

    /** The start of the current window (of the length given as an interval), on the database's clock. */
    static final String WINDOW_START = "date_bin(CAST(? AS interval), now(), TIMESTAMPTZ '2000-01-01 00:00:00+00')";

    /**
     * Takes one from each counter of the current window whose limit is not reached; answers each counter in the
     * order asked, its limit, whether it was taken, and the window's end (the database's clock decides the window).
     */
    private static final String TAKE = """
            WITH w AS (
                SELECT %s AS start
            ), wanted AS (
                SELECT c.scope, c.key, c.i, COALESCE(q.per_minute, c.default_limit) AS lim
                  FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS int[]))
                       WITH ORDINALITY AS c(scope, key, default_limit, i)
                  LEFT JOIN send_quotas q ON q.scope = c.scope AND q.key = c.key
            ), taken AS (
                INSERT INTO send_quota_usage AS u (scope, key, window_start, used, quota)
                SELECT wanted.scope, wanted.key, w.start, 1, wanted.lim FROM wanted, w WHERE wanted.lim > 0
                ON CONFLICT (scope, key, window_start) DO UPDATE SET used = u.used + 1, quota = EXCLUDED.quota
                 WHERE u.used < EXCLUDED.quota
                RETURNING u.scope, u.key
            )
            SELECT wanted.scope, wanted.key, wanted.lim, taken.key IS NOT NULL, w.start + CAST(? AS interval),
                   CAST(EXTRACT(EPOCH FROM w.start + CAST(? AS interval) - now()) * 1000 AS bigint)
              FROM wanted CROSS JOIN w
              LEFT JOIN taken ON taken.scope = wanted.scope AND taken.key = wanted.key
             ORDER BY wanted.i""".formatted(WINDOW_START);

    private static final String SET_LIMIT = """
            INSERT INTO send_quotas (scope, key, per_minute, updated_at) VALUES (?, ?, ?, now())
            ON CONFLICT (scope, key) DO UPDATE SET per_minute = EXCLUDED.per_minute, updated_at = EXCLUDED.updated_at""";

    private final AgroalDataSource database;
    private final QuotaConfig config;
    private final QuotaMetrics metrics;
    /** The window as PostgreSQL reads an interval. */
    private final String window;

    public SendQuotas(AgroalDataSource database, QuotaConfig config, QuotaMetrics metrics) {
        this.database = database;
        this.config = config;
        this.metrics = metrics;
        this.window = config.quotaWindow().toMillis() + " milliseconds";
    }

    /**
     * Sets the limit of one company ({@link #COMPANY}, key: its name) or service account ({@link #SERVICE_ACCOUNT},
     * key: its token's {@code sub}) in sends per window (a minute in production); {@code null} puts it back to the
     * configured default ({@code notify.send.company-quota-per-minute}, {@code …service-account-quota-per-minute});
     * {@code 0} stops its sends. Applies to the next send on every instance (each take reads the limit). Blocking
     * (one statement): never on an event loop.
     *
     * @throws IllegalArgumentException for another scope, a blank key or a negative limit
     */
    public void setLimit(String scope, String key, Integer perMinute) {
        if (!OVERRIDABLE.contains(scope)) {
            throw new IllegalArgumentException("scope must be one of " + OVERRIDABLE + ", not " + scope);
        }
        if (key == null || key.isBlank() || key.length() > 200) {
            throw new IllegalArgumentException("key must be 1 to 200 characters");
        }
        if (perMinute != null && perMinute < 0) {
            throw new IllegalArgumentException("perMinute must be 0 or more, or null for the default");
        }
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(SET_LIMIT)) {
            s.setString(1, scope);
            s.setString(2, key);
            s.setObject(3, perMinute, java.sql.Types.INTEGER);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the send quota of " + scope + " " + key, e);
        }
    }

    /**
     * Takes one send from every counter in {@code keys} (distinct) in the current window, or none when any of them is
     * used up: then the verdict names the first of those, in the order given. Counts the accepted send per company.
     * Blocking: never on an event loop.
     *
     * @throws IllegalStateException when the database cannot answer (nothing was taken)
     */
    public QuotaVerdict take(List<QuotaKey> keys) {
        keys = keys.stream().distinct().toList(); // a counter taken twice in one statement is an error
        if (keys.isEmpty()) {
            return QuotaVerdict.GRANTED;
        }
        try (Connection c = database.getConnection()) {
            boolean atomically = keys.size() > 1; // one counter: the statement alone is all or none
            if (atomically) {
                c.setAutoCommit(false);
            }
            try {
                QuotaVerdict verdict = take(c, keys);
                if (atomically) {
                    if (verdict.granted()) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                }
                if (verdict.granted()) {
                    keys.stream().filter(QuotaKey::isCompany).forEach(k -> metrics.accepted(k.key()));
                }
                return verdict;
            } catch (SQLException | RuntimeException e) {
                if (atomically) {
                    c.rollback();
                }
                throw e;
            } finally {
                if (atomically) {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take a send quota: " + e.getMessage(), e);
        }
    }

    private QuotaVerdict take(Connection c, List<QuotaKey> keys) throws SQLException {
        int n = keys.size();
        Object[] scopes = new Object[n];
        Object[] names = new Object[n];
        Object[] defaults = new Object[n];
        for (int i = 0; i < n; i++) {
            scopes[i] = keys.get(i).scope();
            names[i] = keys.get(i).key();
            defaults[i] = defaultLimit(keys.get(i).scope());
        }
        try (PreparedStatement s = c.prepareStatement(TAKE)) {
            s.setString(1, window);
            s.setArray(2, array(c, "text", scopes));
            s.setArray(3, array(c, "text", names));
            s.setArray(4, array(c, "int4", defaults));
            s.setString(5, window);
            s.setString(6, window);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(4)) {
                        Instant end = rs.getObject(5, OffsetDateTime.class).toInstant();
                        long seconds = Math.max(1, (rs.getLong(6) + 999) / 1000);
                        return new QuotaVerdict(new QuotaKey(rs.getString(1), rs.getString(2)), rs.getInt(3),
                                config.quotaWindow(), end, seconds);
                    }
                }
            }
        }
        return QuotaVerdict.GRANTED;
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }

    private int defaultLimit(String scope) {
        return switch (scope) {
            case COMPANY -> config.companyQuotaPerMinute();
            case SERVICE_ACCOUNT -> config.serviceAccountQuotaPerMinute();
            case USER -> config.userRatePerMinute();
            default -> throw new IllegalArgumentException("No send quota scope " + scope);
        };
    }

    /** Counters of windows before the last one are of no more use. */
    @Scheduled(identity = "send-quota-cleanup", every = "1m", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deleteOldWindows() {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM send_quota_usage WHERE window_start < now() - 2 * CAST(? AS interval)")) {
            s.setString(1, window);
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Deleting old send quota windows failed, will retry: %s", e.toString());
        }
    }
}
