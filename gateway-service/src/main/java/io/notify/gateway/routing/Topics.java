package io.notify.gateway.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.notify.gateway.client.PreferenceLoads.TopicSubscription;
import jakarta.inject.Singleton;

/**
 * The topics the connected users subscribe to (issue 25): a {@code topic} audience reaches a user's sockets when they
 * subscribed to that topic of that company before the notification was sent ({@code since_seq < seq}). Learnt with the
 * muted types, by the same batched load when a user's first socket opens ({@link MutedTypes} hands the answer here),
 * kept current by {@code subscription_changed} events, dropped with the user's last socket. Users who subscribe to
 * nothing cost nothing here.
 *
 * <p>A change can overtake the load: the store answers the load as of some moment, and events of that user committed
 * before or after it may be routed before the answer arrives. While a user's load is out, a change is kept with the seq
 * of its event (an unsubscription too, as a tombstone), and the load's answer only adds what is not newer in the kept
 * changes; after the answer, changes apply directly, in the stream's order, so the state ends as the store's. The two
 * never interleave for a user: {@link MutedTypes} calls both under its per-user entry, and knows whose load answered.
 */
@Singleton
public class Topics {

    /**
     * Per user with a subscription (or a change waiting for their load): topic key → since seq; negative: an
     * unsubscription at that seq, kept only until their load answered. Each user's map is immutable, replaced on a
     * change: routing reads it without a lock.
     */
    private final Map<String, Map<String, Long>> byUser = new ConcurrentHashMap<>();
    /** The reverse: for each topic key somebody here subscribes to, who. */
    private final Map<String, Set<String>> byTopic = new ConcurrentHashMap<>();

    /** The routing key of a company's topic. */
    static String key(String company, String topic) {
        return company + '\u0000' + topic;
    }

    /** The user's subscriptions as the store answered their load, merged with the changes routed meanwhile. */
    void loaded(String userId, List<TopicSubscription> subscriptions) {
        byUser.compute(userId, (id, kept) -> {
            if (kept == null && (subscriptions == null || subscriptions.isEmpty())) {
                return null;
            }
            Map<String, Long> topics = kept == null ? new HashMap<>(4) : new HashMap<>(kept);
            for (TopicSubscription s : subscriptions == null ? List.<TopicSubscription> of() : subscriptions) {
                if (s.company() == null || s.topic() == null) {
                    continue;
                }
                String key = key(s.company(), s.topic());
                Long change = topics.get(key);
                if (change == null || Math.abs(change) < s.sinceSeq()) {
                    topics.put(key, s.sinceSeq());
                    index(key, id);
                }
            }
            topics.values().removeIf(seq -> seq < 0); // from now on changes apply directly
            return topics.isEmpty() ? null : Map.copyOf(topics);
        });
    }

    /**
     * A {@code subscription_changed} event of a user connected here; {@code loaded}: whether their load answered (else
     * the change is kept to merge with its answer).
     */
    void changed(String userId, String company, String topic, boolean subscribed, long seq, boolean loaded) {
        String key = key(company, topic);
        byUser.compute(userId, (id, kept) -> {
            Map<String, Long> topics = kept == null ? new HashMap<>(4) : new HashMap<>(kept);
            if (subscribed) {
                topics.put(key, seq);
                index(key, id);
            } else {
                if (loaded) {
                    topics.remove(key);
                } else {
                    topics.put(key, -seq);
                }
                unindex(key, id);
            }
            return topics.isEmpty() ? null : Map.copyOf(topics);
        });
    }

    /** The user left (their last socket closed). */
    void forget(String userId) {
        Map<String, Long> topics = byUser.remove(userId);
        if (topics != null) {
            topics.keySet().forEach(key -> unindex(key, userId));
        }
    }

    /** Calls {@code action} for each user here subscribed to the company's topic before {@code seq}. */
    void forEachSubscriber(String company, String topic, long seq, Consumer<String> action) {
        String key = key(company, topic);
        for (String userId : byTopic.getOrDefault(key, Set.of())) {
            Map<String, Long> topics = byUser.get(userId);
            Long since = topics == null ? null : topics.get(key);
            if (since != null && since > 0 && since < seq) {
                action.accept(userId);
            }
        }
    }

    private void index(String key, String userId) {
        byTopic.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(userId);
    }

    private void unindex(String key, String userId) {
        byTopic.computeIfPresent(key, (k, users) -> {
            users.remove(userId);
            return users.isEmpty() ? null : users;
        });
    }
}
