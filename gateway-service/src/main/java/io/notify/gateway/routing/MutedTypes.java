package io.notify.gateway.routing;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.notify.gateway.GatewayMetrics;
import io.notify.gateway.client.NotificationStoreClient;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The notification types each connected user switched off: loaded from the store when their first
 * socket opens, kept current by {@code preferences_updated} events, dropped with their last
 * socket. A muted type is not pushed unless it is urgent; until the load answers, nothing is muted.
 * A load that fails (the store busy or down, as in a reconnect storm after a restart) is tried again
 * after {@link #RELOAD_MILLIS} or so, less and less often, while the user is connected and nothing
 * newer is known: without that, a user whose load failed got every type they muted pushed for as long
 * as their socket lived (11,277 of 19,501 users in a benchmark run that opened their sockets at 734/s).
 *
 * <p>Also indexed by type, so that routing an event asks once which users muted its type, rather
 * than looking up every addressed socket's user (most users mute nothing).
 */
@Singleton
public class MutedTypes {

    private static final Logger LOG = Logger.getLogger(MutedTypes.class);
    /** About how long (jittered by half either way) until a failed load is tried again; doubled for each failure after, up to 16 times. */
    static final long RELOAD_MILLIS = 15_000;
    private static final int LONGEST_RELOAD_DOUBLINGS = 4;

    /**
     * Users whose load the client's bulkhead turned away (its queue full, as in a reconnect storm), loaded one by
     * one as earlier loads finish. Only their ids wait here: an invocation waiting in the bulkhead's own queue holds
     * kilobytes (the fault-tolerance context, its futures, the bearer header), which 19,500 sockets opening at once
     * turned into 60 MB more heap at the peak, and a JVM keeps that much committed after the storm.
     */
    private final Queue<String> turnedAway = new ConcurrentLinkedQueue<>();
    /** What each connected user mutes (empty once known to mute nothing: a late load must not override an update). */
    private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();
    /** The reverse: for each type somebody mutes, who. */
    private final Map<String, Set<String>> byType = new ConcurrentHashMap<>();
    private final NotificationStoreClient store;
    private final ConnectionIndex registry;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final long reloadMillis;

    @Inject
    public MutedTypes(@RestClient NotificationStoreClient store, ConnectionIndex registry, GatewayMetrics metrics, Vertx vertx) {
        this(store, registry, metrics, vertx, RELOAD_MILLIS);
    }

    MutedTypes(NotificationStoreClient store, ConnectionIndex registry, GatewayMetrics metrics, Vertx vertx, long reloadMillis) {
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
        this.vertx = vertx;
        this.reloadMillis = reloadMillis;
        metrics.gauge("notify.gateway.preferences.pending", "Connected users whose preferences are not loaded yet "
                + "(pushed every type meanwhile)", this, MutedTypes::pending);
    }

    /** Connected users whose preferences are not known yet. */
    public int pending() {
        return Math.max(0, registry.users() - byUser.size());
    }

    /** On a socket open: asks the store unless the user's preferences are known already (another tab of theirs). */
    public void load(String userId, String bearerToken) {
        if (!byUser.containsKey(userId)) {
            load(userId, bearerToken, 0);
        }
    }

    private void load(String userId, String bearerToken, int failedBefore) {
        CompletionStage<JsonNode> answer;
        try {
            answer = store.preferences(NotificationStoreClient.bearer(bearerToken));
        } catch (BulkheadException e) {
            turnedAway.add(userId);
            return;
        }
        answer.whenComplete((preferences, thrown) -> {
            Throwable failure = thrown instanceof CompletionException ? thrown.getCause() : thrown;
            if (failure instanceof BulkheadException) {
                turnedAway.add(userId); // not a failure: loaded when a load ahead of it finishes
                return;
            }
            loadNextTurnedAway();
            if (failure == null) {
                if (registry.holds(userId)) {
                    set(userId, muted(preferences), false);
                }
                return;
            }
            metrics.error("preferences_unavailable");
            if (failure instanceof NotificationStoreClient.Refused) {
                LOG.debugf("Preferences of %s refused, pushing every type: %s", userId, failure.toString());
                return;
            }
            long wait = reloadMillis << Math.min(failedBefore, LONGEST_RELOAD_DOUBLINGS);
            long delay = wait / 2 + ThreadLocalRandom.current().nextLong(wait);
            LOG.debugf("Preferences of %s not loaded, pushing every type until they are (next try in %d ms): %s",
                    userId, delay, failure.toString());
            vertx.setTimer(delay, t -> reloadIfUnknown(userId, failedBefore + 1));
        });
    }

    /** A load finished: the next user the bulkhead turned away who is still connected and not known yet. */
    private void loadNextTurnedAway() {
        for (String userId = turnedAway.poll(); userId != null; userId = turnedAway.poll()) {
            String token = registry.tokenOf(userId);
            if (token != null && !byUser.containsKey(userId)) {
                load(userId, token, 0);
                return;
            }
        }
    }

    /** A failed load, tried again with the token one of the user's sockets acts with now, unless that is moot. */
    private void reloadIfUnknown(String userId, int failedBefore) {
        String token = registry.tokenOf(userId);
        if (token != null && !byUser.containsKey(userId)) {
            load(userId, token, failedBefore);
        }
    }

    /** From a {@code preferences_updated} event (authoritative: newer than any load). */
    public void update(String userId, JsonNode preferences) {
        if (registry.holds(userId)) {
            set(userId, muted(preferences), true);
        }
    }

    public void forgetIfGone(String userId) {
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
