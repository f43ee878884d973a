package io.notify.notification.send;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.notify.notification.NotificationView;
import io.notify.notification.PeriodicPoll;
import io.notify.notification.outbox.TraceParent;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sends with {@code send_at}: authorized, validated (and counted against quotas, over REST) when they come in, kept
 * in table {@code scheduled_sends} until due, then stored through the group-committing writer like any send, pushed
 * and counted from then on. Every {@code notify.send.scheduled-poll-interval} (250 ms) each instance claims due rows
 * no other instance holds ({@code FOR UPDATE SKIP LOCKED}), stores them with the scheduled id as the notification's id
 * and the row's idempotency key (the sender's, or {@code scheduled:<id>}), and deletes them in the claiming transaction.
 * A row stored but not deleted (an instance stopped in between) is stored again with the same key, which creates
 * nothing new: exactly once across instances and restarts, the same approach as {@link DeferredSends}.
 *
 * <p>
 * Idempotency: a request retried with the key of a pending scheduled send answers that entry; with the key of one
 * already sent, that notification as a retried immediate send answers it. A scheduled send and an immediate send share the sender's
 * key space once stored: when an immediate send took the key first, the scheduled one stores nothing new.
 */
@ApplicationScoped
public class ScheduledSends {

    private static final Logger LOG = Logger.getLogger(ScheduledSends.class);
    private static final int BATCH = 200;
    /** How many pending sends a sender's list shows at most. */
    public static final int LIST_LIMIT = 100;
    private static final String KEY_PREFIX = "scheduled:";

    /** Kept unless the key was used before: by a pending scheduled send (conflict) or a notification already stored. */
    private static final String SCHEDULE = """
            INSERT INTO scheduled_sends (id, idempotency_scope, idempotency_key, sender, sender_id, sender_company,
                                         audience_size, request, trace_context, send_at)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
             WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE idempotency_scope = ? AND idempotency_key = ?)
            ON CONFLICT (idempotency_scope, idempotency_key) DO NOTHING""";
    private static final String SAME_KEY = """
            SELECT id, request FROM scheduled_sends WHERE idempotency_scope = ? AND idempotency_key = ?""";
    private static final String DUE = """
            SELECT id, idempotency_scope, sender, sender_id, sender_company, audience_size, request, trace_context
              FROM scheduled_sends WHERE send_at <= now() ORDER BY send_at, id LIMIT ? FOR UPDATE SKIP LOCKED""";
    private static final String PENDING = """
            SELECT id, request FROM scheduled_sends WHERE idempotency_scope = ? ORDER BY send_at, id LIMIT ?""";

    private final AgroalDataSource database;
    private final SendBatcher notifications;
    private final NotificationWriter stored;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final SendConfig config;
    private PeriodicPoll poll;

    public ScheduledSends(AgroalDataSource database, SendBatcher notifications, NotificationWriter stored,
            ObjectMapper json, Vertx vertx, SendConfig config) {
        this.database = database;
        this.notifications = notifications;
        this.stored = stored;
        this.json = json;
        this.vertx = vertx;
        this.config = config;
    }

    /** The send an idempotency key names: still pending ({@code pending}), or already stored ({@code sent}). */
    public record Keyed(ScheduledSend pending, NotificationView sent) {
        static Keyed pending(ScheduledSend pending) {
            return new Keyed(pending, null);
        }
    }

    /** What cancelling an id answered. */
    public enum Cancel {
        /** It was the caller's pending send: cancelled, never sent. */
        CANCELLED,
        /** It was the caller's scheduled send, already sent (or a notification the caller sent). */
        ALREADY_SENT,
        /** Not a scheduled send of the caller's. */
        NONE
    }

