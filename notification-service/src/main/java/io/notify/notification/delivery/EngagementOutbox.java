package io.notify.notification.delivery;

import java.sql.PreparedStatement;
import java.util.List;

import org.hibernate.Session;

import io.notify.notification.outbox.SequencedOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Writes engagement events into the transactional outbox (topic {@code notification-engagement}, key = notification
 * id) in the caller's transaction: an event exists exactly when the fact it reports was committed. The outbox relay
 * publishes each row to its own topic and key.
 *
 * <p>
 * These rows are written without the sequence lock (only reads, which hold it anyway, write under it): receipts and
 * the undelivered check must never queue sends behind them. An entry committed after the relay read past its id is
 * relayed by the relay's next sweep from the start of the outbox ({@code notify.outbox.poll-interval}, 1 s), so an
 * engagement event may take up to that long; none is lost.
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
                    "INSERT INTO outbox (topic, record_key, payload) VALUES ('" + EngagementEvent.TOPIC + "', ?, ?)")) {
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
