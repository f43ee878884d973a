package io.notify.notification.send;

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
import java.util.Optional;
import java.util.UUID;

import io.notify.notification.Audience;
import io.notify.notification.NotificationView;
import io.notify.notification.StoredJson;
import io.notify.notification.actions.Action;
import io.notify.notification.outbox.NotificationEvent;
import io.notify.notification.outbox.SequencedOutbox;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Storing sends: one row per notification whatever its audience, plus explicit recipients for user
 * lists. Callers go through {@link SendBatcher}, which groups concurrent sends into one transaction
 * on a connection of its own. A batch is one statement of column arrays, sent together with its commit:
 * one round trip to PostgreSQL per batch. (Through Hibernate, every query in a batch first flushed
 * every entity the batch had persisted so far, which made a batch's cost grow with its square; then a
 * batch took four round trips: the pool's check of the connection, the lock with the seq draw, the
 * inserts, the commit. At 1,000 sends a second, batches hold one or two sends, so what a batch costs
 * beyond its rows is most of what a send costs.)
 */
@ApplicationScoped
public class NotificationWriter {

    /**
     * A whole batch in one statement, each column an array. {@code s} takes the sequence lock (an init
     * plan: taken before the draw) and draws the batch's seqs: one value drawn and the sequence moved past
     * the rest, which is safe because every draw holds the lock (one row whatever the batch's size, so it
     * is planned once per connection). Each row's seq is its place in the batch above the draw; a row whose
     * idempotency key its sender used in an earlier batch is not inserted (its seq stays unused: seqs have
     * gaps anyway). The rows inserted get their explicit recipients and their created events, in the
     * batch's order (outbox ids drawn after the lock: outbox order is commit order). Each event arrives as
     * the JSON Jackson wrote for it before its seq was drawn (both seq fields 0); the statement writes the
     * drawn seq into both fields ({@code jsonb_set}) as it inserts the outbox row. Answers the id and seq
     * of every row inserted.
     */
    private static final String INSERT_BATCH = """
            WITH s AS (
                SELECT setval('event_seq', nextval('event_seq') + ? - 1) AS last
                 WHERE (SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?)) l) = 1
            ), b AS (
                SELECT t.*, s.last - ? + t.i AS seq
                  FROM s, unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[],
                                 ?::text[])
                       WITH ORDINALITY AS t(id, audience_type, audience_company, audience_role, title, message, type,
                            priority, data, link, sender, created_at, expires_at, idempotency_key, idempotency_scope,
                            external_id, record_key, event, trace_context, audience_size, sender_id, sender_company, actions,
                            audience_topic, i)
            ), n AS (
                INSERT INTO notifications (id, seq, audience_type, audience_company, audience_role, title, message, type,
                    priority, data, link, sender, created_at, expires_at, idempotency_key, idempotency_scope,
                    external_id, audience_size, sender_id, sender_company, actions, audience_topic)
                SELECT id, seq, audience_type, audience_company, audience_role, title, message, type, priority,
                       CAST(data AS jsonb), link, sender, CAST(created_at AS timestamptz),
                       CAST(expires_at AS timestamptz), idempotency_key, idempotency_scope, external_id, audience_size,
                       sender_id, sender_company, CAST(actions AS jsonb), audience_topic
                  FROM b ORDER BY i
                ON CONFLICT (idempotency_scope, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id, seq
            ), r AS (
                INSERT INTO notification_recipients (user_id, seq, notification_id)
                SELECT u.user_id, n.seq, n.id FROM unnest(?::text[], ?::uuid[]) AS u(user_id, notification_id)
                  JOIN n ON n.id = u.notification_id
            ), o AS (
                INSERT INTO outbox (topic, record_key, payload, trace_context)
                SELECT '%s', b.record_key,
                       CAST(jsonb_set(jsonb_set(CAST(b.event AS jsonb), '{seq}', to_jsonb(n.seq)),
                                      '{notification,seq}', to_jsonb(n.seq)) AS text), b.trace_context
                  FROM b JOIN n ON n.id = b.id ORDER BY b.i
            )
            SELECT id, seq FROM n""".formatted(SequencedOutbox.EVENTS_TOPIC);
    /** A notification's seq before the statement draws it. */
    private static final long NOT_DRAWN = 0;

