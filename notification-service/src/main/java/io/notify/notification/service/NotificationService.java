package io.notify.notification.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
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
 * The batch is written with plain JDBC, in one statement of column arrays: through Hibernate, every
 * query in a batch first flushed (dirty-checked) every entity the batch had persisted so far, which
 * made a batch's cost grow with its square and capped the writer at a few hundred sends per second.
 */
@ApplicationScoped
public class NotificationService {

    /**
     * A whole batch in one statement, each column an array: the notifications, their explicit
     * recipients and their created events (outbox ids in the batch's order, which is seq order).
     */
    private static final String INSERT_BATCH = """
            WITH n AS (
                INSERT INTO notifications (id, seq, audience_type, audience_company, audience_role, title, message, type,
                    priority, data, link, sender, created_at, expires_at, idempotency_key, idempotency_scope)
                SELECT id, seq, audience_type, audience_company, audience_role, title, message, type, priority,
                       CAST(data AS jsonb), link, sender, CAST(created_at AS timestamptz),
                       CAST(expires_at AS timestamptz), idempotency_key, idempotency_scope
                  FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                              ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                       AS t(id, seq, audience_type, audience_company, audience_role, title, message, type, priority,
                            data, link, sender, created_at, expires_at, idempotency_key, idempotency_scope)
            ), r AS (
                INSERT INTO notification_recipients (user_id, seq, notification_id)
                SELECT * FROM unnest(?::text[], ?::bigint[], ?::uuid[])
            )
            INSERT INTO outbox (topic, record_key, payload)
            SELECT '%s', key, payload FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS o(key, payload, i) ORDER BY i"""
            .formatted(EventLog.EVENTS_TOPIC);
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

    /** An idempotency key as it is unique: per sender scope (see V4, V5). */
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
        // one seq per send, drawn with the lock (a key seen before leaves its seq unused: seqs have gaps anyway)
        long[] seqs = events.lockAndDrawSeqs(batch.size());
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
            events.written();
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
        NotificationView view = new NotificationView(timeOrderedId(), seq, audience, request.title(),
                request.message(), request.typeOrDefault(), request.priorityOrDefault(),
                request.data() == null ? Map.of() : request.data(), request.link(), sender, EventLog.now(),
                request.expiresAt(), null);
        return new Row(view, key, userIds);
    }

    /**
     * A version 7 UUID (RFC 9562): the millisecond clock in its first 48 bits, then random bits. New
     * rows land at the right edge of the primary key index rather than on a random page of it, which
     * keeps inserting cheap however large the table grows. The random bits come from
     * {@link UUID#randomUUID()}, which also sets the variant.
     */
    static UUID timeOrderedId() {
        UUID random = UUID.randomUUID();
        long msb = System.currentTimeMillis() << 16 | 0x7000L | random.getMostSignificantBits() & 0x0FFFL;
        return new UUID(msb, random.getLeastSignificantBits());
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
        int n = rows.size();
        Object[][] columns = new Object[16][n];
        List<String> recipientIds = new ArrayList<>();
        List<Long> recipientSeqs = new ArrayList<>();
        List<UUID> recipientNotifications = new ArrayList<>();
        String[] keys = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            NotificationView v = row.view();
            Object[] values = { v.id(), v.seq(), v.audience().type(), v.audience().company(), v.audience().role(),
                    v.title(), v.message(), v.type(), v.priority(), events.toJson(v.data()), v.link(), v.sender(),
                    timestamp(v.createdAt()), timestamp(v.expiresAt()), row.key() == null ? null : row.key().key(),
                    row.key() == null ? null : row.key().scope() };
            for (int col = 0; col < values.length; col++) {
                columns[col][i] = values[col];
            }
            for (String userId : row.userIds()) {
                recipientIds.add(userId);
                recipientSeqs.add(v.seq());
                recipientNotifications.add(v.id());
            }
            EventLog.OutboxEntry event = events.entry(NotificationEvent.created(v));
            keys[i] = event.key();
            payloads[i] = event.payload();
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_BATCH)) {
            int p = 1;
            insert.setArray(p++, c.createArrayOf("uuid", columns[0]));
            insert.setArray(p++, c.createArrayOf("bigint", columns[1]));
            for (int col = 2; col < columns.length; col++) {
                insert.setArray(p++, c.createArrayOf("text", columns[col]));
            }
            insert.setArray(p++, c.createArrayOf("text", recipientIds.toArray()));
            insert.setArray(p++, c.createArrayOf("bigint", recipientSeqs.toArray()));
            insert.setArray(p++, c.createArrayOf("uuid", recipientNotifications.toArray()));
            insert.setArray(p++, c.createArrayOf("text", keys));
            insert.setArray(p, c.createArrayOf("text", payloads));
            insert.executeUpdate();
        }
    }

    /** As PostgreSQL reads a timestamptz, to the microsecond (seconds always written). */
    private static String timestamp(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    static NotificationView view(Notification n, List<String> userIds) {
        Audience audience = new Audience(n.audienceType, userIds.isEmpty() ? null : userIds, n.audienceCompany,
                n.audienceRole);
        return new NotificationView(n.id, n.seq, audience, n.title, n.message, n.type, n.priority, n.data, n.link,
                n.sender, n.createdAt, n.expiresAt, null);
    }
}
