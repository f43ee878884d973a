package io.notify.notification.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

import io.notify.notification.outbox.SequencedOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The per-user receipt rows and per-notification counters ({@code V6__delivery_receipts.sql}): delivered (a
 * gateway's receipt batch), read and clicked, each recorded once per notification and user, each first time writing
 * one engagement event in the same transaction. Every change is a row-level upsert or increment, correct with
 * several consumers or requests at once; nothing here counts receipt rows.
 */
@ApplicationScoped
public class Receipts {

    /**
     * Claims the batch ids of a poll's records whose notification exists and has not expired: the notifications are
     * locked against deletion (in id order) until the commit, and each batch id is stored once (in batch id order; a
     * batch id given twice is claimed for its smallest notification id). Answers the claimed (batch id, notification
     * id) pairs, then one row (batch id NULL) per notification found, which tells a duplicate from an unknown
     * notification among the records not claimed.
     */
    private static final String CLAIM = """
            WITH n AS MATERIALIZED (
                SELECT id FROM notifications
                 WHERE id = ANY(?::uuid[]) AND (expires_at IS NULL OR expires_at > now())
                 ORDER BY id FOR KEY SHARE
            ), claimed AS (
                INSERT INTO receipt_batches (batch_id, notification_id)
                SELECT DISTINCT ON (t.batch_id) t.batch_id, t.notification_id
                  FROM unnest(?::uuid[], ?::uuid[]) AS t(batch_id, notification_id) JOIN n ON n.id = t.notification_id
                 ORDER BY t.batch_id, t.notification_id
                ON CONFLICT (batch_id) DO NOTHING
                RETURNING batch_id, notification_id
            )
            SELECT batch_id, notification_id FROM claimed
            UNION ALL
            SELECT NULL, id FROM n""";

    /**
     * The claimed records' receipts, aggregated per notification and user (an upsert may touch a row once, and a user
     * may be in several records of a poll), merged into the receipt rows in (notification, user) order; the users
     * whose first delivery this is (their row had no socket before: its sockets now are this poll's) are answered,
     * and each notification's counters row gains them, the sockets and the times, in notification id order. Under
     * concurrent polls each row's upsert sees the one before it (row lock), so exactly one of them finds sockets at
     * 0 and counts the user.
     */
    private static final String MERGE = """
            WITH r AS (
                SELECT notification_id, user_id, max(company) AS company, sum(sockets) AS sockets,
                       min(first_at) AS first_at, max(last_at) AS last_at
                  FROM unnest(?::uuid[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::timestamptz[])
                       AS t(notification_id, user_id, company, sockets, first_at, last_at)
                 GROUP BY notification_id, user_id
            ), up AS (
                INSERT INTO delivery_receipts AS d (notification_id, user_id, company, sockets, first_delivered_at,
                                                    last_delivered_at)
                SELECT notification_id, user_id, company, sockets, first_at, last_at FROM r
                 ORDER BY notification_id, user_id
                ON CONFLICT (notification_id, user_id) DO UPDATE
                   SET sockets = d.sockets + EXCLUDED.sockets,
                       company = COALESCE(d.company, EXCLUDED.company),
                       first_delivered_at = LEAST(d.first_delivered_at, EXCLUDED.first_delivered_at),
                       last_delivered_at = GREATEST(d.last_delivered_at, EXCLUDED.last_delivered_at)
                RETURNING d.notification_id, d.user_id, d.company, d.sockets
            ), fresh AS (
                SELECT up.notification_id, up.user_id, up.company, r.first_at
                  FROM up JOIN r ON r.notification_id = up.notification_id AND r.user_id = up.user_id
                 WHERE up.sockets = r.sockets
            ), c AS (
                INSERT INTO delivery_counters AS c (notification_id, delivered_users, delivered_sockets,
                                                    first_delivered_at, last_delivered_at)
                SELECT r.notification_id, count(fresh.user_id), sum(r.sockets), min(r.first_at), max(r.last_at)
                  FROM r LEFT JOIN fresh ON fresh.notification_id = r.notification_id AND fresh.user_id = r.user_id
                 GROUP BY r.notification_id ORDER BY r.notification_id
                ON CONFLICT (notification_id) DO UPDATE
                   SET delivered_users = c.delivered_users + EXCLUDED.delivered_users,
                       delivered_sockets = c.delivered_sockets + EXCLUDED.delivered_sockets,
                       first_delivered_at = LEAST(c.first_delivered_at, EXCLUDED.first_delivered_at),
                       last_delivered_at = GREATEST(c.last_delivered_at, EXCLUDED.last_delivered_at)
            )
            SELECT notification_id, user_id, company, first_at FROM fresh ORDER BY notification_id, user_id""";

    /**
     * Read or clicked ({@code %1$s}: the receipt column, {@code %2$s}: the counter) for one user on these
     * notifications, where not recorded before; answers the notifications newly recorded. Counter rows in
     * notification id order, so two such statements never wait on each other in a circle.
     */
    private static final String MARK = """
            WITH up AS (
                INSERT INTO delivery_receipts AS d (notification_id, user_id, company, %1$s)
                SELECT id, ?, ?, ? FROM unnest(?::uuid[]) AS t(id) ORDER BY id
                ON CONFLICT (notification_id, user_id) DO UPDATE
                   SET %1$s = EXCLUDED.%1$s, company = COALESCE(d.company, EXCLUDED.company)
                 WHERE d.%1$s IS NULL
                RETURNING d.notification_id
            ), c AS (
                INSERT INTO delivery_counters AS c (notification_id, %2$s)
                SELECT notification_id, 1 FROM up ORDER BY notification_id
                ON CONFLICT (notification_id) DO UPDATE SET %2$s = c.%2$s + 1
            )
            SELECT notification_id FROM up""";

    private final EntityManager em;
    private final EngagementOutbox engagement;
    private final DeliveryMetrics metrics;

    public Receipts(EntityManager em, EngagementOutbox engagement, DeliveryMetrics metrics) {
        this.em = em;
        this.engagement = engagement;
        this.metrics = metrics;
    }

    /** Applies one receipt record in one transaction ({@link #applyAll}). */
    @Transactional
    public DeliveryMetrics.Outcome apply(NotificationReceipts batch) {
        return applyAll(List.of(batch)).get(0);
    }

    /**
     * Applies receipt records (one Kafka poll's) in one transaction, one commit for all of them, with two statements
     * whatever their number: a batch id applied before changes nothing (counted once); a notification that is gone,
     * expired or never existed is skipped. Answers what became of each, in the order given (of records with the same
     * batch id and notification, the first is applied). Rows are locked in one order, phase after phase:
     * notifications and batch ids (the claim), then receipt rows in (notification, user) order, then counters rows in
     * notification id order, as reads and clicks take them ({@link #mark}), so two transactions never wait on each
     * other in a circle.
     */
    @Transactional
    public List<DeliveryMetrics.Outcome> applyAll(List<NotificationReceipts> batches) {
        Claims claims = jdbc(c -> claim(c, batches));
        List<DeliveryMetrics.Outcome> outcomes = new ArrayList<>(batches.size());
        List<NotificationReceipts> applied = new ArrayList<>();
        for (NotificationReceipts batch : batches) {
            if (claims.claimed().remove(new Claim(batch.batchId(), batch.notificationId()))) {
                outcomes.add(DeliveryMetrics.Outcome.APPLIED);
                applied.add(batch);
            } else {
                outcomes.add(claims.known().contains(batch.notificationId()) ? DeliveryMetrics.Outcome.DUPLICATE
                        : DeliveryMetrics.Outcome.UNKNOWN_NOTIFICATION);
            }
        }
        if (!applied.isEmpty()) {
            engagement.publish(EngagementEvent.Kind.DELIVERED, jdbc(c -> merge(c, applied)));
        }
        outcomes.forEach(metrics::receipt);
        return outcomes;
    }

    private record Claim(UUID batchId, UUID notificationId) {
    }

    /** The batch ids claimed by this transaction, and the notifications that exist and have not expired. */
    private record Claims(Set<Claim> claimed, Set<UUID> known) {
    }

    private static Claims claim(Connection c, List<NotificationReceipts> batches) throws SQLException {
        Set<Claim> claimed = new HashSet<>();
        Set<UUID> known = new HashSet<>();
        if (batches.isEmpty()) {
            return new Claims(claimed, known);
        }
        Object[] notifications = batches.stream().map(NotificationReceipts::notificationId).toArray();
        try (PreparedStatement s = c.prepareStatement(CLAIM)) {
            s.setArray(1, c.createArrayOf("uuid", notifications));
            s.setArray(2, c.createArrayOf("uuid", batches.stream().map(NotificationReceipts::batchId).toArray()));
            s.setArray(3, c.createArrayOf("uuid", notifications));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID batchId = rs.getObject(1, UUID.class);
                    UUID notificationId = rs.getObject(2, UUID.class);
                    if (batchId == null) {
                        known.add(notificationId);
                    } else {
                        claimed.add(new Claim(batchId, notificationId));
                    }
                }
            }
        }
        return new Claims(claimed, known);
    }

    /** Merges the receipts of the claimed records; answers a {@code delivered} event per user delivered first. */
    private static List<EngagementEvent> merge(Connection c, List<NotificationReceipts> batches) throws SQLException {
        int n = batches.stream().mapToInt(b -> b.receipts().size()).sum();
        Object[] notifications = new Object[n];
        Object[] users = new Object[n];
        Object[] companies = new Object[n];
        Object[] sockets = new Object[n];
        Object[] firsts = new Object[n];
        Object[] lasts = new Object[n];
        int i = 0;
        for (NotificationReceipts batch : batches) {
            for (NotificationReceipts.Receipt r : batch.receipts()) {
                notifications[i] = batch.notificationId();
                users[i] = r.userId();
                companies[i] = r.company();
                sockets[i] = r.sockets();
                OffsetDateTime first = r.firstAckedAt().isAfter(r.lastAckedAt()) ? r.lastAckedAt() : r.firstAckedAt();
                firsts[i] = Timestamp.from(first.toInstant());
                lasts[i] = Timestamp.from(r.lastAckedAt().toInstant());
                i++;
            }
        }
        List<EngagementEvent> delivered = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(MERGE)) {
            s.setArray(1, c.createArrayOf("uuid", notifications));
            s.setArray(2, c.createArrayOf("text", users));
            s.setArray(3, c.createArrayOf("text", companies));
            s.setArray(4, c.createArrayOf("int4", sockets));
            s.setArray(5, c.createArrayOf("timestamptz", firsts));
            s.setArray(6, c.createArrayOf("timestamptz", lasts));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    delivered.add(EngagementEvent.of(EngagementEvent.Kind.DELIVERED, rs.getObject(1, UUID.class),
                            rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class)));
                }
            }
        }
        return delivered;
    }

    /**
     * Records that the user read these notifications (those not recorded before), with one {@code read} event each,
     * in the caller's transaction (the read's own).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void read(String userId, String company, List<UUID> notificationIds) {
        mark(EngagementEvent.Kind.READ, "read_at", "read_users", userId, company, notificationIds);
    }

    /** Records the user's first click on the notification, with one {@code clicked} event, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void clicked(String userId, String company, UUID notificationId) {
        mark(EngagementEvent.Kind.CLICKED, "clicked_at", "clicked_users", userId, company, List.of(notificationId));
    }

    private void mark(EngagementEvent.Kind kind, String column, String counter, String userId, String company,
            List<UUID> notificationIds) {
        if (notificationIds.isEmpty()) {
            return;
        }
        OffsetDateTime now = SequencedOutbox.now();
        List<EngagementEvent> events = jdbc(c -> {
            List<EngagementEvent> marked = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(MARK.formatted(column, counter))) {
                s.setString(1, userId);
                s.setString(2, company);
                s.setObject(3, now);
                s.setArray(4, c.createArrayOf("uuid", notificationIds.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        marked.add(EngagementEvent.of(kind, rs.getObject(1, UUID.class), userId, company, now));
                    }
                }
            }
            return marked;
        });
        engagement.publish(kind, events);
    }

    /** A notification's counters (zeros when nothing was recorded yet). */
    public record Counters(int deliveredUsers, long deliveredSockets, int readUsers, int clickedUsers,
            OffsetDateTime firstDeliveredAt, OffsetDateTime lastDeliveredAt) {
    }

    public Counters counters(UUID notificationId) {
        return jdbc(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT delivered_users, delivered_sockets, read_users, clicked_users, first_delivered_at,
                           last_delivered_at FROM delivery_counters WHERE notification_id = ?""")) {
                s.setObject(1, notificationId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return new Counters(0, 0, 0, 0, null, null);
                    }
                    return new Counters(rs.getInt(1), rs.getLong(2), rs.getInt(3), rs.getInt(4),
                            rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class));
                }
            }
        });
    }

    /**
     * The explicit recipients with no acknowledgement by {@code deadline} (none while it has not come), by user id.
     */
    public List<String> undelivered(UUID notificationId, OffsetDateTime deadline) {
        if (deadline.isAfter(SequencedOutbox.now())) {
            return List.of();
        }
        return jdbc(c -> {
            List<String> users = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT r.user_id FROM notification_recipients r
                      LEFT JOIN delivery_receipts d ON d.notification_id = r.notification_id AND d.user_id = r.user_id
                     WHERE r.notification_id = ? AND (d.first_delivered_at IS NULL OR d.first_delivered_at > ?)
                     ORDER BY r.user_id""")) {
                s.setObject(1, notificationId);
                s.setObject(2, deadline);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        users.add(rs.getString(1));
                    }
                }
            }
            return users;
        });
    }

    /**
     * Claims user/users notifications whose delivery timeout passed and that no check has claimed (skipping those
     * another instance holds), writes one {@code undelivered} event per recipient without a receipt, and marks them
     * checked; in the caller's transaction. Answers how many notifications were checked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int checkUndelivered(OffsetDateTime sentBefore, int limit) {
        Map<UUID, List<String>> missing = new LinkedHashMap<>();
        OffsetDateTime now = SequencedOutbox.now();
        jdbc(c -> {
            try (PreparedStatement claim = c.prepareStatement("""
                    WITH due AS (
                        SELECT id FROM notifications
                         WHERE delivery_checked_at IS NULL AND audience_type IN ('user', 'users') AND created_at <= ?
                         ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED
                    ), checked AS (
                        UPDATE notifications n SET delivery_checked_at = ? FROM due WHERE n.id = due.id RETURNING n.id
                    )
                    SELECT checked.id, u.user_id FROM checked
                      LEFT JOIN LATERAL (
                          SELECT r.user_id FROM notification_recipients r
                           WHERE r.notification_id = checked.id
                             AND NOT EXISTS (SELECT 1 FROM delivery_receipts d
                                              WHERE d.notification_id = r.notification_id AND d.user_id = r.user_id
                                                AND d.first_delivered_at IS NOT NULL)) u ON true""")) {
                claim.setObject(1, sentBefore);
                claim.setInt(2, limit);
                claim.setObject(3, now);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        List<String> users = missing.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>());
                        String user = rs.getString(2);
                        if (user != null) {
                            users.add(user);
                        }
                    }
                }
            }
            return null;
        });
        List<EngagementEvent> events = new ArrayList<>();
        missing.forEach((id, users) -> users.forEach(
                user -> events.add(EngagementEvent.of(EngagementEvent.Kind.UNDELIVERED, id, user, null, now))));
        engagement.publish(EngagementEvent.Kind.UNDELIVERED, events);
        return missing.size();
    }

    private <T> T jdbc(ReturningWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work);
    }
}
