package io.notify.notification.outbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * The relay on {@code /q/metrics}: {@code notify_outbox_published_total} (events Kafka acknowledged and the relay
 * then deleted), {@code notify_outbox_pending} (entries waiting: the id spans of the events' and the engagement events'
 * outboxes, read through their primary keys at scrape time) and {@code notify_outbox_lag_seconds} (how long the oldest waiting entry has waited; 0 when
 * none waits).
 */
@Singleton
public class OutboxMetrics {

    private static final Logger LOG = Logger.getLogger(OutboxMetrics.class);

    private final AgroalDataSource database;
    private final Counter published;

    public OutboxMetrics(MeterRegistry registry, AgroalDataSource database) {
        this.database = database;
        this.published = Counter.builder("notify.outbox.published")
                .description("Outbox events Kafka acknowledged (relayed)").register(registry);
        Gauge.builder("notify.outbox.pending", this, m -> m.read("SELECT (SELECT COALESCE(max(id) - min(id) + 1, 0) FROM outbox)"
                + " + (SELECT COALESCE(max(id) - min(id) + 1, 0) FROM " + OutboxRelay.ENGAGEMENT_TABLE + ")"))
                .description("Outbox entries waiting for the relay").register(registry);
        Gauge.builder("notify.outbox.lag", this, m -> m.read("""
                SELECT COALESCE(EXTRACT(EPOCH FROM now() - LEAST((SELECT created_at FROM outbox ORDER BY id LIMIT 1),
                                                                  (SELECT created_at FROM %s ORDER BY id LIMIT 1))), 0)"""
                .formatted(OutboxRelay.ENGAGEMENT_TABLE)))
                .description("How long the oldest entry waiting for the relay has waited").baseUnit("seconds")
                .register(registry);
    }

    void published(int count) {
        published.increment(count);
    }

    /** A figure read at scrape time; NaN when the database cannot answer. */
    private double read(String sql) {
        try (Connection c = database.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getDouble(1) : 0;
        } catch (SQLException e) {
            LOG.debugf("Reading an outbox figure: %s", e);
            return Double.NaN;
        }
    }
}