    /**
     * Keeps a valid, authorized request with {@code send_at} for {@code from} (blocking; returns once committed):
     * its entry, or the one its idempotency key already names.
     */
    public Keyed schedule(NotificationRequest request, String sender, String idempotencyScope,
            SendBatcher.Sender from) {
        UUID id = NotificationWriter.timeOrderedId();
        NotificationRequest kept = request.idempotencyKey() != null ? request
                : request.withIdempotencyKey(KEY_PREFIX + id);
        try (Connection c = database.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(SCHEDULE)) {
                s.setObject(1, id);
                s.setString(2, idempotencyScope);
                s.setString(3, kept.idempotencyKey());
                s.setString(4, sender);
                s.setString(5, from.id());
                s.setString(6, from.company());
                s.setObject(7, from.audienceSize());
                s.setString(8, json.writeValueAsString(kept));
                s.setString(9, TraceParent.current());
                s.setObject(10, kept.sendAt());
                s.setString(11, idempotencyScope);
                s.setString(12, kept.idempotencyKey());
                if (s.executeUpdate() == 1) {
                    return Keyed.pending(ScheduledSend.of(id, kept));
                }
            }
            return find(c, idempotencyScope, kept.idempotencyKey())
                    .orElseThrow(() -> new IllegalStateException("An idempotency key conflicted but its send is gone"));
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Keeping a scheduled send failed", e);
        }
    }

    /** The send a sender's idempotency key names: a pending scheduled send, or a notification already stored. */
    public Optional<Keyed> find(String idempotencyScope, String idempotencyKey) {
        try (Connection c = database.getConnection()) {
            return find(c, idempotencyScope, idempotencyKey);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Looking up a scheduled send failed", e);
        }
    }

    private Optional<Keyed> find(Connection c, String idempotencyScope, String idempotencyKey)
            throws SQLException, JsonProcessingException {
        try (PreparedStatement s = c.prepareStatement(SAME_KEY)) {
            s.setString(1, idempotencyScope);
            s.setString(2, idempotencyKey);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(Keyed.pending(ScheduledSend.of(rs.getObject(1, UUID.class),
                            json.readValue(rs.getString(2), NotificationRequest.class))));
                }
            }
        }
        return stored.stored(c, idempotencyScope, idempotencyKey).map(sent -> new Keyed(null, sent));
    }

    /** The pending sends of a sender scope, soonest first, at most {@link #LIST_LIMIT}. */
    public List<ScheduledSend> pending(String idempotencyScope) {
        List<ScheduledSend> pending = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(PENDING)) {
            s.setString(1, idempotencyScope);
            s.setInt(2, LIST_LIMIT);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    pending.add(ScheduledSend.of(rs.getObject(1, UUID.class),
                            json.readValue(rs.getString(2), NotificationRequest.class)));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Listing scheduled sends failed", e);
        }
        return pending;
    }

    /**
     * Cancels the sender's pending send {@code id}. Waits for an instance storing it right now (its row is locked),
     * then finds it gone: {@link Cancel#ALREADY_SENT}.
     */
    public Cancel cancel(String idempotencyScope, UUID id) {
        try (Connection c = database.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM scheduled_sends WHERE id = ? AND idempotency_scope = ?")) {
                s.setObject(1, id);
                s.setString(2, idempotencyScope);
                if (s.executeUpdate() == 1) {
                    return Cancel.CANCELLED;
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT 1 FROM notifications WHERE id = ? AND idempotency_scope = ?")) {
                s.setObject(1, id);
                s.setString(2, idempotencyScope);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Cancel.ALREADY_SENT : Cancel.NONE;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cancelling a scheduled send failed", e);
        }
    }

    /** Polls every {@code notify.send.scheduled-poll-interval} (a {@link PeriodicPoll}). */
    void start(@Observes StartupEvent event) {
        poll = PeriodicPoll.start(vertx, config.scheduledPollInterval(), this::storeAllDue);
    }

    void stop(@Observes ShutdownEvent event) {
        poll.stop();
    }

    /** Stores every due send, a batch a transaction; a failure is logged and the next run tries again. */
    void storeAllDue() {
        try {
            while (storeDue() == BATCH) {
                // a full batch stored: more may be due
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Storing due scheduled sends failed, will retry: %s", e.toString());
        }
    }

    /** One batch of due rows, in one transaction; answers how many were stored. */
    int storeDue() throws SQLException {
        return ClaimedRows.inTransaction(database, this::storeDue);
    }

    private int storeDue(Connection c) throws SQLException {
        Map<UUID, CompletableFuture<NotificationWriter.Sent>> storing = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(DUE)) {
            s.setInt(1, BATCH);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    String traceContext = rs.getString(8);
                    try (Scope trace = traceContext == null ? null : TraceParent.parent(traceContext).makeCurrent()) {
                        NotificationRequest request = json.readValue(rs.getString(7), NotificationRequest.class).now();
                        storing.put(id, notifications.submit(id, request, rs.getString(3), rs.getString(2),
                                new SendBatcher.Sender(rs.getString(4), rs.getString(5),
                                        rs.getObject(6, Integer.class))));
                    } catch (JsonProcessingException | RuntimeException e) {
                        // the writer's queue is full, say: the row stays due for the next run
                        LOG.warnf("A scheduled send could not be queued, will retry: %s", e.toString());
                    }
                }
            }
        }
        return ClaimedRows.deleteStored(c, "scheduled_sends", "uuid", storing, "scheduled send");
    }
}
