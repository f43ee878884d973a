package io.notify.notification.send;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.notify.notification.outbox.TraceParent;
import io.notify.notification.quota.QuotaKey;
import io.notify.notification.quota.QuotaMetrics;
import io.notify.notification.quota.QuotaVerdict;
import io.notify.notification.quota.SendQuotas;
import io.opentelemetry.context.Scope;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Kafka requests over their company's send quota: never dropped, never dead-lettered, never holding up the partition.
 * The consumer keeps such a request here ({@link #defer}, table {@code deferred_sends}) due when its quota window
 * ends, and acknowledges its record. Every {@code notify.send.deferred-poll-interval} each instance goes through the
 * companies that have due requests: for each, in one transaction, it takes the oldest due rows no other instance holds
 * ({@code FOR UPDATE SKIP LOCKED}), takes the company's quota for each until it is used up, stores those through the
 * group-committing writer and deletes them. A company whose quota is used up is left alone by this instance until its
 * window ends: its waiting rows are neither read nor written again meanwhile, so a backlog costs nothing while it
 * waits, and every company gets its turn in every pass however large another's backlog is. A row stored but not
 * deleted (an instance stopped in between) is stored again with the same idempotency key, which creates nothing new:
 * the consumer gave every request one (see {@link NotificationRequestConsumer}).
 *
 * <p>
 * How far it lags: a burst of N requests over a quota of Q per window is stored within about N/Q windows (minutes),
 * Q per window, oldest first, plus up to one poll interval; requests arriving meanwhile while the quota allows them are
 * stored at once, so a company that keeps sending faster than its quota keeps a backlog, and its requests are not
 * stored in the order they were produced.
 */
@ApplicationScoped
public class DeferredSends {

    private static final Logger LOG = Logger.getLogger(DeferredSends.class);
    private static final int BATCH = 200;

    private static final String DEFER = """
            INSERT INTO deferred_sends (idempotency_key, company, request, trace_context, due_at)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING""";
    /** The companies with due rows, one index probe each (deferred_sends_company_due). */
    private static final String DUE_COMPANIES = """
            WITH RECURSIVE c(company) AS (
                (SELECT company FROM deferred_sends WHERE due_at <= now() ORDER BY company LIMIT 1)
                UNION ALL
                SELECT (SELECT d.company FROM deferred_sends d WHERE d.company > c.company AND d.due_at <= now()
                         ORDER BY d.company LIMIT 1)
                  FROM c WHERE c.company IS NOT NULL
            )
            SELECT company FROM c WHERE company IS NOT NULL""";
    private static final String DUE = """
            SELECT id, request, trace_context FROM deferred_sends WHERE company = ? AND due_at <= now()
             ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED""";

    private final AgroalDataSource database;
    private final SendQuotas quotas;
    private final QuotaMetrics quotaMetrics;
    private final SendPipeline pipeline;
    private final ObjectMapper json;
    /** Companies whose quota this instance found used up, until when (their window's end). */
    private final Map<String, Instant> usedUp = new ConcurrentHashMap<>();

    public DeferredSends(AgroalDataSource database, SendQuotas quotas, QuotaMetrics quotaMetrics, SendPipeline pipeline,
            ObjectMapper json) {
        this.database = database;
        this.quotas = quotas;
        this.quotaMetrics = quotaMetrics;
        this.pipeline = pipeline;
        this.json = json;
    }

    /**
     * Keeps a valid Kafka request (with its idempotency key) that {@code verdict} refused, due when the verdict's window
     * ends; returns once committed. A request kept before (a redelivered record) is kept once. Tried again like
     * {@link SendPipeline#storeDurably} while the database is away: its record is not acknowledged before.
     */
    @Retry(maxRetries = -1, delay = 100, maxDuration = 0, jitter = 0)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    public void defer(NotificationRequest request, QuotaVerdict verdict) {
        String company = verdict.refusedBy().key();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(DEFER)) {
            s.setString(1, request.idempotencyKey());
            s.setString(2, company);
            s.setString(3, json.writeValueAsString(request));
            s.setString(4, TraceParent.current());
            s.setObject(5, OffsetDateTime.ofInstant(verdict.windowEnd(), ZoneOffset.UTC));
            if (s.executeUpdate() == 1) {
                quotaMetrics.deferred(company);
            }
        } catch (SQLException | JsonProcessingException e) {
            LOG.warnf("Keeping a notification request over quota failed, trying again: %s", e.toString());
            throw new IllegalStateException(e);
        }
    }

    @Scheduled(identity = "deferred-sends", every = "${notify.send.deferred-poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        Instant now = Instant.now();
        usedUp.values().removeIf(end -> !end.isAfter(now));
        try {
            for (String company : dueCompanies()) {
                while (!usedUp.containsKey(company) && storeDue(company) == BATCH) {
                    // a full batch stored: more of this company's may be due
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Storing deferred notification requests failed, will retry: %s", e.toString());
        }
    }

    private List<String> dueCompanies() throws SQLException {
        List<String> companies = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(DUE_COMPANIES);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                companies.add(rs.getString(1));
            }
        }
        companies.removeIf(usedUp::containsKey);
        return companies;
    }

    /** One batch of a company's due rows, in one transaction; answers how many were stored. */
    private int storeDue(String company) throws SQLException {
        return ClaimedRows.inTransaction(database, c -> storeDue(c, company));
    }

    private int storeDue(Connection c, String company) throws SQLException {
        Map<Long, CompletableFuture<NotificationWriter.Sent>> storing = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(DUE)) {
            s.setString(1, company);
            s.setInt(2, BATCH);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    QuotaVerdict verdict = quotas.take(List.of(QuotaKey.company(company)));
                    if (!verdict.granted()) {
                        usedUp.put(company, verdict.windowEnd()); // the rest stay due: the next window
                        break;
                    }
                    String traceContext = rs.getString(3);
                    try (Scope trace = traceContext == null ? null : TraceParent.parent(traceContext).makeCurrent()) {
                        storing.put(rs.getLong(1),
                                pipeline.submitFromKafka(json.readValue(rs.getString(2), NotificationRequest.class)));
                    } catch (JsonProcessingException | RuntimeException e) {
                        // the writer's queue is full, say: the row stays due for the next run
                        LOG.warnf("A deferred notification request could not be queued, will retry: %s", e.toString());
                    }
                }
            }
        }
        return ClaimedRows.deleteStored(c, "deferred_sends", "int8", storing, "deferred notification request");
    }
}
