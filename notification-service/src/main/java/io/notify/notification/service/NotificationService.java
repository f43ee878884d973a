package io.notify.notification.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.Session;

import io.notify.notification.event.Audience;
import io.notify.notification.event.NotificationEvent;
import io.notify.notification.event.NotificationRequest;
import io.notify.notification.event.NotificationView;
import io.notify.notification.persistence.Notification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Storing sends: one row per notification whatever its audience, plus explicit recipients for user
 * lists. Callers go through {@link SendBatcher}, which groups concurrent sends into one transaction.
 * The batch is written with plain JDBC statement batches: through Hibernate, every query in a batch
 * first flushed (dirty-checked) every entity the batch had persisted so far, which made a batch's cost
 * grow with its square and capped the writer at a few hundred sends per second.
 */
@ApplicationScoped
public class NotificationService {

    private static final String INSERT_NOTIFICATION = """
            INSERT INTO notifications (id, seq, audience_type, audience_company, audience_role, title, message, type,
                priority, data, link, sender, created_at, expires_at, idempotency_key, idempotency_scope)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_RECIPIENT = "INSERT INTO notification_recipients (user_id, seq, notification_id) VALUES (?, ?, ?)";
    private static final String FIND_KEYS = """
            SELECT n.idempotency_scope, n.idempotency_key, n.id
              FROM notifications n
              JOIN unnest(?::text[], ?::text[]) AS k(scope, key)
                ON n.idempotency_scope = k.scope AND n.idempotency_key = k.key""";

    private final EventLog events;
    private final EntityManager em;

    public NotificationService(EventLog events, EntityManager em) {
        this.events = events;
        this.em = em;
    }

    /** The outcome of a send: {@code created} is false when the idempotency key was seen before. */
    public record Sent(NotificationView notification, boolean created) {
    }

    /** An idempotency key as it is unique: per sender scope (see V4). */
    private record Key(String scope, String key) {
    }

    /** A new notification of the batch and who it explicitly addresses. */
    private record Row(NotificationView view, Key key, List<String> userIds) {
    }

    /**
     * Stores a batch of validated, authorized sends in the caller's transaction ({@link SendBatcher}
     * runs one per batch), each with its {@code created} event in the outbox; the results are in the
     * batch's order. The sequence lock is taken once, so seqs follow the batch's order and commit order.
     * A request whose idempotency key its sender used before (in an earlier batch or earlier in this
     * one) returns that notification instead. Keys are scoped to {@code idempotencyScope} (the sending
     * user or account, or the Kafka intake): another tenant reusing a key gets its own notification,
     * never ours.
     */
    List<Sent> store(List<SendBatcher.Pending> batch) {
        events.lockSequence();
        Session session = em.unwrap(Session.class);
        Map<Key, UUID> stored = session.doReturningWork(c -> storedKeys(c, batch));
        Sent[] sent = new Sent[batch.size()];
        Map<Key, Integer> firstInBatch = new HashMap<>();
        List<Integer> fresh = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Key key = key(batch.get(i));
            if (key != null && stored.containsKey(key)) {
                Notification existing = Notification.findById(stored.get(key));
                sent[i] = new Sent(view(existing, List.of()).forReader(null), false);
            } else if (key == null || firstInBatch.putIfAbsent(key, i) == null) {
                fresh.add(i);
            }
        }
        long[] seqs = events.drawSeqs(fresh.size());
        List<Row> rows = new ArrayList<>(fresh.size());
        for (int j = 0; j < fresh.size(); j++) {
            SendBatcher.Pending p = batch.get(fresh.get(j));
            Row row = row(p.request(), p.sender(), key(p), seqs[j]);
            rows.add(row);
            sent[fresh.get(j)] = new Sent(row.view().forReader(null), true);
        }
        for (int i = 0; i < batch.size(); i++) {
            if (sent[i] == null) { // a repeat of a key first used earlier in this batch
                sent[i] = new Sent(sent[firstInBatch.get(key(batch.get(i)))].notification(), false);
            }
        }
        if (!rows.isEmpty()) {
            session.doWork(c -> insert(c, rows));
            events.publish(rows.stream().map(r -> NotificationEvent.created(r.view())).toList());
        }
        return List.of(sent);
    }

    private static Key key(SendBatcher.Pending p) {
        String key = p.request().idempotencyKey();
        return key == null ? null : new Key(p.idempotencyScope(), key);
    }

    private static Row row(NotificationRequest request, String sender, Key key, long seq) {
        List<String> userIds = request.audience().userIds() == null ? List.of()
                : request.audience().userIds().stream().distinct().toList();
        Audience audience = new Audience(request.audience().type(), userIds.isEmpty() ? null : userIds,
                request.audience().company(), request.audience().role());
        NotificationView view = new NotificationView(UUID.randomUUID(), seq, audience, request.title(),
                request.message(), request.typeOrDefault(), request.priorityOrDefault(),
                request.data() == null ? Map.of() : request.data(), request.link(), sender, EventLog.now(),
                request.expiresAt(), null);
        return new Row(view, key, userIds);
    }

    /** The ids of the batch's keys stored by earlier batches, in one query. */
    private static Map<Key, UUID> storedKeys(Connection c, List<SendBatcher.Pending> batch) throws SQLException {
        List<String> scopes = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (SendBatcher.Pending p : batch) {
            Key key = key(p);
            if (key != null) {
                scopes.add(key.scope());
                keys.add(key.key());
            }
        }
        Map<Key, UUID> stored = new HashMap<>();
        if (keys.isEmpty()) {
            return stored;
        }
        try (PreparedStatement find = c.prepareStatement(FIND_KEYS)) {
            find.setArray(1, c.createArrayOf("text", scopes.toArray()));
            find.setArray(2, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) {
                    stored.put(new Key(rs.getString(1), rs.getString(2)), rs.getObject(3, UUID.class));
                }
            }
        }
        return stored;
    }

    private void insert(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement notification = c.prepareStatement(INSERT_NOTIFICATION);
                PreparedStatement recipient = c.prepareStatement(INSERT_RECIPIENT)) {
            boolean recipients = false;
            for (Row row : rows) {
                NotificationView n = row.view();
                notification.setObject(1, n.id());
                notification.setLong(2, n.seq());
                notification.setString(3, n.audience().type());
                notification.setString(4, n.audience().company());
                notification.setString(5, n.audience().role());
                notification.setString(6, n.title());
                notification.setString(7, n.message());
                notification.setString(8, n.type());
                notification.setString(9, n.priority());
                notification.setString(10, events.toJson(n.data()));
                notification.setString(11, n.link());
                notification.setString(12, n.sender());
                notification.setObject(13, n.createdAt());
                notification.setObject(14, n.expiresAt(), Types.TIMESTAMP_WITH_TIMEZONE);
                notification.setString(15, row.key() == null ? null : row.key().key());
                notification.setString(16, row.key() == null ? null : row.key().scope());
                notification.addBatch();
                for (String userId : row.userIds()) {
                    recipient.setString(1, userId);
                    recipient.setLong(2, n.seq());
                    recipient.setObject(3, n.id());
                    recipient.addBatch();
                    recipients = true;
                }
            }
            notification.executeBatch();
            if (recipients) {
                recipient.executeBatch();
            }
        }
    }

    static NotificationView view(Notification n, List<String> userIds) {
        Audience audience = new Audience(n.audienceType, userIds.isEmpty() ? null : userIds, n.audienceCompany,
                n.audienceRole);
        return new NotificationView(n.id, n.seq, audience, n.title, n.message, n.type, n.priority, n.data, n.link,
                n.sender, n.createdAt, n.expiresAt, null);
    }
}
