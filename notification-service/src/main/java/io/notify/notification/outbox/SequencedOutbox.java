package io.notify.notification.outbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.notification.Audience;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;

/**
 * The one global sequence and the outbox. {@link #nextSeq()} takes a transaction-scoped advisory
 * lock before drawing a number, so writers commit in seq order: once a reader sees seq N, nothing
 * below N can appear later, and "everything after my last seq" never has a silent gap. The lock is
 * held from the draw to the commit, so callers draw as late as they can: a send batch takes it in the
 * same statement as its inserts and commits with it ({@code send.NotificationWriter#store}).
 */
@ApplicationScoped
public class SequencedOutbox {

    public static final String EVENTS_TOPIC = "notification-events";
    public static final long SEQUENCE_LOCK = 0x6e6f7469667953L; // "notifyS"

    private final EntityManager em;
    private final ObjectMapper json;
    private final Event<OutboxRelay.Written> outboxWritten;

    public SequencedOutbox(EntityManager em, ObjectMapper json, Event<OutboxRelay.Written> outboxWritten) {
        this.em = em;
        this.json = json;
        this.outboxWritten = outboxWritten;
    }

    /** Must run inside the transaction whose rows will carry the number. */
    public long nextSeq() {
        lockSequence();
        return drawSeq();
    }

    /** Takes the sequence lock until this transaction ends (a no-op when it already holds it). */
    public void lockSequence() {
        jdbc(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, SEQUENCE_LOCK);
                lock.execute();
            }
            return null;
        });
    }

    /** The next seq; only after {@link #lockSequence()} in this transaction. */
    public long drawSeq() {
        return single("SELECT nextval('event_seq')");
    }

    /** The highest seq committed so far (writers hold the lock until they commit). */
    public long lastCommittedSeq() {
        return single("""
                SELECT GREATEST((SELECT COALESCE(max(seq), 0) FROM notifications),
                                (SELECT COALESCE(max(seq), 0) FROM user_events))""");
    }

    private long single(String query) {
        return jdbc(c -> {
            try (PreparedStatement s = c.prepareStatement(query); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Plain JDBC, in the caller's transaction (on its Hibernate session's connection): the outbox's one style of SQL,
     * as in the send batch's statement and the relay.
     */
    private <T> T jdbc(ReturningWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work);
    }

    /** Queues the event for Kafka in the current transaction; the relay sends it after commit. */
    public void publish(NotificationEvent event) {
        publish(List.of(event));
    }

    /**
     * Queues the events for Kafka, in this order, in the current transaction (one statement batch).
     * Only under the sequence lock, which every event's seq was drawn under: outbox ids then follow
     * commit order, and the relay reads on from the last id it relayed.
     */
    public void publish(List<NotificationEvent> batch) {
        String traceparent = TraceParent.current(); // the caller's trace, continued by the relay
        jdbc(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (topic, record_key, payload, "
                    + "trace_context) VALUES ('" + EVENTS_TOPIC + "', ?, ?, ?)")) {
                for (NotificationEvent event : batch) {
                    OutboxEntry entry = entry(event);
                    insert.setString(1, entry.key());
                    insert.setString(2, entry.payload());
                    insert.setString(3, traceparent);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        written();
    }

    /** An event as the outbox holds it for topic {@link #EVENTS_TOPIC}: its Kafka key and JSON. */
    public record OutboxEntry(String key, String payload) {
    }

    public OutboxEntry entry(NotificationEvent event) {
        return new OutboxEntry(routingKey(event.audience()), toJson(event));
    }

    /**
     * For a caller that inserted outbox entries itself (under the sequence lock, as {@link #publish}
     * does): the relay runs after this transaction commits.
     */
    public void written() {
        outboxWritten.fire(new OutboxRelay.Written());
    }

    /** Records a per-user state change (kept for resume) and publishes it. */
    public void appendUserEvent(String userId, NotificationEvent event) {
        String payload = toJson(event);
        jdbc(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO user_events (seq, user_id, kind, payload) VALUES (?, ?, ?, ?)")) {
                insert.setLong(1, event.seq());
                insert.setString(2, userId);
                insert.setString(3, event.kind());
                insert.setString(4, payload);
                return insert.executeUpdate();
            }
        });
        publish(event);
    }

    public static OffsetDateTime now() {
        // PostgreSQL keeps microseconds: answer with what a later read returns
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Kafka key: a user's own events (single-user notifications and every state change) share the
     * user id, so they stay in order on one partition; broadcasts are keyed by what they address.
     * The topic has one partition by default, which gives every gateway one total order.
     */
    static String routingKey(Audience audience) {
        return switch (audience.type()) {
            case "user", "users" -> audience.userIds().get(0);
            case "company", "topic" -> audience.company();
            case "role" -> audience.company() != null ? audience.company() : "role:" + audience.role();
            default -> "everyone";
        };
    }

    public String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
