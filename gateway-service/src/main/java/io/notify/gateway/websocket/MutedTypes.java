package io.notify.gateway.websocket;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.notify.gateway.event.NotificationEvent;
import io.notify.gateway.metrics.GatewayMetrics;
import io.notify.gateway.store.StoreClient;
import jakarta.inject.Singleton;

/**
 * The notification types each connected user switched off: loaded from the store when their first
 * socket opens, kept current by {@code preferences_updated} events, dropped with their last
 * socket. A muted type is not pushed unless it is urgent; until the load answers, nothing is muted.
 *
 * <p>Also indexed by type, so that routing an event asks once which users muted its type, rather
 * than looking up every addressed socket's user (most users mute nothing).
 */
@Singleton
public class MutedTypes {

    private static final Logger LOG = Logger.getLogger(MutedTypes.class);

    /** What each connected user mutes (empty once known to mute nothing: a late load must not override an update). */
    private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();
    /** The reverse: for each type somebody mutes, who. */
    private final Map<String, Set<String>> byType = new ConcurrentHashMap<>();
    private final StoreClient store;
    private final ConnectionRegistry registry;
    private final GatewayMetrics metrics;

    public MutedTypes(StoreClient store, ConnectionRegistry registry, GatewayMetrics metrics) {
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
    }

    void load(String userId, String bearerToken) {
        store.preferences(bearerToken).whenComplete((preferences, failure) -> {
            if (failure != null) {
                metrics.error("preferences_unavailable");
                LOG.debugf("Preferences of %s not loaded, pushing every type: %s", userId, failure.toString());
            } else if (registry.holds(userId)) {
                set(userId, muted(preferences), false);
            }
        });
    }

    /** From a {@code preferences_updated} event (authoritative: newer than any load). */
    public void update(String userId, JsonNode preferences) {
        if (registry.holds(userId)) {
            set(userId, muted(preferences), true);
        }
    }

    void forgetIfGone(String userId) {
        if (!registry.holds(userId)) {
            set(userId, null, true);
        }
    }

    /** The users who do not want {@code event} pushed: a created notification of a type they muted, not urgent. */
    public Set<String> mutedBy(NotificationEvent event) {
        if (!"created".equals(event.kind()) || event.notification() == null
                || "urgent".equals(event.notification().path("priority").asText())) {
            return Set.of();
        }
        return byType.getOrDefault(event.notification().path("type").asText(), Set.of());
    }

    public boolean mutes(String userId, NotificationEvent event) {
        return mutedBy(event).contains(userId);
    }

    /**
     * Replaces what {@code userId} mutes ({@code replace}), or sets it if nothing is known yet; null
     * forgets the user. Done under the user's map entry, so a load and an update of the same user
     * cannot interleave.
     */
    private void set(String userId, Set<String> muted, boolean replace) {
        Set<String> now = muted == null ? Set.of() : muted;
        byUser.compute(userId, (id, old) -> {
            if (old != null && !replace) {
                return old;
            }
            for (String type : old == null ? Set.<String> of() : old) {
                if (!now.contains(type)) {
                    byType.computeIfPresent(type, (t, users) -> {
                        users.remove(id);
                        return users.isEmpty() ? null : users;
                    });
                }
            }
            for (String type : now) {
                byType.computeIfAbsent(type, t -> ConcurrentHashMap.newKeySet()).add(id);
            }
            return muted;
        });
    }

    private static Set<String> muted(JsonNode preferences) {
        Set<String> muted = new HashSet<>();
        if (preferences != null) {
            preferences.path("types").properties().forEach(e -> {
                if (e.getValue().isBoolean() && !e.getValue().booleanValue()) {
                    muted.add(e.getKey());
                }
            });
        }
        return Set.copyOf(muted);
    }
}
