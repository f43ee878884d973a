package io.notify.notification.delivery;

import java.sql.PreparedStatement;
import java.util.List;

import org.hibernate.Session;

import io.notify.notification.outbox.OutboxRelay;
import io.notify.notification.outbox.SequencedOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Writes engagement events into their transactional outbox ({@link OutboxRelay#ENGAGEMENT_TABLE}; topic
 * {@code notification-engagement}, key = notification id) in the caller's transaction: an event exists exactly when
 * the fact it reports was committed. The outbox relay publishes each row to its own topic and key.
 *
 * <p>
 * These rows are written without the sequence lock (only reads, which hold it anyway, write under it): receipts and
 * the undelivered check must never queue sends behind them. So their ids do not follow commit order, and they have a
 * table of their own: in the events' outbox, one committed ahead of a send batch holding lower ids moved the relay
 * past that batch, whose events then reached the gateways up to a second late and out of order. An entry committed
 * after the relay read past its id is relayed by the relay's next sweep ({@code notify.outbox.poll-interval}, 1 s), so
 * an engagement event may take up to that long; none is lost.
 */
@ApplicationScoped
public class EngagementOutbox {

    private final EntityManager em;
    private final SequencedOutbox outbox;
    private final DeliveryMetrics metrics;

    public EngagementOutbox(EntityManager em, SequencedOutbox outbox, DeliveryMetrics metrics) {
        this.em = em;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    /** Queues the events (all of one kind) in the current transaction. */
    public void publish(EngagementEvent.Kind kind, List<EngagementEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO " + OutboxRelay.ENGAGEMENT_TABLE + " (topic, record_key, payload) VALUES ('"
                            + EngagementEvent.TOPIC + "', ?, ?)")) {
                for (EngagementEvent event : events) {
                    insert.setString(1, event.notificationId().toString());
                    insert.setString(2, outbox.toJson(event));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        outbox.written();
        metrics.events(kind, events.size());
    }
}
