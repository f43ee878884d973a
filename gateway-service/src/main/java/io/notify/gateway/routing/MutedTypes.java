package io.notify.gateway.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.notify.gateway.GatewayMetrics;
import io.notify.gateway.client.PreferenceLoads;
import io.notify.gateway.client.PreferenceLoads.MutedTypesAnswer;
import io.notify.gateway.client.PreferenceLoads.MutedTypesRequest;
import io.notify.gateway.client.PreferenceLoads.MutedTypesResult;
import io.notify.gateway.client.PreferenceLoads.TopicSubscription;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The notification types each connected user switched off (and their {@link QuietHours}): loaded from the store
 * when their first socket opens, kept current by {@code preferences_updated} events, dropped with their last
 * socket. A muted type is not pushed unless it is urgent; until the load answers, nothing is muted.
 *
 * <p>Loads go out in batches ({@code POST /api/notifications/preferences/muted}, up to {@link #BATCH} user ids, asked
 * with the gateway's own token: {@link PreferenceLoads}): one request per user cost the store most of a core in a
 * connect storm (19,500 sockets at 1,260/s: 62% of a core, the last user known 11.5 s after the last socket opened),
 * and batches that carried each user's token for the store to verify still cost it 143 us of CPU per user.
 * Users whose first socket opened wait in a queue, only their ids. A batch of whatever waits goes out when none is in
 * flight and none went out in the last {@link #PACE_MILLIS}, so a lone user's load leaves at once when the gateway is
 * idle; in a storm, batches that are not full leave at most every {@link #PACE_MILLIS}. While one is in flight a second
 * goes out only full. The pace is what makes batches worth it: a fast store answers a small batch in a millisecond or
 * two, and sending the next one then made batches of 1-3 users at 600 sockets/s, while one request costs the store
 * about ten times what one more token in it costs (a rough local measurement, client included: 1.0 ms of CPU per user
 * in batches of 1, 0.38 in batches of 5, 0.16 of 20, 0.10 of 100).
 *
 * <p>A batch that fails (the store busy or down, as in a reconnect storm after a restart) is tried again for its users
 * still connected and not known otherwise, after {@link #RELOAD_MILLIS} or so, less and less often: without that, a
 * user whose load failed got every type they muted pushed for as long as their socket lived (11,277 of 19,501 users
 * in a benchmark run that opened their sockets at 734/s).
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
    /** Users per request, at most (as many as the store takes). */
    static final int BATCH = 100;
    private static final int BATCHES_IN_FLIGHT = 2;
    /**
     * At most one batch that is not full per this long (60 users at 600 sockets/s; an idle gateway's lone user at once).
     * 100 ms rather than 50 cost the store 143 instead of 174 us of CPU per user in a bench storm of 19,501 sockets
     * (JIT compilers left out).
     */
    static final long PACE_MILLIS = 100;

    /** Users whose load waits to go out (some may have left or become known since: skipped then). */
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** When the last batch went out ({@link System#nanoTime()}). */
    private final AtomicLong lastSent = new AtomicLong(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS));
    /** A timer is set to send what waits once the pace allows. */
    private final AtomicBoolean paced = new AtomicBoolean();
    /**
     * Users whose load is queued, in flight or waiting to be tried again, with how many of their loads failed: a
     * second tab opening meanwhile does not queue them twice.
     */
    private final Map<String, Integer> loading = new ConcurrentHashMap<>();
    /** What each connected user mutes (empty once known to mute nothing: a late load must not override an update). */
    private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();
    /**
     * Users whose muted types a {@code preferences_updated} event made known before their load answered (routed between
     * their socket's indexing and the load, or while it was out): their load must still go out and answer, for their
     * topics. Almost always empty: users whose load answered cost {@link Topics} nothing unless they subscribe.
     */
    private final Set<String> topicsUnknown = ConcurrentHashMap.newKeySet();
    /** The reverse: for each type somebody mutes, who. */
    private final Map<String, Set<String>> byType = new ConcurrentHashMap<>();
    private final PreferenceLoads store;
    private final QuietHours quietHours;
    private final Topics topics;
    private final ConnectionIndex registry;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final long reloadMillis;

    @Inject
    public MutedTypes(@RestClient PreferenceLoads store, QuietHours quietHours, Topics topics, ConnectionIndex registry,
            GatewayMetrics metrics, Vertx vertx) {
        this(store, quietHours, topics, registry, metrics, vertx, RELOAD_MILLIS);
    }

    MutedTypes(PreferenceLoads store, ConnectionIndex registry, GatewayMetrics metrics, Vertx vertx, long reloadMillis) {
        this(store, new QuietHours(), new Topics(), registry, metrics, vertx, reloadMillis);
    }

    MutedTypes(PreferenceLoads store, QuietHours quietHours, Topics topics, ConnectionIndex registry, GatewayMetrics metrics,
            Vertx vertx, long reloadMillis) {
        this.store = store;
        this.quietHours = quietHours;
        this.topics = topics;
        this.registry = registry;
        this.metrics = metrics;
        this.vertx = vertx;
        this.reloadMillis = reloadMillis;
        metrics.gauge("notify.gateway.preferences.pending", "Connected users whose preferences are not loaded yet "
                + "(pushed every type meanwhile)", this, MutedTypes::pending);
    }

    /**
     * Says at start-up when the gateway has no credential to load muted types with: every load would fail and every
     * muted type be pushed, which an operator upgrading without the new Secret would otherwise only see in a metric.
     */
    void checkCredential(@Observes StartupEvent event,
            @ConfigProperty(name = "quarkus.oidc-client.credentials.secret") Optional<String> secret) {
        if (secret.filter(s -> !s.isBlank()).isEmpty()) {
            LOG.warn("NOTIFY_GATEWAY_CLIENT_SECRET is not set: the gateway cannot get its token from auth-service, so "
                    + "muted types are not loaded and every type is pushed (set it to auth-service's value)");
        }
    }

    /** Connected users whose preferences are not known yet. */
    public int pending() {
        return Math.max(0, registry.users() - byUser.size());
    }

    /**
     * On a socket open (indexed already: a load goes out only for users still connected): queues the user's load
     * unless their preferences are known or being loaded (another tab of theirs).
     */
    public void load(String userId) {
        if (!known(userId) && loading.putIfAbsent(userId, 0) == null) {
            enqueue(userId);
            sendBatches();
        }
    }

    /**
     * Whether the user's load answered: their muted types and topics are known (a {@code preferences_updated} event
     * makes only the muted types known).
     */
    private boolean known(String userId) {
        return byUser.containsKey(userId) && !topicsUnknown.contains(userId);
    }

    private void enqueue(String userId) {
        queue.add(userId);
        queued.incrementAndGet();
    }

    /**
     * Sends what waits: a batch of any size when none is in flight and the pace allows (else once it does), a second
     * only when it is full.
     */
    private void sendBatches() {
        while (true) {
            int flying = inFlight.get();
            int waiting = queued.get();
            if (waiting == 0 || flying >= BATCHES_IN_FLIGHT || (flying > 0 && waiting < BATCH)) {
                return;
            }
            long early = lastSent.get() + TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS) - System.nanoTime();
            if (waiting < BATCH && early > 0) {
                if (paced.compareAndSet(false, true)) {
                    vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(early) + 1), t -> {
                        paced.set(false);
                        sendBatches();
                    });
                }
                return;
            }
            if (inFlight.compareAndSet(flying, flying + 1)) {
                lastSent.set(System.nanoTime());
                List<String> users = take(Math.min(waiting, BATCH));
                if (users.isEmpty()) {
                    inFlight.decrementAndGet(); // all of them left or became known meanwhile
                } else {
                    send(users);
                }
            }
        }
    }

    /** Up to {@link #BATCH} waiting users still connected and not known. */
    private List<String> take(int expected) {
        List<String> users = new ArrayList<>(expected);
        for (String userId = queue.poll(); userId != null; userId = users.size() < BATCH ? queue.poll() : null) {
            queued.decrementAndGet();
            if (!registry.holds(userId) || known(userId)) {
                loading.remove(userId);
            } else {
                users.add(userId);
            }
        }
        return users;
    }

    private void send(List<String> users) {
        CompletionStage<MutedTypesAnswer> answer;
        try {
            answer = store.mutedTypes(new MutedTypesRequest(users));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((muted, thrown) -> {
            Throwable failure = thrown instanceof CompletionException ? thrown.getCause() : thrown;
            try {
                if (failure == null && muted != null && muted.results() != null && muted.results().size() == users.size()) {
                    loaded(users, muted.results());
                } else {
                    failed(users, failure != null ? failure : new IllegalStateException("an answer without one result per user"));
                }
            } catch (RuntimeException e) { // an answer it could not apply: its users must not stay "being loaded"
                failed(users, e);
            } finally {
                inFlight.decrementAndGet();
                sendBatches();
            }
        });
    }

    private void loaded(List<String> users, List<MutedTypesResult> results) {
        for (int i = 0; i < users.size(); i++) {
            String userId = users.get(i);
            MutedTypesResult result = results.get(i);
            if (!userId.equals(result.userId())) {
                LOG.debugf("Preferences of %s answered for %s, pushing every type", userId, result.userId());
                loading.remove(userId);
                metrics.error("preferences_unavailable");
                continue;
            }
            loading.remove(userId);
            if (registry.holds(userId)) {
                set(userId, result.muted() == null ? Set.of() : Set.copyOf(result.muted()),
                        QuietHours.Window.of(result.quietHours()), result.topics(), false);
            }
        }
    }

    /** The store did not answer: the users still connected and not known are asked again later. */
    private void failed(List<String> users, Throwable failure) {
        int failedBefore = 0;
        for (String userId : users) {
            Integer failures = loading.computeIfPresent(userId, (id, n) -> n + 1);
            if (failures != null && registry.holds(userId) && !known(userId)) {
                metrics.error("preferences_unavailable");
                failedBefore = Math.max(failedBefore, failures - 1);
            }
        }
        long wait = reloadMillis << Math.min(failedBefore, LONGEST_RELOAD_DOUBLINGS);
        long delay = wait / 2 + ThreadLocalRandom.current().nextLong(wait);
        LOG.debugf("Preferences of %d users not loaded, pushing every type until they are (next try in %d ms): %s",
                users.size(), delay, failure.toString());
        vertx.setTimer(delay, t -> {
            for (String userId : users) {
                if (loading.containsKey(userId) && registry.holds(userId) && !known(userId)) {
                    enqueue(userId);
                } else {
                    loading.remove(userId);
                }
            }
            sendBatches();
        });
    }

    /** From a {@code preferences_updated} event (authoritative: newer than any load). */
    public void update(String userId, JsonNode preferences) {
        if (registry.holds(userId)) {
            set(userId, muted(preferences), QuietHours.Window.of(preferences == null ? null : preferences.get("quiet_hours")),
                    null, true);
        }
    }

    /**
     * From a {@code subscription_changed} event of a user connected here: applied to {@link Topics} under the user's
     * entry, so it cannot interleave with their load's answer, which it is merged with when that is still out.
     */
    public void subscriptionChanged(String userId, String company, String topic, boolean subscribed, long seq) {
        if (registry.holds(userId)) {
            byUser.compute(userId, (id, known) -> {
                topics.changed(id, company, topic, subscribed, seq, known != null && !topicsUnknown.contains(id));
                return known;
            });
        }
    }

    public void forgetIfGone(String userId) {
        if (!registry.holds(userId)) {
            set(userId, null, null, null, true);
        }
    }

    /** The users who do not want {@code event} pushed: a created notification of a type they muted, not urgent. */
    public Set<String> mutedBy(NotificationEvent event) {
        if (!event.pushesNotification()
                || "urgent".equals(event.notification().path("priority").asText())) {
            return Set.of();
        }
        return byType.getOrDefault(event.notification().path("type").asText(), Set.of());
    }

    public boolean mutes(String userId, NotificationEvent event) {
        return mutedBy(event).contains(userId);
    }

    /**
     * Replaces what {@code userId} mutes and their quiet hours ({@code replace}), or sets them and their topics
     * ({@code subscriptions}, from their load) if nothing is known yet; null forgets the user. Done under the user's map
     * entry, so a load and an update of the same user cannot interleave.
     */
    private void set(String userId, Set<String> muted, QuietHours.Window quiet, List<TopicSubscription> subscriptions,
            boolean replace) {
        Set<String> now = muted == null ? Set.of() : muted;
        byUser.compute(userId, (id, old) -> {
            if (muted == null) {
                topics.forget(id);
                topicsUnknown.remove(id);
            } else if (!replace && (old == null || topicsUnknown.remove(id))) {
                topics.loaded(id, subscriptions); // the load's answer, also when an update made the muted types known first
            } else if (replace && old == null) {
                topicsUnknown.add(id);
            }
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
            quietHours.set(id, muted == null ? null : quiet);
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
