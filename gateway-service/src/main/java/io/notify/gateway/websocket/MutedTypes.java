package io.notify.gateway.websocket;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.notify.gateway.store.StoreClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The notification types each connected user switched off: loaded from the store when their first
 * socket opens, kept current by {@code preferences_updated} events, dropped with their last
 * socket. A muted type is not pushed unless it is urgent; until the load answers, nothing is muted.
 */
@ApplicationScoped
public class MutedTypes {

    private static final Logger LOG = Logger.getLogger(MutedTypes.class);

    private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();
    private final StoreClient store;
    private final ConnectionRegistry registry;

    public MutedTypes(StoreClient store, ConnectionRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    void load(String userId, String bearerToken) {
        store.preferences(bearerToken).whenComplete((preferences, failure) -> {
            if (failure != null) {
                LOG.debugf("Preferences of %s not loaded, pushing every type: %s", userId, failure.toString());
            } else if (registry.holds(userId)) {
                byUser.putIfAbsent(userId, muted(preferences));
            }
        });
    }

    /** From a {@code preferences_updated} event (authoritative: newer than any load). */
    public void update(String userId, JsonNode preferences) {
        if (registry.holds(userId)) {
            byUser.put(userId, muted(preferences));
        }
    }

    void forgetIfGone(String userId) {
        if (!registry.holds(userId)) {
            byUser.remove(userId);
        }
    }

    public boolean mutes(String userId, String type, String priority) {
        return !"urgent".equals(priority) && byUser.getOrDefault(userId, Set.of()).contains(type);
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
