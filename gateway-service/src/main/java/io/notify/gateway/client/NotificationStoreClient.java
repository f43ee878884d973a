package io.notify.gateway.client;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.notify.gateway.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * notification-service as the socket's user: every call carries that user's own token, so the
 * store authorizes a socket action exactly as it would the same REST call from the browser.
 *
 * <p>Vert.x's client on the gateway's own event loops, with a bounded pool of HTTP/1.1 keep-alive
 * connections: a burst of socket opens (each loads its user's preferences) queues for a connection
 * instead of opening one per call. The JDK client did that, and kept every one (h2c-upgraded, with
 * 16 KB of buffers and its first request's token) idle for 20 minutes: 905 connections and 16 MB
 * after 5,000 sockets opened, each also taking a file descriptor from the sockets' budget.
 *
 * <p>Preference loads take at most half of those connections at a time; the rest wait in a queue here, where
 * they do not time out. A reconnect storm (19,500 sockets opening in 30 s) queued thousands of loads for the
 * pool: socket actions waited behind them, and the loads that waited longer than the pool's 10 s timeout
 * failed and were tried again later (6,500-17,000 of 19,501 in the benchmark).
 */
@ApplicationScoped
public class NotificationStoreClient {

    private static final long TIMEOUT_MS = 10_000;
    /** A failed preferences load is tried again after about 1, then 3 times this (jittered), then given up. */
    private static final long RETRY_BASE_MS = 1_000;
    private static final int PREFERENCE_ATTEMPTS = 3;
    /** Connections to the store per gateway: enough for thousands of calls per second of a few ms each. */
    static final int CONNECTIONS = 32;

    /** The store's answer: status and JSON body (NullNode when empty). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final Vertx vertx;
    private final HttpClient http;
    private final ObjectMapper json;
    private final URI storeUrl;
    private final long retryBaseMs;
    private final int preferenceLoadsInFlight;
    private final AtomicInteger loading = new AtomicInteger();
    private final ConcurrentLinkedQueue<Runnable> waitingLoads = new ConcurrentLinkedQueue<>();

    @Inject
    public NotificationStoreClient(Vertx vertx, ObjectMapper json, GatewayConfig config) {
        this(vertx, json, config.storeUrl(), CONNECTIONS, RETRY_BASE_MS);
    }

    /** A client of the store at {@code storeUrl} with its own pool size and retry pause (tests use short ones). */
    public NotificationStoreClient(Vertx vertx, ObjectMapper json, URI storeUrl, int connections, long retryBaseMs) {
        this.vertx = vertx;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) TIMEOUT_MS),
                new PoolOptions().setHttp1MaxSize(connections));
        this.json = json;
        this.storeUrl = storeUrl;
        this.retryBaseMs = retryBaseMs;
        this.preferenceLoadsInFlight = Math.max(1, connections / 2);
    }

    /**
     * The user's preferences: {@code {"types": {"info": false, ...}}}. A store that is busy or
     * unreachable (a reconnect storm loads thousands at once) is asked again twice, after a jittered
     * pause, before this fails (the caller tries again later, see MutedTypes); a refusal (4xx: the
     * token) fails at once with {@link Refused}.
     */
    public CompletionStage<JsonNode> preferences(String bearerToken) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        loadPreferences(bearerToken, 1, result);
        return result;
    }

    private void loadPreferences(String bearerToken, int attempt, CompletableFuture<JsonNode> result) {
        limited(() -> call("GET", "/api/notifications/preferences", null, bearerToken)).whenComplete((answer, failure) -> {
            if (failure == null && answer.ok()) {
                result.complete(answer.body());
                return;
            }
            boolean transientFailure = failure != null || answer.status() >= 500 || answer.status() == 429;
            if (!transientFailure || attempt >= PREFERENCE_ATTEMPTS) {
                result.completeExceptionally(failure != null ? failure
                        : transientFailure ? new IllegalStateException("notification-service answered " + answer.status())
                        : new Refused(answer.status()));
                return;
            }
            long pause = retryBaseMs * (attempt == 1 ? 1 : 3);
            vertx.setTimer(pause / 2 + ThreadLocalRandom.current().nextLong(pause),
                    t -> loadPreferences(bearerToken, attempt + 1, result));
        });
    }

    /** {@code load} once fewer than {@link #preferenceLoadsInFlight} loads are in flight. */
    private CompletionStage<Answer> limited(Supplier<CompletionStage<Answer>> load) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        waitingLoads.add(() -> started(load).whenComplete((answer, failure) -> {
            loading.decrementAndGet();
            vertx.runOnContext(v -> startWaitingLoads()); // not nested: a load that fails at once must not recurse
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(answer);
            }
        }));
        startWaitingLoads();
        return result;
    }

    private static CompletionStage<Answer> started(Supplier<CompletionStage<Answer>> load) {
        try {
            return load.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    private void startWaitingLoads() {
        while (!waitingLoads.isEmpty()) {
            int now = loading.get();
            if (now >= preferenceLoadsInFlight) {
                return; // the next completion starts the next load
            }
            if (loading.compareAndSet(now, now + 1)) {
                Runnable next = waitingLoads.poll();
                if (next == null) {
                    loading.decrementAndGet(); // another thread took the last one
                } else {
                    next.run();
                }
            }
        }
    }

    /** The store refused the call (4xx, e.g. an expired or revoked token): asking again would not help. */
    public static final class Refused extends IllegalStateException {
        Refused(int status) {
            super("notification-service answered " + status);
        }
    }

    /** {@code pathAndQuery} is built by the caller from validated, encoded parts only. */
    public CompletionStage<Answer> call(String method, String pathAndQuery, JsonNode body, String bearerToken) {
        // the connect timeout includes the wait for a pooled connection
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.valueOf(method))
                .setAbsoluteURI(storeUrl.resolve(pathAndQuery).toString())
                .setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS)
                .putHeader("Authorization", "Bearer " + bearerToken).putHeader("Accept", "application/json");
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        return http.request(request)
                .compose(r -> body == null ? r.send() : r.send(Buffer.buffer(body.toString())))
                .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), parse(bytes.getBytes()))))
                .toCompletionStage();
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            return NullNode.getInstance();
        }
    }
}
