package io.notify.infra.test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * A WebSocket client for tests: connects to the gateway the ways a real client can carry its
 * token, and queues every frame it receives for assertions.
 */
public final class TestSocket implements AutoCloseable {

    /** How the access token reaches the gateway on the upgrade. */
    public enum Carrier {
        /** {@code Authorization: Bearer} header (server-side clients). */
        HEADER,
        /** {@code Sec-WebSocket-Protocol: bearer-token-carrier, quarkus-http-upgrade#Authorization#Bearer …} (browsers). */
        SUBPROTOCOL,
        /** {@code ?token=} (clients that can set neither). */
        QUERY
    }

    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();

    private TestSocket(WebSocket socket) {
        this.socket = socket;
        try {
            socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
            socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
        } catch (IllegalStateException alreadyClosed) {
            closed.complete(socket.closeStatusCode()); // the server closed it right after the upgrade
        }
    }

    public static TestSocket connect(URI base, String path, String token, Carrier carrier) {
        try {
            return new TestSocket(CLIENT.connect(options(base, path, token, carrier)).toCompletionStage()
                    .toCompletableFuture().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            throw new IllegalStateException("WebSocket connect failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("WebSocket connect failed", e);
        }
    }

    /** The HTTP status the upgrade was refused with, or 101 if it was accepted. */
    public static int upgradeStatus(URI base, String path, String token, Carrier carrier) {
        try {
            WebSocket ws = CLIENT.connect(options(base, path, token, carrier)).toCompletionStage()
                    .toCompletableFuture().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ws.close();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WebSocketConnectOptions options(URI base, String path, String token, Carrier carrier) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(path);
        if (token == null) {
            return options;
        }
        switch (carrier) {
            case HEADER -> options.addHeader("Authorization", "Bearer " + token);
            case SUBPROTOCOL -> options.setSubProtocols(List.of("bearer-token-carrier",
                    URLEncoder.encode("quarkus-http-upgrade#Authorization#Bearer " + token, StandardCharsets.UTF_8)
                            .replace("+", "%20")));
            case QUERY -> options.setURI(path + (path.contains("?") ? "&" : "?") + "token="
                    + URLEncoder.encode(token, StandardCharsets.UTF_8));
        }
        return options;
    }

    public void send(String text) {
        socket.writeTextMessage(text);
    }

    public void sendBinary(byte[] bytes) {
        socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(bytes));
    }

    /** Stops reading from the network, like a client that hangs: the server's writes back up. */
    public void stopReading() {
        socket.pause();
    }

    public void resumeReading() {
        socket.resume();
    }

    /** The server's close reason text, once closed. */
    public String closeReason() {
        return socket.closeReason();
    }

    /** Sends a ping and waits for its pong: once it arrives, the server has registered this socket. */
    public TestSocket ready() {
        String ref = "ready-" + System.nanoTime();
        send(new JsonObject().put("type", "ping").put("ref", ref).encode());
        await(f -> "pong".equals(f.getString("type")) && ref.equals(f.getString("ref")), Duration.ofSeconds(15));
        return this;
    }

    /** The first frame (received before or after this call) matching {@code match}. */
    public JsonObject await(Predicate<JsonObject> match, Duration timeout) {
        synchronized (seen) {
            for (JsonObject f : seen) {
                if (match.test(f)) {
                    return f;
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject f = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
                if (f == null) {
                    throw new AssertionError("No matching frame within " + timeout + "; received: " + received());
                }
                synchronized (seen) {
                    seen.add(f);
                }
                if (match.test(f)) {
                    return f;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every frame received so far. */
    public List<JsonObject> received() {
        synchronized (seen) {
            frames.drainTo(seen);
            return List.copyOf(seen);
        }
    }

    public CompletableFuture<Short> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
    }
}
