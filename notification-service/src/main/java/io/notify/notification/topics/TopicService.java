package io.notify.notification.topics;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.notify.notification.SqlTimes;
import io.notify.notification.outbox.NotificationEvent;
import io.notify.notification.outbox.SequencedOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Topic subscriptions. Subscribing appends a {@code subscription_changed} event to the user's events (kept for resume,
 * published to every gateway) in the transaction that inserts the row; its seq is the subscription's
 * {@code since_seq}. Repeating a subscribe answers the row as it is, and unsubscribing when not subscribed changes
 * nothing: neither appends an event. The sequence lock is taken before the row is written in both directions (so a
 * concurrent subscribe and unsubscribe of the same row never wait on each other in opposite orders).
 */
@ApplicationScoped
public class TopicService {

    private static final String COLUMNS = "topic, company, user_id, since_seq, subscribed_at";

    private final EntityManager em;
    private final SequencedOutbox events;

    public TopicService(EntityManager em, SequencedOutbox events) {
        this.em = em;
        this.events = events;
    }

    /** The user's subscriptions in {@code company}, by topic. */
    @Transactional
    public List<TopicSubscription> subscriptions(String company, String userId) {
        return rows(em.createNativeQuery("SELECT " + COLUMNS + " FROM topic_subscriptions WHERE user_id = :user"
                + " AND company = :company ORDER BY topic").setParameter("user", userId).setParameter("company", company)
                .getResultList());
    }

    /** Subscribes the user (idempotent): the new subscription, or the one they had. */
    @Transactional
    public TopicSubscription subscribe(String company, String topic, String userId) {
        TopicSubscription existing = find(company, topic, userId);
        if (existing != null) {
            return existing;
        }
        long seq = events.nextSeq();
        OffsetDateTime now = SequencedOutbox.now();
        List<?> inserted = em.createNativeQuery("INSERT INTO topic_subscriptions (" + COLUMNS + ")"
                + " VALUES (:topic, :company, :user, :seq, :at) ON CONFLICT DO NOTHING RETURNING 1")
                .setParameter("topic", topic).setParameter("company", company).setParameter("user", userId)
                .setParameter("seq", seq).setParameter("at", now).getResultList();
        if (inserted.isEmpty()) { // a concurrent subscribe committed first (we waited for it on the lock)
            return find(company, topic, userId);
        }
        events.appendUserEvent(userId, NotificationEvent.subscriptionChanged(userId, seq, now, company, topic, true));
        return new TopicSubscription(topic, company, userId, seq, now);
    }

    /** Unsubscribes the user; nothing to remove is no error (and tells nobody). */
    @Transactional
    public void unsubscribe(String company, String topic, String userId) {
        if (find(company, topic, userId) == null) {
            return;
        }
        long seq = events.nextSeq();
        int deleted = em.createNativeQuery("DELETE FROM topic_subscriptions WHERE company = :company AND topic = :topic"
                + " AND user_id = :user").setParameter("company", company).setParameter("topic", topic)
                .setParameter("user", userId).executeUpdate();
        if (deleted > 0) {
            events.appendUserEvent(userId,
                    NotificationEvent.subscriptionChanged(userId, seq, SequencedOutbox.now(), company, topic, false));
        }
    }

    /** The topic's subscribers with a user id after {@code after} (null: from the first), by user id. */
    @Transactional
    public TopicSubscription.SubscribersPage subscribers(String company, String topic, String after, int limit) {
        List<TopicSubscription> rows = rows(em.createNativeQuery("SELECT " + COLUMNS + " FROM topic_subscriptions"
                + " WHERE company = :company AND topic = :topic AND user_id > :after ORDER BY user_id LIMIT :limit")
                .setParameter("company", company).setParameter("topic", topic)
                .setParameter("after", after == null ? "" : after).setParameter("limit", limit + 1).getResultList());
        boolean more = rows.size() > limit;
        List<TopicSubscription> page = more ? rows.subList(0, limit) : rows;
        return new TopicSubscription.SubscribersPage(page.stream().map(TopicSubscription::asSubscriber).toList(),
                more ? page.get(page.size() - 1).userId() : null);
    }

    private TopicSubscription find(String company, String topic, String userId) {
        List<TopicSubscription> rows = rows(em.createNativeQuery("SELECT " + COLUMNS + " FROM topic_subscriptions"
                + " WHERE company = :company AND topic = :topic AND user_id = :user").setParameter("company", company)
                .setParameter("topic", topic).setParameter("user", userId).getResultList());
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<TopicSubscription> rows(List<?> result) {
        List<TopicSubscription> rows = new ArrayList<>(result.size());
        for (Object row : result) {
            Object[] cols = (Object[]) row;
            rows.add(new TopicSubscription((String) cols[0], (String) cols[1], (String) cols[2],
                    ((Number) cols[3]).longValue(), SqlTimes.utc(cols[4])));
        }
        return rows;
    }
}
