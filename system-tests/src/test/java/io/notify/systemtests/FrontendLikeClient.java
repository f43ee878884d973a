package io.notify.systemtests;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One browser tab, following the client rules of docs/websocket-protocol.md the way the frontend
 * does: connect to any gateway; on every close reconnect with jittered exponential backoff (or after
 * a {@code reconnect} hint's delay) and {@code resume} from the last seq it is sure of; on
 * {@code resync} reload the inbox over REST; dedupe notifications by id.
 *
 * <p>The seq it resumes from only advances once a {@code resumed} reply confirmed that everything up
 * to it arrived: a live frame that overtakes the replay must not make a later resume skip the replay.
 */
final class FrontendLikeClient {

    /** A notification as this client holds it; {@code key} is the producer's idempotency key. */
    record Held(String id, long seq, String key, String audienceType, String audienceCompany, long arrivedNanos) {
    }

    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2000;
    private static final int PAGE = 100;

    final String userId;
    final String company;
    final Set<String> roles;
    private final Vertx vertx;
    private final WebSocketClient sockets;
    private final HttpClient http;
    private final Supplier<List<URI>> gateways;
    private final URI origin;
    private final Supplier<String> token;
    private final long baselineSeq;

    private final Map<String, Held> held = new LinkedHashMap<>();
    private final Map<String, Integer> duplicatesById = new HashMap<>();
    private long confirmedSeq;
    private long maxSeenSeq;
    private WebSocket socket;
    private URI socketGateway;
    private boolean running = true;
    private int attempt;
    private long reconnectHintMs = -1;
    private int resumeRef;
    private String pendingResumeRef;
    /** From a socket's open until its resume (or resync reload) completed: live frames do not advance the seq yet. */
    private boolean catchingUp;
    private final Set<String> heldKeys = new java.util.HashSet<>();
    private int connects;
    private int resyncs;
    private int refetches;
    private int outOfOrder;
    private long lastArrivedSeq;

    FrontendLikeClient(String userId, String company, Set<String> roles, Vertx vertx, WebSocketClient sockets,
            HttpClient http, Supplier<List<URI>> gateways, URI origin, Supplier<String> token, long baselineSeq) {
        this.userId = userId;
        this.company = company;
        this.roles = roles;
        this.vertx = vertx;
        this.sockets = sockets;
        this.http = http;
        this.gateways = gateways;
        this.origin = origin;
        this.token = token;
        this.baselineSeq = baselineSeq;
        this.confirmedSeq = baselineSeq;
        this.maxSeenSeq = baselineSeq;
    }

    void start() {
        vertx.runOnContext(v -> connect());
    }

    synchronized void stop() {
        running = false;
        if (socket != null && !socket.isClosed()) {
            socket.close();
        }
    }

    // ---- connection life cycle ----

    private void connect() {
        if (!isRunning()) {
            return;
        }
        List<URI> choices = gateways.get();
        URI gateway = choices.get(ThreadLocalRandom.current().nextInt(choices.size()));
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(gateway.getHost())
                .setPort(gateway.getPort()).setTimeout(5000)
                .setURI("/api/ws?token=" + URLEncoder.encode(token.get(), StandardCharsets.UTF_8));
        sockets.connect(options).onComplete(result -> {
            if (result.failed()) {
                scheduleReconnect();
                return;
            }
            WebSocket ws = result.result();
            synchronized (this) {
                if (!running) {
                    ws.close();
                    return;
                }
                socket = ws;
                socketGateway = gateway;
                connects++;
            }
            ws.textMessageHandler(text -> onFrame(ws, new JsonObject(text)));
            ws.closeHandler(v -> onClosed(ws));
            ws.exceptionHandler(e -> ws.close());
            sendResume(ws);
        });
    }

    private synchronized void onClosed(WebSocket ws) {
        if (socket == ws) {
            socket = null;
            pendingResumeRef = null;
            catchingUp = false;
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        long delay;
        synchronized (this) {
            if (!running) {
                return;
            }
            if (reconnectHintMs >= 0) {
                delay = reconnectHintMs;
                reconnectHintMs = -1;
            } else {
                long ceiling = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(attempt, 10));
                delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
            }
            attempt++;
        }
        vertx.setTimer(Math.max(1, delay), t -> connect());
    }

    private synchronized void sendResume(WebSocket ws) {
        catchingUp = true;
        pendingResumeRef = "resume-" + (++resumeRef);
        ws.writeTextMessage(new JsonObject().put("type", "resume").put("ref", pendingResumeRef)
                .put("last_seq", confirmedSeq).encode());
    }

    // ---- frames ----

    private void onFrame(WebSocket ws, JsonObject frame) {
        String type = frame.getString("type", "");
        switch (type) {
            case "notification" -> received(frame.getJsonObject("payload"), frame.getLong("seq", 0L));
            case "resumed" -> resumed(frame);
            case "resync" -> resync(ws, frame.getLong("last_seq", 0L));
            case "reconnect" -> {
                synchronized (this) {
                    reconnectHintMs = frame.getLong("delay_ms", 0L);
                }
            }
            case "error" -> {
                // the store could not serve the resume (unavailable): try again on a new socket, as the frontend does
                synchronized (this) {
                    if (frame.getString("ref", "").equals(pendingResumeRef)) {
                        ws.close();
                    }
                }
            }
            default -> {
            }
        }
    }

    private synchronized void resumed(JsonObject frame) {
        if (!frame.getString("ref", "").equals(pendingResumeRef)) {
            return;
        }
        pendingResumeRef = null;
        catchingUp = false;
        attempt = 0;
        // the replay plus every live frame since the socket opened cover everything up to the highest seen
        confirmedSeq = Math.max(confirmedSeq, Math.max(frame.getLong("last_seq", 0L), maxSeenSeq));
    }

    private synchronized void received(JsonObject payload, long seq) {
        if (seq <= baselineSeq) {
            return;
        }
        String id = payload.getString("id");
        maxSeenSeq = Math.max(maxSeenSeq, seq);
        if (!catchingUp) {
            confirmedSeq = Math.max(confirmedSeq, seq);
        }
        if (held.containsKey(id)) {
            duplicatesById.merge(id, 1, Integer::sum);
            return;
        }
        if (seq < lastArrivedSeq) {
            outOfOrder++;
        }
        lastArrivedSeq = Math.max(lastArrivedSeq, seq);
        JsonObject data = payload.getJsonObject("data");
        JsonObject audience = payload.getJsonObject("audience");
        heldKeys.add(data == null ? null : data.getString("key"));
        held.put(id, new Held(id, seq, data == null ? null : data.getString("key"),
                audience == null ? null : audience.getString("type"),
                audience == null ? null : audience.getString("company"), System.nanoTime()));
    }

    /** Reloads the inbox newest first until it reaches what this client already had, then continues from there. */
    private void resync(WebSocket ws, long lastSeq) {
        long reachBack;
        synchronized (this) {
            resyncs++;
            pendingResumeRef = null;
            reachBack = confirmedSeq;
        }
        refetch(null, reachBack).whenComplete((done, failure) -> {
            synchronized (this) {
                if (socket != ws) {
                    return; // that socket is gone; its successor resumes from the seq still confirmed
                }
                if (failure != null) {
                    ws.close(); // reconnect, resume again: the store is probably still down
                    return;
                }
                catchingUp = false;
                refetches++;
                confirmedSeq = Math.max(confirmedSeq, Math.max(lastSeq, maxSeenSeq));
                attempt = 0;
            }
        });
    }

    private CompletableFuture<Void> refetch(String cursor, long reachBack) {
        String query = "/api/notifications?limit=" + PAGE + (cursor == null ? "" : "&cursor=" + cursor);
        HttpRequest request = HttpRequest.newBuilder(origin.resolve(query)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + token.get()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("inbox answered " + response.statusCode());
            }
            JsonObject page = new JsonObject(response.body());
            JsonArray items = page.getJsonArray("items");
            boolean reached = false;
            for (int i = 0; i < items.size(); i++) {
                JsonObject item = items.getJsonObject(i);
                long seq = item.getLong("seq");
                if (seq <= reachBack) {
                    reached = true;
                    break;
                }
                received(item, seq);
            }
            String next = page.getString("next_cursor");
            return reached || next == null ? CompletableFuture.completedFuture(null) : refetch(next, reachBack);
        });
    }

    /** Hands the current access token to the open socket before the old one expires. */
    synchronized void refreshToken(String fresh) {
        if (socket != null && !socket.isClosed()) {
            socket.writeTextMessage(new JsonObject().put("type", "refresh_token").put("token", fresh).encode());
        }
    }

    // ---- what the test reads ----

    private synchronized boolean isRunning() {
        return running;
    }

    synchronized Map<String, Held> held() {
        return new LinkedHashMap<>(held);
    }

    synchronized boolean holdsKey(String key) {
        return heldKeys.contains(key);
    }

    synchronized List<String> heldKeys() {
        List<String> keys = new ArrayList<>(held.size());
        held.values().forEach(h -> keys.add(h.key()));
        return keys;
    }

    synchronized int duplicateFrames() {
        return duplicatesById.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized int connects() {
        return connects;
    }

    synchronized int resyncs() {
        return resyncs;
    }

    synchronized int refetches() {
        return refetches;
    }

    synchronized int outOfOrder() {
        return outOfOrder;
    }

    synchronized boolean connected() {
        return socket != null && !catchingUp;
    }

    /** Where this client stands, for a failure's diagnosis. */
    synchronized String describe() {
        return userId + " (" + company + ", " + roles + "): " + (socket == null ? "no socket" : "on " + socketGateway
                + (catchingUp ? ", resuming" : "")) + ", connects " + connects + ", confirmed seq " + confirmedSeq
                + ", highest seen " + maxSeenSeq + ", last arrived " + lastArrivedSeq + ", holds " + held.size();
    }
}