    /** The notification an earlier batch stored with a key, as its sender sees it (no recipients, no read state). */
    private static final String STORED = """
            SELECT id, seq, audience_type, audience_company, audience_role, title, message, type, priority,
                   CAST(data AS text), link, sender, created_at, expires_at, external_id, CAST(actions AS text),
                   audience_topic
              FROM notifications WHERE idempotency_scope = ? AND idempotency_key = ?""";
    private final SequencedOutbox events;
    private final StoredJson json;

    public NotificationWriter(SequencedOutbox events, StoredJson json) {
        this.events = events;
        this.json = json;
    }

    /** The outcome of a send: {@code created} is false when the idempotency key was seen before. */
    public record Sent(NotificationView notification, boolean created) {
    }

    /** An idempotency key as it is unique: per sender scope (see V4, V5). */
    private record Key(String scope, String key) {
    }

    /**
     * A new notification of the batch (its seq not drawn yet), who it explicitly addresses, who sent it, and its
     * sender's trace context (null: none) for its outbox row.
     */
    private record Row(NotificationView view, Key key, List<String> userIds, SendBatcher.Sender from, String traceparent) {
    }

    /**
     * Stores a batch of validated, authorized sends on the send writer's own connection and commits,
     * each with its {@code created} event in the outbox; the results are in the batch's order. The
     * sequence lock is taken once, so seqs follow the batch's order and commit order. A request whose
     * idempotency key its sender used before (in an earlier batch or earlier in this one) returns that
     * notification instead. Keys are scoped to {@code idempotencyScope} (the sending user or account, or
     * the Kafka intake): another tenant reusing a key gets its own notification, never ours.
     */
    List<Sent> store(Connection c, List<SendBatcher.Pending> batch) throws SQLException {
        Map<Key, Integer> firstInBatch = new HashMap<>();
        List<Integer> fresh = new ArrayList<>(batch.size());
        List<Row> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            SendBatcher.Pending p = batch.get(i);
            Key key = key(p);
            if (key == null || firstInBatch.putIfAbsent(key, i) == null) {
                fresh.add(i);
                rows.add(row(p.id(), p.request(), p.sender(), key, p.from(), p.traceparent()));
            }
        }
        Map<UUID, Long> inserted = insertAndCommit(c, rows);
        if (!inserted.isEmpty()) {
            events.written();
        }
        Sent[] sent = new Sent[batch.size()];
        for (int j = 0; j < fresh.size(); j++) {
            Row row = rows.get(j);
            Long seq = inserted.get(row.view().id());
            sent[fresh.get(j)] = seq != null ? new Sent(withSeq(row.view(), seq).forReader(null), true)
                    // its key was used in an earlier batch: that notification (a retry; rare)
                    : new Sent(storedView(c, row.key()), false);
        }
        for (int i = 0; i < batch.size(); i++) {
            if (sent[i] == null) { // a repeat of a key first used earlier in this batch
                sent[i] = new Sent(sent[firstInBatch.get(key(batch.get(i)))].notification(), false);
            }
        }
        return List.of(sent);
    }

    /**
     * The notification an earlier send stored with {@code key}, as its sender sees it: read on the writer's
     * connection after the batch committed, in a transaction of its own.
     */
    private NotificationView storedView(Connection c, Key key) throws SQLException {
        try {
            return stored(c, key.scope(), key.key())
                    .orElseThrow(() -> new IllegalStateException("An idempotency key conflicted but its notification is gone"));
        } finally {
            c.commit();
        }
    }

    /**
     * The notification a sender's idempotency key names, as its sender sees it (no recipients, no read state): what a
     * retried send answers (200), immediate or scheduled.
     */
    public Optional<NotificationView> stored(Connection c, String idempotencyScope, String idempotencyKey)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(STORED)) {
            s.setString(1, idempotencyScope);
            s.setString(2, idempotencyKey);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NotificationView(rs.getObject(1, UUID.class), rs.getLong(2),
                        new Audience(rs.getString(3), null, rs.getString(4), rs.getString(5), rs.getString(17)),
                        rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), json.data(rs.getString(10)), rs.getString(11),
                        rs.getString(12), rs.getObject(13, OffsetDateTime.class), rs.getObject(14, OffsetDateTime.class),
                        null, rs.getString(15), json.actions(rs.getString(16)), null));
            }
        }
    }

    private static Key key(SendBatcher.Pending p) {
        String key = p.request().idempotencyKey();
        return key == null ? null : new Key(p.idempotencyScope(), key);
    }

    private static Row row(UUID id, NotificationRequest request, String sender, Key key, SendBatcher.Sender from,
            String traceparent) {
        List<String> userIds = request.audience().userIds() == null ? List.of()
                : request.audience().userIds().stream().distinct().toList();
        Audience audience = new Audience(request.audience().type(), userIds.isEmpty() ? null : userIds,
                request.audience().company(), request.audience().role(), request.audience().topic());
        NotificationView view = new NotificationView(id != null ? id : timeOrderedId(), NOT_DRAWN, audience, request.title(),
                request.message(), request.typeOrDefault(), request.priorityOrDefault(),
                request.data() == null ? Map.of() : request.data(), request.link(), sender, SequencedOutbox.now(),
                request.expiresAt(), null, request.externalId(), Action.stored(request.actions()), null);
        return new Row(view, key, userIds, from, traceparent);
    }

    private static NotificationView withSeq(NotificationView v, long seq) {
        return new NotificationView(v.id(), seq, v.audience(), v.title(), v.message(), v.type(), v.priority(), v.data(),
                v.link(), v.sender(), v.createdAt(), v.expiresAt(), v.read(), v.externalId(), v.actions(), null);
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

    /** The batch in one statement with its commit; the id and seq of every row inserted. */
    private Map<UUID, Long> insertAndCommit(Connection c, List<Row> rows) throws SQLException {
        int n = rows.size();
        Object[][] columns = new Object[19][n];
        Object[] audienceSizes = new Object[n];
        Object[] senderIds = new Object[n];
        Object[] senderCompanies = new Object[n];
        Object[] actions = new Object[n]; // JSON text, null for none (most sends)
        Object[] topics = new Object[n];
        List<String> recipientIds = new ArrayList<>();
        List<UUID> recipientNotifications = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            NotificationView v = row.view();
            SequencedOutbox.OutboxEntry event = events.entry(NotificationEvent.created(v));
            Object[] values = { v.id(), v.audience().type(), v.audience().company(), v.audience().role(),
                    v.title(), v.message(), v.type(), v.priority(), events.toJson(v.data()), v.link(), v.sender(),
                    timestamp(v.createdAt()), timestamp(v.expiresAt()), row.key() == null ? null : row.key().key(),
                    row.key() == null ? null : row.key().scope(), v.externalId(), event.key(), event.payload(),
                    row.traceparent() };
            for (int col = 0; col < values.length; col++) {
                columns[col][i] = values[col];
            }
            audienceSizes[i] = row.from().audienceSize();
            senderIds[i] = row.from().id();
            senderCompanies[i] = row.from().company();
            actions[i] = v.actions() == null ? null : events.toJson(v.actions());
            topics[i] = v.audience().topic();
            for (String userId : row.userIds()) {
                recipientIds.add(userId);
                recipientNotifications.add(v.id());
            }
        }
        Map<UUID, Long> inserted = new HashMap<>();
        try (PreparedStatement insert = c.prepareStatement(INSERT_BATCH + ";\nCOMMIT")) {
            int p = 1;
            insert.setInt(p++, n);
            insert.setLong(p++, SequencedOutbox.SEQUENCE_LOCK);
            insert.setInt(p++, n);
            insert.setArray(p++, c.createArrayOf("uuid", columns[0]));
            for (int col = 1; col < columns.length; col++) {
                insert.setArray(p++, c.createArrayOf("text", columns[col]));
            }
            insert.setArray(p++, c.createArrayOf("int4", audienceSizes));
            insert.setArray(p++, c.createArrayOf("text", senderIds));
            insert.setArray(p++, c.createArrayOf("text", senderCompanies));
            insert.setArray(p++, c.createArrayOf("text", actions));
            insert.setArray(p++, c.createArrayOf("text", topics));
            insert.setArray(p++, c.createArrayOf("text", recipientIds.toArray()));
            insert.setArray(p, c.createArrayOf("uuid", recipientNotifications.toArray()));
            insert.execute(); // two results: the rows inserted, then the commit's
            try (ResultSet rs = insert.getResultSet()) {
                while (rs.next()) {
                    inserted.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        return inserted;
    }

    /** As PostgreSQL reads a timestamptz, to the microsecond (seconds always written). */
    private static String timestamp(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }
}
